package io.vxdata.bench;

import io.vxdata.jdbc.StoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A database the benchmark runs on. Each run asks for fresh, empty databases so that runs do not
 * see each other's rows.
 */
interface Backend extends AutoCloseable {

  /** Short name, as given to {@code --backends}. */
  String name();

  /** What the backend is, for the report: server version, location, relevant settings. */
  String description();

  /** A fresh, empty database for a store; {@code label} only names it. */
  Database freshDatabase(String label) throws Exception;

  /**
   * The database the hand-written JDBC baseline of a run writes to, given the store's. The default
   * is the store's own database (and connection URL).
   */
  default Database baselineDatabase(Database store, String label) throws Exception {
    return store;
  }

  /** One sentence on where the baseline runs relative to the store, for the report. */
  String baselinePlacement();

  /** Lets the database write out dirty pages between timed phases, if it can; best effort. */
  default void settle(Database db) {}

  /** Stops servers and deletes files this backend made. */
  @Override
  void close();

  /**
   * One database (or schema) to connect to.
   *
   * @param jdbcUrl URL the store and the baseline connect with
   * @param user user, or {@code null}
   * @param password password, or {@code null}
   */
  record Database(String jdbcUrl, String user, String password) {

    StoreOptions storeOptions() {
      StoreOptions options = StoreOptions.of(jdbcUrl);
      return user == null ? options : options.withCredentials(user, password);
    }

    Connection connect() throws SQLException {
      return user == null ? DriverManager.getConnection(jdbcUrl) : DriverManager.getConnection(jdbcUrl, user, password);
    }
  }
}
