package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL for tests: a fresh database per store, on one server per JVM.
 *
 * <p>A fresh database is a copy of a template database that a store was opened on once per JVM: it
 * holds exactly what opening a store on an empty database creates (the migrated catalog tables and
 * the built-in payload types' tables, nothing written), so a store opened on it only checks the
 * migrations and finds its types, instead of creating everything again. PostgreSQL copies a database
 * as files ({@code CREATE DATABASE … TEMPLATE}), about twice as fast as creating its 23 tables and 90
 * indexes again in a new schema. {@link #emptyDatabase()} gives a database with nothing of the
 * store's in it, for tests of opening an empty database.
 *
 * <p>Databases no session is connected to are dropped as new ones are made (the newest
 * {@value #KEPT_DATABASES} are kept), so that a module's thousand tests do not fill the disk.
 *
 * <p>If the environment variable {@code VXDATA_TEST_PG_URL} holds a {@code jdbc:postgresql:} URL,
 * that server is used (credentials from {@code VXDATA_TEST_PG_USER} and
 * {@code VXDATA_TEST_PG_PASSWORD}, or in the URL; the user must be allowed to create databases),
 * and the databases the tests created are dropped when the JVM exits. Otherwise an embedded
 * PostgreSQL is started on first use and stopped when the JVM exits. Either way the log says which
 * server the tests ran on.
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

  /** How many of the newest databases are never dropped, whether or not a session is on them. */
  public static final int KEPT_DATABASES = 16;

  private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);
  /** The database part of a PostgreSQL JDBC URL: {@code jdbc:postgresql://host:port/} DATABASE {@code ?…}. */
  private static final Pattern URL_DATABASE = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(.*)$");

  private TestPostgres() {}

  /**
   * A PostgreSQL database to open a store on; the store's tables are in its {@code public} schema.
   *
   * @param jdbcUrl the database's URL
   * @param user the database user, or {@code null} if the URL holds it
   * @param password the password, or {@code null}
   * @param name the database's name
   */
  public record Database(String jdbcUrl, String user, String password, String name) {

    /** Options to open a store on this database. */
    public StoreOptions storeOptions() {
      return StoreOptions.of(jdbcUrl).withCredentials(user, password);
    }

    /** Opens a store on this database. */
    public VxData open() {
      return VxDataStore.open(storeOptions());
    }

    /** A plain JDBC connection to this database, for tests that change it under the store. */
    public java.sql.Connection connect() throws java.sql.SQLException {
      return user == null ? DriverManager.getConnection(jdbcUrl) : DriverManager.getConnection(jdbcUrl, user, password);
    }
  }

  /**
   * Creates a fresh database on the test server (starting the server on first use): a copy of the
   * template, as a store opened on an empty database leaves it.
   */
  public static Database freshDatabase() {
    return Server.INSTANCE.freshDatabase();
  }

  /** Creates a database with nothing of the store's in it, for tests of what opening an empty database does. */
  public static Database emptyDatabase() {
    return Server.INSTANCE.emptyDatabase();
  }

  /** Opens a store on a fresh database; see {@link #freshDatabase()}. */
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
    /** A test database's URL is {@code urlBefore + name + urlAfter}: the base URL with its database replaced. */
    private final String urlBefore;
    private final String urlAfter;
    private final String user;
    private final String password;
    private final String namePrefix;
    private final String description;
    /**
     * How a database is copied. The embedded server copies files ({@code FILE_COPY}, which
     * checkpoints, cheap on a server that does not flush to disk); another server does it its own
     * way, as its checkpoints may be slow.
     */
    private final String copyStrategy;
    private final AtomicInteger databases = new AtomicInteger();
    /** Databases made and not dropped yet, oldest first. */
    private final Deque<String> created = new ArrayDeque<>();
    /** The template's name, once a store has been opened on it. */
    private String template;

    private Server() {
      String external = System.getenv(URL_VARIABLE);
      if (external != null && !external.isBlank()) {
        if (!URL_DATABASE.matcher(external).matches()) {
          throw new IllegalStateException(URL_VARIABLE + " must be a jdbc:postgresql://host:port/database URL, not "
              + external);
        }
        baseUrl = external;
        user = System.getenv(USER_VARIABLE);
        password = System.getenv(PASSWORD_VARIABLE);
        // Other JVMs may share the server: keep their database names apart, and clean up ours.
        namePrefix = "vx_test_" + ProcessHandle.current().pid() + "_";
        copyStrategy = "";
        Runtime.getRuntime().addShutdownHook(new Thread(this::dropDatabases, "vxdata-test-pg-cleanup"));
        description = "external PostgreSQL from " + URL_VARIABLE + " (" + withoutPassword(external) + ")";
      } else {
        EmbeddedPostgres embedded;
        try {
          // A server for tests only: it never crashes under them, so it need not flush to disk.
          // Without this its checkpoints fsync every table file of every test database, which also
          // makes stopping it at JVM exit take longer than surefire waits. Nor does it need
          // autovacuum: its databases live for one test, and its workers visiting every table of
          // every database took about half the server's CPU in the kit (a test's results depend on
          // neither vacuum nor planner statistics).
          EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setServerConfig("fsync", "off")
              .setServerConfig("full_page_writes", "off").setServerConfig("autovacuum", "off");
          Path memory = Path.of("/dev/shm");
          if (Files.isDirectory(memory) && Files.isWritable(memory)) {
            // Its data directory in memory where the machine has a tmpfs: each test database is a few
            // hundred files, and creating and deleting them on disk is slower than in memory.
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
        namePrefix = "vx_test_";
        copyStrategy = " STRATEGY FILE_COPY";
        description = "embedded PostgreSQL on port " + embedded.getPort();
      }
      Matcher url = URL_DATABASE.matcher(baseUrl);
      if (!url.matches()) {
        throw new IllegalStateException("not a jdbc:postgresql://host:port/database URL: " + baseUrl);
      }
      urlBefore = url.group(1);
      urlAfter = url.group(3);
      LOG.info("VxData PostgreSQL tests use {}: {}", description, serverVersion());
    }

    Database emptyDatabase() {
      return create("");
    }

    Database freshDatabase() {
      Database copy = create(" TEMPLATE " + template() + copyStrategy);
      // A secret of its own, as a store on an empty database would make.
      try (Connection c = copy.connect(); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE vx_meta SET cursor_secret = REPLACE(CAST(gen_random_uuid() AS TEXT), '-', '')"
            + " || REPLACE(CAST(gen_random_uuid() AS TEXT), '-', '')");
      } catch (SQLException e) {
        throw new IllegalStateException("cannot give " + copy.name() + " on " + description + " a cursor secret", e);
      }
      return copy;
    }

    /** The template database, made on first use by opening a store on an empty database. */
    private synchronized String template() {
      if (template == null) {
        Database empty = create("");
        empty.open().close();
        synchronized (created) {
          created.remove(empty.name()); // never dropped while the JVM runs
        }
        template = empty.name();
      }
      return template;
    }

    /** Creates a database ({@code CREATE DATABASE name} and {@code how}) and drops old unused ones. */
    private Database create(String how) {
      String name = namePrefix + databases.incrementAndGet();
      try (Connection c = connect(); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name + how);
        synchronized (created) {
          created.addLast(name);
          dropUnused(c);
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot create the database " + name + " on " + description, e);
      }
      return new Database(urlBefore + name + urlAfter, user, password, name);
    }

    /**
     * Drops the databases older than the newest {@value #KEPT_DATABASES} that no session is connected
     * to: their stores are closed. A test that still holds one open keeps it until it closes.
     */
    private void dropUnused(Connection c) throws SQLException {
      if (created.size() <= KEPT_DATABASES) {
        return;
      }
      List<String> old = new ArrayList<>(created).subList(0, created.size() - KEPT_DATABASES);
      Set<String> inUse = new HashSet<>();
      try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT datname FROM pg_stat_activity"
          + " WHERE datname = ANY(?)")) {
        p.setArray(1, c.createArrayOf("text", old.toArray()));
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            inUse.add(rs.getString(1));
          }
        }
      }
      try (Statement s = c.createStatement()) {
        for (String name : old) {
          if (!inUse.contains(name)) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            created.remove(name);
          }
        }
      }
    }

    private String serverVersion() {
      try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
        return rs.next() ? "server version " + rs.getString(1) : "unknown server version";
      } catch (SQLException e) {
        throw new IllegalStateException("cannot connect to " + description, e);
      }
    }

    private Connection connect() throws SQLException {
      return user == null ? DriverManager.getConnection(baseUrl) : DriverManager.getConnection(baseUrl, user, password);
    }

    /** At exit, on an external server: drops what this JVM created, ending any session still on it. */
    private void dropDatabases() {
      List<String> names;
      synchronized (created) {
        names = new ArrayList<>(created);
      }
      if (template != null) {
        names.add(template);
      }
      try (Connection c = connect(); Statement s = c.createStatement()) {
        for (String name : names) {
          try {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
          } catch (SQLException e) {
            LOG.warn("Could not drop test database {}", name, e);
          }
        }
      } catch (SQLException e) {
        LOG.warn("Could not drop the test databases {} on {}", names, description, e);
      }
    }

    private static String withoutPassword(String url) {
      return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
  }
}
