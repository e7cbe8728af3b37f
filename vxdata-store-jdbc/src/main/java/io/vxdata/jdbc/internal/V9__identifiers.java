package io.vxdata.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Creates the identifier index ({@link Identifiers}) and fills it from the tables of every payload type
 * registered so far: each identifier with a version, current or past, in a type's tables gets that type.
 * Java, as V3 is, because the type tables exist only for the types registered. One statement per type.
 */
@SuppressWarnings("checkstyle:TypeName")
final class V9__identifiers extends BaseJavaMigration {

  private final Dialect dialect;

  V9__identifiers(Dialect dialect) {
    this.dialect = dialect;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    List<String> types = V3__audit_columns.registeredTypes(c);
    try (Statement s = c.createStatement()) {
      s.execute(Identifiers.createStatement(dialect));
      for (String type : types) {
        s.executeUpdate(Identifiers.backfillStatement(type));
      }
    }
  }
}
