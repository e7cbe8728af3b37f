package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL for tests: a fresh schema per store, on one server per JVM.
 *
 * <p>A fresh schema is a copy of a template schema that a store was opened on once per JVM: it holds
 * exactly what opening a store on an empty schema creates (the migrated catalog tables and the
 * built-in payload types' tables, nothing written), so a store opened on it only validates the
 * migrations and finds its types, instead of creating everything again. {@link #emptyDatabase()}
 * gives a schema with nothing in it, for tests of opening an empty database.
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
  /** Stands for the new schema's name in the template's copy script. */
  private static final String SCHEMA = "{schema}";

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

    /** A plain JDBC connection to this schema, for tests that change it under the store. */
    public java.sql.Connection connect() throws java.sql.SQLException {
      return user == null ? DriverManager.getConnection(jdbcUrl) : DriverManager.getConnection(jdbcUrl, user, password);
    }
  }

  /**
   * Creates a fresh schema on the test server (starting the server on first use): a copy of the
   * template, as a store opened on an empty schema leaves it.
   */
  public static Database freshDatabase() {
    return Server.INSTANCE.freshDatabase();
  }

  /** Creates a schema with nothing in it, for tests of what opening an empty database does. */
  public static Database emptyDatabase() {
    return Server.INSTANCE.emptyDatabase();
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
    /** The statements that copy the template into a new schema, {@link #SCHEMA} standing for its name. */
    private List<String> cloneScript;

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
          // A server for tests only: it never crashes under them, so it need not flush to disk.
          // Without this its checkpoints fsync every table file of every test schema, which also
          // makes stopping it at JVM exit take longer than surefire waits. Nor does it need
          // autovacuum: its schemas live for one test, and its workers visiting every table of
          // every schema took about half the server's CPU in the kit (a test's results depend on
          // neither vacuum nor planner statistics).
          EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setServerConfig("fsync", "off")
              .setServerConfig("full_page_writes", "off").setServerConfig("autovacuum", "off");
          Path memory = Path.of("/dev/shm");
          if (Files.isDirectory(memory) && Files.isWritable(memory)) {
            // Its data directory in memory where the machine has a tmpfs: each test schema's tables are
            // files, many thousands by the end of a module, and deleting them from disk when the JVM
            // exits took longer than surefire waits for a fork to end (it then kills the fork and
            // leaves the directory behind). Creating and deleting them in memory takes moments.
            builder.setDataDirectory(Files.createTempDirectory(memory, "vxdata-test-pg-"));
          }
          embedded = builder.start();
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

    Database emptyDatabase() {
      String schema = schemaPrefix + SCHEMAS.incrementAndGet();
      execute(List.of("CREATE SCHEMA " + schema));
      created.add(schema);
      return database(schema);
    }

    Database freshDatabase() {
      List<String> script = cloneScript();
      String schema = schemaPrefix + SCHEMAS.incrementAndGet();
      List<String> statements = new ArrayList<>();
      statements.add("CREATE SCHEMA " + schema);
      script.forEach(sql -> statements.add(sql.replace(SCHEMA, schema)));
      execute(statements);
      created.add(schema);
      return database(schema);
    }

    private Database database(String schema) {
      String separator = baseUrl.contains("?") ? "&" : "?";
      return new Database(baseUrl + separator + "currentSchema=" + schema, user, password, schema);
    }

    /** The script that copies the template, made on first use by opening a store on an empty schema. */
    private synchronized List<String> cloneScript() {
      if (cloneScript == null) {
        Database template = emptyDatabase();
        template.open().close();
        cloneScript = copyScript(template.schema());
      }
      return cloneScript;
    }

    /**
     * The statements that copy schema {@code template} into schema {@link #SCHEMA}: its tables
     * (columns, defaults, NOT NULL and CHECK constraints), their rows, their primary keys and unique
     * constraints, and their other indexes under the same names (the store finds indexes by name).
     * The copy gets a cursor secret of its own, as a store on an empty schema would. Anything the
     * copy would miss (sequences, views, functions, foreign keys) fails here rather than later.
     */
    private List<String> copyScript(String template) {
      List<String> script = new ArrayList<>();
      String from = template + ".";
      String to = SCHEMA + ".";
      try (Connection c = connect(); Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n"
            + " ON n.oid = c.relnamespace WHERE n.nspname = '" + template + "' AND c.relkind <> 'i'"
            + " ORDER BY c.relname")) {
          List<String> tables = new ArrayList<>();
          while (rs.next()) {
            if (!"r".equals(rs.getString(2))) {
              throw new IllegalStateException("the template schema " + template + " holds " + rs.getString(1)
                  + " of relkind " + rs.getString(2) + ", which the copy does not handle");
            }
            tables.add(rs.getString(1));
          }
          for (String table : tables) {
            script.add("CREATE TABLE " + to + table + " (LIKE " + from + table + " INCLUDING ALL EXCLUDING INDEXES)");
            script.add("INSERT INTO " + to + table + " SELECT * FROM " + from + table);
          }
        }
        try (ResultSet rs = s.executeQuery("SELECT p.proname FROM pg_proc p JOIN pg_namespace n"
            + " ON n.oid = p.pronamespace WHERE n.nspname = '" + template + "'")) {
          if (rs.next()) {
            throw new IllegalStateException("the template schema " + template + " holds the function "
                + rs.getString(1) + ", which the copy does not handle");
          }
        }
        try (ResultSet rs = s.executeQuery("SELECT t.relname, k.conname, k.contype, pg_get_constraintdef(k.oid)"
            + " FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n"
            + " ON n.oid = k.connamespace WHERE n.nspname = '" + template + "' AND k.contype NOT IN ('c', 'n')"
            + " ORDER BY t.relname, k.conname")) {
          while (rs.next()) {
            String type = rs.getString(3);
            if (!"p".equals(type) && !"u".equals(type)) {
              throw new IllegalStateException("the template schema " + template + " holds the constraint "
                  + rs.getString(2) + " of type " + type + ", which the copy does not handle");
            }
            script.add("ALTER TABLE " + to + rs.getString(1) + " ADD CONSTRAINT " + rs.getString(2) + " "
                + rs.getString(4));
          }
        }
        try (ResultSet rs = s.executeQuery("SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i"
            + " JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
            + " WHERE n.nspname = '" + template + "'"
            + " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
            + " ORDER BY 1")) {
          while (rs.next()) {
            String definition = rs.getString(1);
            if (!definition.contains(" ON " + from)) {
              throw new IllegalStateException("cannot copy the index " + definition);
            }
            script.add(definition.replace(" ON " + from, " ON " + to));
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read the template schema " + template + " on " + description, e);
      }
      script.add("UPDATE " + to + "vx_meta SET cursor_secret = REPLACE(CAST(gen_random_uuid() AS TEXT), '-', '')"
          + " || REPLACE(CAST(gen_random_uuid() AS TEXT), '-', '')");
      return List.copyOf(script);
    }

    private String serverVersion() {
      try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
        return rs.next() ? "server version " + rs.getString(1) : "unknown server version";
      } catch (SQLException e) {
        throw new IllegalStateException("cannot connect to " + description, e);
      }
    }

    /** Runs {@code statements} in one transaction. */
    private void execute(List<String> statements) {
      try (Connection c = connect(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        for (String sql : statements) {
          s.addBatch(sql);
        }
        s.executeBatch();
        c.commit();
      } catch (SQLException e) {
        throw new IllegalStateException(statements + " failed on " + description, e);
      }
    }

    private Connection connect() throws SQLException {
      return user == null ? DriverManager.getConnection(baseUrl) : DriverManager.getConnection(baseUrl, user, password);
    }

    private void dropSchemas() {
      for (String schema : created) {
        try {
          execute(List.of("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
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
