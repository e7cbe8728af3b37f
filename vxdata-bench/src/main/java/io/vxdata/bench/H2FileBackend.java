package io.vxdata.bench;

import io.vxdata.jdbc.VxDataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Embedded H2 file databases in a fresh temporary directory. Every database gets its own file,
 * opened with the settings the store adds to H2 URLs, so the baseline's H2 behaves like the store's.
 */
final class H2FileBackend implements Backend {

  /**
   * The settings the store appends to every H2 file URL (see the store's Dialect), durability
   * included: both paths write every commit to the file before it returns.
   */
  static final String SETTINGS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
      + ";DB_CLOSE_ON_EXIT=FALSE";

  private final Path root;
  private int counter;

  H2FileBackend() throws IOException {
    root = Files.createTempDirectory("vxdata-bench-h2-");
  }

  @Override
  public String name() {
    return "h2";
  }

  @Override
  public String description() {
    return "H2 " + org.h2.engine.Constants.FULL_VERSION + " embedded, file databases under " + root;
  }

  @Override
  public Database freshDatabase(String label) throws IOException {
    Path dir = Files.createDirectories(root.resolve(String.format("%02d-%s", ++counter, label)));
    return new Database(VxDataStore.h2File(dir) + SETTINGS, null, null);
  }

  @Override
  public Database baselineDatabase(Database store, String label) throws IOException {
    // Not the store's file: H2 serialises all work on one database, and the store's file also holds
    // the rows of the other path. A separate file opened with the same settings starts as empty.
    return freshDatabase(label);
  }

  @Override
  public String baselinePlacement() {
    return "JDBC baseline on a separate, fresh H2 file database with the same URL settings"
        + " (" + SETTINGS.substring(1) + ") in the same directory";
  }

  @Override
  public void settle(Database db) {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("CHECKPOINT");
    } catch (Exception e) {
      // best effort
    }
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("warning: could not delete " + root + ": " + e.getMessage());
    }
  }
}
