package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.jdbc.internal.ExportJobTable;
import io.vxdata.jdbc.internal.JdbcVxData;
import java.nio.file.Path;

/**
 * Opens a {@link VxData} over a relational database: embedded H2 (in memory or a file) or
 * PostgreSQL. Opening applies the schema migrations and registers the built-in payload types, so
 * an empty database is ready to use.
 *
 * <pre>{@code
 * try (VxData vx = VxDataStore.open(VxDataStore.h2File(Path.of("vxdata-data")))) {
 *   vx.create(List.of(NewResource.builder("datasource", "ds-1").set("name", "Clinic A").build()));
 * }
 * }</pre>
 */
public final class VxDataStore {

  private VxDataStore() {}

  /** Opens the store at {@code jdbcUrl} without credentials. */
  public static VxData open(String jdbcUrl) {
    return open(StoreOptions.of(jdbcUrl));
  }

  /** Opens the store at {@code jdbcUrl} as {@code user}. */
  public static VxData open(String jdbcUrl, String user, String password) {
    return open(StoreOptions.of(jdbcUrl).withCredentials(user, password));
  }

  /**
   * Opens a store.
   *
   * @throws io.vxdata.StoreException if the database cannot be reached or migrated
   * @throws IllegalArgumentException if the URL names neither H2 nor PostgreSQL
   */
  public static VxData open(StoreOptions options) {
    return JdbcVxData.open(options);
  }

  /**
   * The table of export jobs of a store this class opened: an internal seam for
   * {@code vxdata-exports}, which persists its jobs in the store's database (docs/behaviour.md §14.5).
   * Not a user API; it may change with the exports module.
   *
   * @param systemHandle a store {@link #open} returned (not a principal's view)
   * @throws IllegalArgumentException if {@code systemHandle} is not such a store
   */
  public static ExportJobTable exportJobs(VxData systemHandle) {
    if (!(systemHandle instanceof JdbcVxData store)) {
      throw new IllegalArgumentException("export jobs need a store opened by VxDataStore, not " + systemHandle);
    }
    try {
      return store.exportJobs();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The JDBC URL of an embedded H2 file store in {@code directory} (created if missing). */
  public static String h2File(Path directory) {
    return "jdbc:h2:file:" + directory.toAbsolutePath().resolve("vxdata");
  }

  /** The JDBC URL of a private in-memory H2 store named {@code name}, kept until the JVM exits. */
  public static String h2Memory(String name) {
    return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
  }
}
