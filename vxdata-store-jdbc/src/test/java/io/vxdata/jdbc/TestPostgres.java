package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL for tests: a fresh, empty schema per store, on one server per JVM.
 *
 * <p>If the environment variable {@code VXDATA_TEST_PG_URL} holds a {@code jdbc:postgresql:} URL,
 * that server is used (credentials from {@code VXDATA_TEST_PG_USER} and
 * {@code VXDATA_TEST_PG_PASSWORD}, or in the URL), and the schemas the tests created are dropped
 * when the JVM exits. Otherwise an embedded PostgreSQL is started on first use and stopped when the
 * JVM exits. Either way the log says which server the tests ran on.
 *
 * <pre>{@code
 * try (VxData store = TestPostgres.openFreshStore()) { ... }
 * }</pre>
 */
public final class TestPostgres {

  /** Environment variable naming an external PostgreSQL server to test against. */
  public static final String URL_VARIABLE = "VXDATA_TEST_PG_URL";
  public static final String USER_VARIABLE = "VXDATA_TEST_PG_USER";
  public static final String PASSWORD_VARIABLE = "VXDATA_TEST_PG_PASSWORD";

  private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  private TestPostgres() {}

  /**
   * An empty PostgreSQL schema to open a store on.
   *
   * @param jdbcUrl a URL whose {@code currentSchema} is the fresh schema
   * @param user the database user, or {@code null} if the URL holds it
   * @param password the password, or {@code null}
   * @param schema the schema's name
   */
  public record Database(String jdbcUrl, String user, String password, String schema) {

    /** Options to open a store on this schema. */
    public StoreOptions storeOptions() {
      return StoreOptions.of(jdbcUrl).withCredentials(user, password);
    }

    /** Opens a store on this schema. */
    public VxData open() {
      return VxDataStore.open(storeOptions());
    }
  }

  /** Creates a fresh schema on the test server (starting the server on first use). */
  public static Database freshDatabase() {
    return Server.INSTANCE.freshDatabase();
  }

  /** Opens a store on a fresh schema; see {@link #freshDatabase()}. */
  public static VxData openFreshStore() {
    return freshDatabase().open();
  }

  /** Which server the tests use, e.g. for log lines. */
  public static String description() {
    return Server.INSTANCE.description;
  }

  /** The server, started lazily and once per JVM by the holder idiom. */
  private static final class Server {

    static final Server INSTANCE = new Server();

    private final String baseUrl;
    private final String user;
    private final String password;
    private final String schemaPrefix;
    private final String description;
    private final List<String> created = new CopyOnWriteArrayList<>();

    private Server() {
      String external = System.getenv(URL_VARIABLE);
      if (external != null && !external.isBlank()) {
        if (!external.startsWith("jdbc:postgresql:")) {
          throw new IllegalStateException(URL_VARIABLE + " must be a jdbc:postgresql: URL, not " + external);
        }
        baseUrl = external;
        user = System.getenv(USER_VARIABLE);
        password = System.getenv(PASSWORD_VARIABLE);
        // Other JVMs may share the server: keep their schema names apart, and clean up ours.
        schemaPrefix = "vx_test_" + ProcessHandle.current().pid() + "_";
        Runtime.getRuntime().addShutdownHook(new Thread(this::dropSchemas, "vxdata-test-pg-cleanup"));
        description = "external PostgreSQL from " + URL_VARIABLE + " (" + withoutPassword(external) + ")";
      } else {
        EmbeddedPostgres embedded;
        try {
          embedded = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            embedded.close();
          } catch (IOException e) {
            LOG.warn("Stopping embedded PostgreSQL failed", e);
          }
        }, "vxdata-test-pg-shutdown"));
        baseUrl = embedded.getJdbcUrl("postgres", "postgres");
        user = null;
        password = null;
        schemaPrefix = "vx_test_";
        description = "embedded PostgreSQL on port " + embedded.getPort();
      }
      LOG.info("VxData PostgreSQL tests use {}: {}", description, serverVersion());
    }

    Database freshDatabase() {
      String schema = schemaPrefix + SCHEMAS.incrementAndGet();
      execute("CREATE SCHEMA " + schema);
      created.add(schema);
      String separator = baseUrl.contains("?") ? "&" : "?";
      return new Database(baseUrl + separator + "currentSchema=" + schema, user, password, schema);
    }

    private String serverVersion() {
      try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
        return rs.next() ? "server version " + rs.getString(1) : "unknown server version";
      } catch (SQLException e) {
        throw new IllegalStateException("cannot connect to " + description, e);
      }
    }

    private void execute(String sql) {
      try (Connection c = connect(); Statement s = c.createStatement()) {
        s.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(sql + " failed on " + description, e);
      }
    }

    private Connection connect() throws SQLException {
      return user == null ? DriverManager.getConnection(baseUrl) : DriverManager.getConnection(baseUrl, user, password);
    }

    private void dropSchemas() {
      for (String schema : created) {
        try {
          execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (RuntimeException e) {
          LOG.warn("Could not drop test schema {}", schema, e);
        }
      }
    }

    private static String withoutPassword(String url) {
      return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
  }
}
