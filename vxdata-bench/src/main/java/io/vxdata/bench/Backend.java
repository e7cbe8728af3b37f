package io.vxdata.bench;

import io.vxdata.jdbc.StoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

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

    /**
     * A baseline connection with the driver settings the store gives its own on PostgreSQL
     * (multi-row batched inserts, a plan per execution), so that both paths run alike.
     */
    Connection connect() throws SQLException {
      boolean pg = jdbcUrl.startsWith("jdbc:postgresql:");
      String url = pg && !jdbcUrl.toLowerCase(Locale.ROOT).contains("rewritebatchedinserts=")
          ? jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true" : jdbcUrl;
      Connection c = user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
      if (pg) {
        try (Statement st = c.createStatement()) {
          st.execute("SET plan_cache_mode = force_custom_plan");
        }
      }
      return c;
    }
  }
}
