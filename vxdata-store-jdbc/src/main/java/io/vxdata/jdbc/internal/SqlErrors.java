package io.vxdata.jdbc.internal;

import io.vxdata.StoreException;
import io.vxdata.ValidationException;
import io.vxdata.VxDataException;
import io.vxdata.Violation;
import io.vxdata.schema.BuiltInTypes;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a database failure means to the caller: the core exception it can act on, never an SQLException. */
final class SqlErrors {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcVxData.class);
  /** H2's error code for a database file locked by another process. */
  private static final int H2_DATABASE_IN_USE = 90020;

  private SqlErrors() {}

  /** Turns a database failure into the core exception a caller can act on. */
  static VxDataException translate(JdbiException e) {
    Throwable cause = e.getCause();
    if (cause instanceof SQLException sql && sql.getSQLState() != null) {
      String state = sql.getSQLState();
      if (state.startsWith("23")) {
        return new ValidationException("the write conflicts with stored data: %s", clientMessage(sql));
      }
      // The last resort for input the validators let through: a value the database cannot take
      // (class 22, data exception) or a request past one of its limits (class 54) is the client's
      // fault, not the server's. Logged, since each one is a missing check to add before SQL.
      if (state.startsWith("22") || state.startsWith("54")) {
        LOG.warn("The database rejected input that validation accepted (SQLState {})", state, e);
        return new ValidationException("the database rejected a value of the request: %s", clientMessage(sql));
      }
      if ("HYT00".equals(state) || "55P03".equals(state) || "40001".equals(state) || "40P01".equals(state)) {
        return new StoreException("the store is busy; retry the request (" + sql.getMessage() + ")", e);
      }
    }
    return new StoreException("database error: " + rootMessage(e), e);
  }

  /** Why the pool could not connect: an H2 file store open in another process says so. */
  static StoreException cannotConnect(String jdbcUrl, Dialect dialect, RuntimeException e) {
    if (dialect == Dialect.H2 && hasErrorCode(e, H2_DATABASE_IN_USE)) {
      return new StoreException("cannot open " + jdbcUrl + ": the H2 file store is open in another"
          + " process. An H2 file store belongs to one process at a time: stop the other process, give this"
          + " one its own directory, or share one store through the VxData server or PostgreSQL", e);
    }
    return new StoreException("cannot connect to " + jdbcUrl + ": " + rootMessage(e), e);
  }

  /** Whether {@code e} is a unique violation of a key index of {@code catalog} (docs/behaviour.md §12.3). */
  static boolean violatesKeyIndex(JdbiException e, Catalog catalog) {
    if (!(e.getCause() instanceof SQLException sql) || !"23505".equals(sql.getSQLState()) || sql.getMessage() == null) {
      return false;
    }
    String message = sql.getMessage().toLowerCase(Locale.ROOT);
    return catalog.tables().values().stream().anyMatch(t -> t.keyed() && message.contains(t.keyIndex()));
  }

  /**
   * A key the write's own checks found free was taken in the database: only a writer that does not
   * queue on this store's lock can do that. Answered like the checks would have, naming the
   * {@code holders} as read after the rollback; the field alone if the holder has gone again.
   */
  static VxDataException keyConflict(JdbiException e, List<Violation> holders) {
    return holders.isEmpty()
        ? ValidationException.of(null, BuiltInTypes.EXTERNAL_UID,
            "the key of a %s or %s in this write was taken by a concurrent write; nothing was written (%s)",
            BuiltInTypes.PATIENT, BuiltInTypes.STUDY, clientMessage((SQLException) e.getCause()))
        : new ValidationException(holders);
  }

  private static boolean hasErrorCode(Throwable e, int code) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getErrorCode() == code) {
        return true;
      }
    }
    return false;
  }

  /** The database's message without the SQL statement H2 appends, which would show our schema. */
  private static String clientMessage(SQLException sql) {
    String message = String.valueOf(sql.getMessage());
    int statement = message.indexOf("; SQL statement:");
    String text = statement < 0 ? message : message.substring(0, statement);
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
