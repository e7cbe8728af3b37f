package io.vxdata.jdbc.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * The store's schema migrations (Flyway, history in {@code vx_schema_history}), and a fast path for a
 * database that has them all already.
 *
 * <p>Flyway's validation of an up-to-date database costs 40–65 ms per open on PostgreSQL (its
 * catalog probes, the advisory lock, resolving and checksumming the scripts), more as the server holds
 * more schemas. Once Flyway has migrated one database in this process, the migrations it resolved
 * (version and checksum) are known here; a later open whose history holds exactly those, each
 * successful, reads that history in one statement and skips Flyway. Anything else (a new or older
 * database, a failed migration, a changed script, one applied by a newer build) goes through Flyway as
 * before, which migrates, or fails with its own message.
 */
final class Migrations {

  static final String HISTORY_TABLE = "vx_schema_history";
  /** Types of the rows where Flyway notes that it created the schema or the history table: not migrations. */
  private static final Set<String> MARKERS = Set.of("SCHEMA", "TABLE");

  /** Version to checksum of every migration of this build, once Flyway has applied them all somewhere. */
  private static volatile Map<String, Integer> built;
  /** How many times Flyway ran in this process, for tests of the fast path. */
  private static final AtomicInteger FLYWAY_RUNS = new AtomicInteger();

  private Migrations() {}

  /** Brings the database behind {@code dataSource} to this build's schema. */
  static void migrate(DataSource dataSource, Dialect dialect) {
    Map<String, Integer> known = built;
    if (known != null && known.equals(applied(dataSource, dialect))) {
      return;
    }
    Flyway flyway = Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/vxdata")
        .table(HISTORY_TABLE)
        .javaMigrations(new V3__audit_columns(dialect), new V9__identifiers(dialect))
        .load();
    FLYWAY_RUNS.incrementAndGet();
    flyway.migrate();
    if (known == null) {
      built = resolved(flyway.info().all());
    }
  }

  static int flywayRunsForTest() {
    return FLYWAY_RUNS.get();
  }

  /**
   * Version to checksum of the migrations Flyway resolved from this build, all of them applied; null if
   * any is not (then the fast path stays off).
   */
  private static Map<String, Integer> resolved(MigrationInfo[] all) {
    Map<String, Integer> resolved = new HashMap<>();
    for (MigrationInfo m : Arrays.asList(all)) {
      if (!m.getState().isResolved()) {
        continue;
      }
      if (!m.getState().isApplied() || m.getState().isFailed() || m.getVersion() == null) {
        return null;
      }
      resolved.put(m.getVersion().getVersion(), m.getChecksum());
    }
    return resolved;
  }

  /**
   * Version to checksum of the successful migrations in the database's history; null if there is no
   * history, or it holds a failed or unversioned migration.
   */
  private static Map<String, Integer> applied(DataSource dataSource, Dialect dialect) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(dialect.tableExistsQuery(HISTORY_TABLE))) {
        if (!rs.next() || !rs.getBoolean(1)) {
          return null;
        }
      }
      Map<String, Integer> applied = new HashMap<>();
      try (ResultSet rs = s.executeQuery("SELECT version, checksum, success, type FROM " + HISTORY_TABLE)) {
        while (rs.next()) {
          if (MARKERS.contains(rs.getString(4)) && rs.getBoolean(3)) {
            continue;
          }
          String version = rs.getString(1);
          int checksum = rs.getInt(2);
          boolean noChecksum = rs.wasNull();
          if (version == null || !rs.getBoolean(3) || applied.containsKey(version)) {
            return null;
          }
          applied.put(version, noChecksum ? null : checksum);
        }
      }
      return applied;
    } catch (SQLException e) {
      // Flyway will meet the same trouble and say what it is.
      return null;
    }
  }
}
