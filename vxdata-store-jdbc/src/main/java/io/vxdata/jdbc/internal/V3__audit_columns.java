package io.vxdata.jdbc.internal;

import io.vxdata.schema.BuiltInTypes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Gives the tables of every payload type registered before access control (docs/behaviour.md §13) the columns
 * {@code created_by} and {@code updated_by} (existing versions get {@code system}) and
 * {@code _root}, the datasource at the top of each row's subtree, computed by walking the current
 * tables down from the datasources; a history row takes the root of its identifier's current row.
 * Tables of types registered later are created with these columns ({@link TypeTable}).
 */
@SuppressWarnings("checkstyle:TypeName")
final class V3__audit_columns extends BaseJavaMigration {

  private final Dialect dialect;

  V3__audit_columns(Dialect dialect) {
    this.dialect = dialect;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    List<String> types = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM vx_type ORDER BY name")) {
      while (rs.next()) {
        types.add(rs.getString(1));
      }
    }
    if (types.isEmpty()) {
      return;
    }
    try (Statement s = c.createStatement()) {
      for (String type : types) {
        for (String table : List.of("vxc_" + type, "vxh_" + type)) {
          for (String ddl : TypeTable.auditStatements(table, dialect)) {
            s.execute(ddl);
          }
        }
        s.execute("CREATE INDEX IF NOT EXISTS vxc_" + type + "_root ON vxc_" + type + " (" + TypeTable.ROOT + ")");
      }
      List<String> nodes = new ArrayList<>();
      types.forEach(t -> nodes.add("SELECT identifier, parent_identifier, " + TypeTable.ROOT + " FROM vxc_" + t));
      String all = "(" + String.join(" UNION ALL ", nodes) + ")";
      if (types.contains(BuiltInTypes.DATASOURCE)) {
        s.executeUpdate("UPDATE vxc_datasource SET " + TypeTable.ROOT + " = identifier");
      }
      // One level of the tree per round, until a round changes nothing.
      int changed;
      do {
        changed = 0;
        for (String type : types) {
          if (!type.equals(BuiltInTypes.DATASOURCE)) {
            changed += s.executeUpdate("UPDATE vxc_" + type + " SET " + TypeTable.ROOT + " = (SELECT p."
                + TypeTable.ROOT + " FROM " + all + " p WHERE p.identifier = vxc_" + type + ".parent_identifier)"
                + " WHERE " + TypeTable.ROOT + " IS NULL AND parent_identifier IS NOT NULL AND EXISTS (SELECT 1 FROM "
                + all + " q WHERE q.identifier = vxc_" + type + ".parent_identifier AND q." + TypeTable.ROOT
                + " IS NOT NULL)");
          }
        }
      } while (changed > 0);
      for (String type : types) {
        s.executeUpdate("UPDATE vxh_" + type + " SET " + TypeTable.ROOT + " = (SELECT p." + TypeTable.ROOT + " FROM "
            + all + " p WHERE p.identifier = vxh_" + type + ".identifier)");
      }
    }
  }
}
