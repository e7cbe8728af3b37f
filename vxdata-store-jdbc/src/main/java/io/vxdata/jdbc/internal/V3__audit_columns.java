package io.vxdata.jdbc.internal;

import io.vxdata.schema.BuiltInTypes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  /**
   * The names access control takes, which no payload field of a type registered before may have: the
   * columns this migration adds, and {@code can_edit}, the per-record right a read may add to each result.
   */
  private static final List<String> RESERVED = List.of("created_by", "updated_by", TypeTable.ROOT, "can_edit");

  /**
   * Refuses to migrate a type with a payload field named like one access control reserves: an added
   * column exists already, so adding it would silently make the payload field the audit field, and a
   * {@code can_edit} field would be shadowed by the flag. Nothing is changed (Flyway rolls the migration
   * back), and the store does not open.
   */
  private static void refuseClashingFields(Statement s, String type) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT * FROM vxc_" + type + " WHERE 1 = 0")) {
      ResultSetMetaData meta = rs.getMetaData();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        String column = meta.getColumnName(i).toLowerCase(Locale.ROOT);
        if (RESERVED.contains(column)) {
          throw new IllegalStateException("payload type '" + type + "' has a field '" + column + "', a name access"
              + " control now reserves (docs/behaviour.md §13.6): the store cannot be upgraded while it has one. Open it"
              + " with the previous version, copy that type's resources to a type without the field, delete them,"
              + " and open it again with this one");
        }
      }
    }
  }

  /** The names of the payload types registered so far, whose tables a Java migration changes, sorted. */
  static List<String> registeredTypes(Connection c) throws SQLException {
    List<String> types = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM vx_type ORDER BY name")) {
      while (rs.next()) {
        types.add(rs.getString(1));
      }
    }
    return types;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    List<String> types = registeredTypes(c);
    if (types.isEmpty()) {
      return;
    }
    try (Statement s = c.createStatement()) {
      for (String type : types) {
        refuseClashingFields(s, type);
      }
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
