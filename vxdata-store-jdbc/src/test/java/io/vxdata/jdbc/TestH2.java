package io.vxdata.jdbc;

import io.vxdata.VxData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * H2 for tests: a fresh store is a copy of a template database that a store was opened on once per
 * JVM, so that opening it only reads the migrations' history and finds the built-in types instead of
 * creating every table again (the file kit's tests: about half their time; an in-memory store opens
 * in 17 ms instead of 45). A file store copies the template's file; an in-memory one runs the SQL
 * script H2 writes of its template ({@code SCRIPT}).
 *
 * <p>A template is exactly what opening a store on an empty database creates, nothing written; each
 * copy gets a cursor secret of its own, as a new store would ({@code H2TemplateTest}).
 */
public final class TestH2 {

  /** The file {@link VxDataStore#h2File} names in its directory. */
  static final String FILE = "vxdata.mv.db";
  /** The settings the store adds to an H2 URL, for plain connections that must read as it does. */
  private static final String SETTINGS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

  private TestH2() {}

  /**
   * Opens a store in {@code directory}: on a copy of the template if the directory holds no store yet
   * (a fresh one), else on the store it holds.
   */
  public static VxData openFreshFileStore(Path directory) {
    return VxDataStore.open(freshFileOptions(directory));
  }

  /** Options for a store in {@code directory}, which is given a copy of the template if it holds no store. */
  public static StoreOptions freshFileOptions(Path directory) {
    Path file = directory.resolve(FILE);
    if (!Files.exists(file)) {
      try {
        Files.createDirectories(directory);
        Files.copy(Template.FILE_PATH, file);
        newCursorSecret(directory);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy the H2 template into " + directory, e);
      }
    }
    return StoreOptions.of(VxDataStore.h2File(directory));
  }

  /** Opens a store on a new private in-memory database, a copy of the template; see {@link #freshMemoryOptions()}. */
  public static VxData openFreshMemoryStore() {
    return VxDataStore.open(freshMemoryOptions());
  }

  /** Options for a store on a new private in-memory database, a copy of the template, kept until the JVM exits. */
  public static StoreOptions freshMemoryOptions() {
    String url = VxDataStore.h2Memory("vxdata-test-" + UUID.randomUUID());
    try (Connection c = DriverManager.getConnection(url + SETTINGS); Statement s = c.createStatement()) {
      for (String sql : MemoryTemplate.SCRIPT) {
        s.addBatch(sql);
      }
      s.executeBatch();
      newCursorSecret(c);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot copy the in-memory H2 template into " + url, e);
    }
    return StoreOptions.of(url);
  }

  /** A new random cursor secret, of the length a new store makes. */
  private static void newCursorSecret(Path directory) {
    try (Connection c = connect(directory)) {
      newCursorSecret(c);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot give the copy in " + directory + " a cursor secret", e);
    }
  }

  private static void newCursorSecret(Connection c) throws SQLException {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    try (PreparedStatement s = c.prepareStatement("UPDATE vx_meta SET cursor_secret = ? WHERE id = 1")) {
      s.setString(1, HexFormat.of().formatHex(secret));
      if (s.executeUpdate() != 1) {
        throw new IllegalStateException("the H2 template has no vx_meta row");
      }
    }
  }

  /** A plain connection to the store in {@code directory}, with the settings the store connects with. */
  static Connection connect(Path directory) throws SQLException {
    return DriverManager.getConnection(VxDataStore.h2File(directory) + SETTINGS);
  }

  /** A plain connection to the in-memory store at {@code url}, with the settings the store connects with. */
  static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url + SETTINGS);
  }

  /**
   * The in-memory template's SQL script, made on first use by opening a store on an empty in-memory
   * database (holder idiom).
   */
  static final class MemoryTemplate {

    static final List<String> SCRIPT;

    static {
      String url = VxDataStore.h2Memory("vxdata-test-template-" + UUID.randomUUID());
      VxDataStore.open(url).close();
      List<String> script = new ArrayList<>();
      try (Connection c = connect(url); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SCRIPT NOPASSWORDS NOSETTINGS")) {
        while (rs.next()) {
          script.add(rs.getString(1));
        }
        s.execute("DROP ALL OBJECTS");
      } catch (SQLException e) {
        throw new IllegalStateException("cannot script the in-memory H2 template", e);
      }
      SCRIPT = List.copyOf(script);
    }

    private MemoryTemplate() {}
  }

  /** The template file, made on first use by opening a store in an empty directory (holder idiom). */
  static final class Template {

    static final Path DIRECTORY;
    static final Path FILE_PATH;

    static {
      try {
        DIRECTORY = Files.createTempDirectory("vxdata-test-h2-template-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      VxDataStore.open(VxDataStore.h2File(DIRECTORY)).close();
      FILE_PATH = DIRECTORY.resolve(FILE);
      if (!Files.exists(FILE_PATH)) {
        throw new IllegalStateException("opening a store in " + DIRECTORY + " made no " + FILE);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try (var files = Files.list(DIRECTORY)) {
          for (Path p : (Iterable<Path>) files::iterator) {
            Files.deleteIfExists(p);
          }
          Files.deleteIfExists(DIRECTORY);
        } catch (IOException e) {
          // a temporary directory left behind
        }
      }, "vxdata-test-h2-template-cleanup"));
    }

    private Template() {}
  }
}
