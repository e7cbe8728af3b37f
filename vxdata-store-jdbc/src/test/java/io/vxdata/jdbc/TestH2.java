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
import java.sql.SQLException;
import java.util.HexFormat;

/**
 * File-based H2 for tests: a fresh store is a copy of a template database file that a store was opened
 * on once per JVM, so that opening it only validates the migrations and finds the built-in types
 * instead of creating every table again (the file kit's tests: about half their time).
 *
 * <p>The template is exactly what opening a store in an empty directory creates, nothing written;
 * each copy gets a cursor secret of its own, as a new store would ({@code H2FileTemplateTest}).
 */
public final class TestH2 {

  /** The file {@link VxDataStore#h2File} names in its directory. */
  static final String FILE = "vxdata.mv.db";

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

  /** A new random cursor secret, of the length a new store makes. */
  private static void newCursorSecret(Path directory) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    try (Connection c = connect(directory);
         PreparedStatement s = c.prepareStatement("UPDATE vx_meta SET cursor_secret = ? WHERE id = 1")) {
      s.setString(1, HexFormat.of().formatHex(secret));
      if (s.executeUpdate() != 1) {
        throw new IllegalStateException("the H2 template has no vx_meta row");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot give the copy in " + directory + " a cursor secret", e);
    }
  }

  /** A plain connection to the store in {@code directory}, with the settings the store connects with. */
  static Connection connect(Path directory) throws SQLException {
    return DriverManager.getConnection(VxDataStore.h2File(directory)
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
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
