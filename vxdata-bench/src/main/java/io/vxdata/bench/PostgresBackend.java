package io.vxdata.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL: the server named by {@value #URL_VARIABLE} if set, otherwise an embedded one started
 * for this run. Every database is a fresh schema ({@code currentSchema} in the URL), dropped when
 * the backend closes; store and baseline of a run share it and its URL.
 */
final class PostgresBackend implements Backend {

  static final String URL_VARIABLE = "VXDATA_BENCH_PG_URL";
  static final String USER_VARIABLE = "VXDATA_BENCH_PG_USER";
  static final String PASSWORD_VARIABLE = "VXDATA_BENCH_PG_PASSWORD";

  private final EmbeddedPostgres embedded;
  private final String baseUrl;
  private final String user;
  private final String password;
  private final String where;
  private final String schemaPrefix;
  private final List<String> schemas = new ArrayList<>();

  PostgresBackend() throws IOException {
    String external = System.getenv(URL_VARIABLE);
    if (external != null && !external.isBlank()) {
      if (!external.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(URL_VARIABLE + " must be a jdbc:postgresql: URL, not " + external);
      }
      embedded = null;
      baseUrl = external;
      user = System.getenv(USER_VARIABLE);
      password = System.getenv(PASSWORD_VARIABLE);
      where = "external server from " + URL_VARIABLE + " (" + external.replaceAll("(?i)(password=)[^&]*", "$1***") + ")";
    } else {
      embedded = EmbeddedPostgres.builder().start();
      baseUrl = embedded.getJdbcUrl("postgres", "postgres");
      user = null;
      password = null;
      where = "embedded server on port " + embedded.getPort();
    }
    schemaPrefix = "vx_bench_" + ProcessHandle.current().pid() + "_";
  }

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public String description() {
    StringBuilder sb = new StringBuilder("PostgreSQL ");
    try (Connection c = connect(baseUrl); Statement s = c.createStatement()) {
      sb.append(show(s, "server_version")).append(", ").append(where);
      for (String setting : List.of("fsync", "synchronous_commit", "shared_buffers", "max_wal_size")) {
        sb.append(", ").append(setting).append('=').append(show(s, setting));
      }
    } catch (SQLException e) {
      sb.append(where).append(" (settings unreadable: ").append(e.getMessage()).append(')');
    }
    return sb.toString();
  }

  @Override
  public Database freshDatabase(String label) throws SQLException {
    String schema = schemaPrefix + (schemas.size() + 1) + "_" + label.replaceAll("[^a-z0-9_]", "_");
    try (Connection c = connect(baseUrl); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    schemas.add(schema);
    String separator = baseUrl.contains("?") ? "&" : "?";
    return new Database(baseUrl + separator + "currentSchema=" + schema, user, password);
  }

  @Override
  public String baselinePlacement() {
    return "JDBC baseline in the same database and schema as the store, connected with the same URL";
  }

  @Override
  public void settle(Database db) {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("CHECKPOINT"); // needs superuser (the embedded server's postgres is one); else skipped
    } catch (SQLException e) {
      // best effort
    }
  }

  /**
   * With {@code -Dvxdata.bench.keepSchemas=true} the schemas stay after the run (an external server
   * only), for EXPLAIN by hand on the loaded data; their names are printed.
   */
  static final String KEEP_PROPERTY = "vxdata.bench.keepSchemas";

  @Override
  public void close() {
    if (embedded == null && Boolean.getBoolean(KEEP_PROPERTY)) {
      System.err.println("kept benchmark schemas (-D" + KEEP_PROPERTY + "): " + schemas);
      return;
    }
    try (Connection c = connect(baseUrl); Statement s = c.createStatement()) {
      for (String schema : schemas) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    } catch (SQLException e) {
      System.err.println("warning: could not drop benchmark schemas " + schemas + ": " + e.getMessage());
    }
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        System.err.println("warning: stopping embedded PostgreSQL failed: " + e.getMessage());
      }
    }
  }

  private Connection connect(String url) throws SQLException {
    return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
  }

  private static String show(Statement s, String setting) throws SQLException {
    try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
      return rs.next() ? rs.getString(1) : "?";
    }
  }
}
