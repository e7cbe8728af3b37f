package io.vxdata.jdbc.internal;

import io.vxdata.schema.FieldType;
import java.util.Locale;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/** What differs between the two databases the store runs on; everything else is shared SQL. */
enum Dialect {
  H2 {
    @Override
    String normalizeUrl(String url) {
      // Settings that make H2 behave like PostgreSQL where the store relies on it.
      StringBuilder sb = new StringBuilder(url);
      String upper = url.toUpperCase(Locale.ROOT);
      appendIfMissing(sb, upper, "MODE", "PostgreSQL");
      appendIfMissing(sb, upper, "DATABASE_TO_LOWER", "TRUE");
      appendIfMissing(sb, upper, "DEFAULT_NULL_ORDERING", "HIGH");
      if (!upper.startsWith("JDBC:H2:MEM:")) {
        // H2 otherwise writes committed changes to its file up to 500 ms later, from a background
        // thread: a crash of the process in between loses writes the caller was told had committed.
        // With no delay every commit is written to the file (not fsynced) before it returns.
        appendIfMissing(sb, upper, "WRITE_DELAY", "0");
        // H2's own shutdown hook would close the database while a graceful stop still lets requests
        // finish; the store's close() ends it instead, and with no write delay nothing is left unwritten.
        appendIfMissing(sb, upper, "DB_CLOSE_ON_EXIT", "FALSE");
      }
      return sb.toString();
    }

    @Override
    String textType(int length) {
      return length > 0 ? "VARCHAR(" + length + ")" : "VARCHAR(1000000)";
    }

    @Override
    boolean updatesInPlace() {
      // H2 deletes a row from every index and inserts the new one into every index again, where an
      // update rewrites only the indexes whose columns changed: a third of an update batch was the delete.
      return true;
    }

    @Override
    String keyedRows(String table, String column) {
      // H2 seeks the key for each element of "= ANY(?)" but then tests every row found against the
      // whole array again: 5.3 ms for 1,000 identifiers, against 1.1 ms joined to the array's rows.
      return "UNNEST(CAST(? AS " + textType(0) + " ARRAY)) vx_k(vx_key) JOIN " + table + " ON " + table + "." + column
          + " = vx_k.vx_key WHERE TRUE";
    }

    @Override
    <R> R inReadSnapshot(Jdbi jdbi, boolean byKeys, HandleCallback<R, RuntimeException> reads) {
      // H2's REPEATABLE READ still shows rows other transactions commit later; SERIALIZABLE reads
      // one snapshot of the whole database, taken at the first statement.
      return jdbi.inTransaction(TransactionIsolationLevel.SERIALIZABLE, reads);
    }
  },

  POSTGRESQL {
    @Override
    String normalizeUrl(String url) {
      // The driver sends a batch of inserts as multi-row INSERTs: a third faster on bulk create.
      if (url.toLowerCase(Locale.ROOT).contains("rewritebatchedinserts=")) {
        return url;
      }
      return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    @Override
    String connectionInitSql() {
      // After five executions the driver prepares a statement on the server, and PostgreSQL may then
      // keep a generic plan costed when a table was empty: a key probe or a children lookup that
      // scans a table grown since, ever slower as it grows. A plan per execution, made with the
      // actual values, costs a fraction of a millisecond and stays right.
      return "SET plan_cache_mode = force_custom_plan";
    }

    @Override
    String textType(int length) {
      // The "C" collation orders by code point, as H2 does, so sorts and keyset cursors agree.
      return (length > 0 ? "VARCHAR(" + length + ")" : "VARCHAR") + " COLLATE \"C\"";
    }

    @Override
    String keyedRows(String table, String column) {
      // The plan must not hang on statistics, which a table growing under an ingest lacks until
      // autovacuum analyzes it. For "identifier = ANY(?)" the primary key tells the planner one row per
      // key, statistics or not (a join of UNNEST(?) sorted and merged the whole identifier index then,
      // 23 ms a batch). Other columns are not unique, and without statistics "= ANY" of 1,000 keys looked
      // like half the table: a create's key check walked the primary key of 118,000 studies (22-90 ms a
      // batch). The lateral subquery, kept apart by OFFSET 0, seeks the column's index once per key: 1.3 ms.
      if (column.equals("identifier")) {
        return table + " WHERE identifier = ANY(?)";
      }
      return "UNNEST(CAST(? AS VARCHAR ARRAY)) vx_k(vx_key) CROSS JOIN LATERAL (SELECT * FROM " + table
          + " WHERE " + column + " = vx_k.vx_key OFFSET 0) " + table + " WHERE TRUE";
    }

    @Override
    <R> R inReadSnapshot(Jdbi jdbi, boolean byKeys, HandleCallback<R, RuntimeException> reads) {
      // Set for this transaction only, in its first statement: setting the connection's level
      // instead costs a round trip before and another after every read.
      return jdbi.inTransaction(h -> {
        String isolation = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
        h.execute(byKeys ? isolation + "; " + KEY_SEEKS : isolation);
        return reads.withHandle(h);
      });
    }

    @Override
    void beginWrite(Handle h) {
      h.execute(KEY_SEEKS);
    }

    @Override
    void reusingPlans(Handle h, int rows, Runnable inserts) {
      // The driver sends a batch as multi-row INSERTs (512, 256, ... rows), and planning one for its
      // values, as force_custom_plan has every statement do, took 11.7 ms for 512 rows: a fifth of a
      // 1,000-row create. Their plan never depends on the data, so they may keep one; the probes
      // after them in the transaction plan for their values again. A failed insert ends the
      // transaction, and the setting with it.
      if (rows < MANY_ROWS) {
        inserts.run();
        return;
      }
      h.execute("SET LOCAL plan_cache_mode = auto");
      inserts.run();
      h.execute("SET LOCAL plan_cache_mode = force_custom_plan");
    }
  };

  /**
   * On PostgreSQL, for the transaction that runs it: a page read priced at what a cached or SSD page
   * costs, for the statements that find rows by their keys (reads of identifiers, a write's probes and
   * loads). Planned with the actual 1,000 keys (force_custom_plan) and the default random_page_cost of
   * 4, meant for spinning disks, PostgreSQL scanned all 55,000 rows of a table (4.6 ms) rather than
   * seek its key (2.1 ms). Pages and counts keep the default: with it lowered, a filtered page walked
   * the identifier key backwards past 14,000 rows instead of reading its filter's index. And no parallel
   * workers: for an as-of read of 1,000 identifiers (200,000 studies) PostgreSQL started two to walk the
   * current and history branches side by side, and took 20 ms where one process takes about 8. And no
   * JIT compilation, which a statement costed high on a table without statistics paid 40 ms for.
   */
  private static final String KEY_SEEKS =
      "SET LOCAL random_page_cost = 1.1; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off";

  /** Rows from which a batch insert on PostgreSQL reuses its plans: fewer are planned in moments. */
  private static final int MANY_ROWS = 64;

  /** The dialect of a JDBC URL. */
  static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException("unsupported JDBC URL '" + jdbcUrl
        + "': VxData runs on H2 (jdbc:h2:...) and PostgreSQL (jdbc:postgresql:...)");
  }

  /** The URL with the settings the store needs added. */
  abstract String normalizeUrl(String url);

  /** A statement every new connection runs first, or {@code null}. */
  String connectionInitSql() {
    return null;
  }

  /**
   * Whether a write replaces the current row of a resource that keeps its type by an {@code UPDATE}
   * rather than a delete and an insert. PostgreSQL writes a new row version either way.
   */
  boolean updatesInPlace() {
    return false;
  }

  /** A string column type; {@code length} 0 means unbounded. */
  abstract String textType(int length);

  /**
   * The rows of {@code table} whose {@code column} holds one of the keys bound to the one array
   * parameter ({@link Sql#keys}, distinct): the text after {@code FROM}, its {@code WHERE} begun, for the
   * caller to go on with {@code " AND ..."}. The statement may name {@code table}'s columns unqualified.
   */
  abstract String keyedRows(String table, String column);

  /**
   * A query of one boolean row: whether a table named {@code table} (lower case, as the store names
   * its tables) is in the connection's current schema. On PostgreSQL a key probe of the catalog: its
   * views over every schema's tables cost milliseconds on a server with many schemas.
   */
  String tableExistsQuery(String table) {
    return this == POSTGRESQL ? "SELECT to_regclass(quote_ident(current_schema()) || '." + table + "') IS NOT NULL"
        : "SELECT COUNT(*) > 0 FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = CURRENT_SCHEMA"
            + " AND TABLE_NAME = '" + table + "'";
  }

  /**
   * A query of those of the index names in its one array parameter (lower case) that name an index in
   * the connection's current schema; on PostgreSQL by key probes of the catalog, as above.
   */
  String presentIndexesQuery() {
    return this == POSTGRESQL ? "SELECT m.name FROM UNNEST(CAST(? AS VARCHAR[])) m(name)"
        + " WHERE to_regclass(quote_ident(current_schema()) || '.' || quote_ident(m.name)) IS NOT NULL"
        : "SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA = CURRENT_SCHEMA"
            + " AND INDEX_NAME = ANY(?)";
  }

  /** An identifier-typed placeholder, collated as identifier columns are. */
  String identifierParameter() {
    return this == POSTGRESQL ? "CAST(? AS VARCHAR(255)) COLLATE \"C\"" : "CAST(? AS VARCHAR(255))";
  }

  /** Prepares a write transaction, before its first statement. */
  void beginWrite(Handle h) {}

  /**
   * Runs {@code inserts}, a batch insert of {@code rows} rows of values, letting the database reuse the
   * statements' plans, which depend on no data.
   */
  void reusingPlans(Handle h, int rows, Runnable inserts) {
    inserts.run();
  }

  /**
   * Runs {@code reads} in one transaction whose every statement sees the same snapshot; with
   * {@code byKeys}, statements that read rows by their keys.
   */
  abstract <R> R inReadSnapshot(Jdbi jdbi, boolean byKeys, HandleCallback<R, RuntimeException> reads);

  /** The column type of a payload field. */
  String columnType(FieldType type, boolean list) {
    String scalar = switch (type) {
      case STRING -> list ? "VARCHAR" : textType(0);
      case INTEGER -> "BIGINT";
      case NUMBER -> "DOUBLE PRECISION";
      case BOOLEAN -> "BOOLEAN";
      case DATE -> "DATE";
      case DATE_TIME -> "TIMESTAMP(6) WITH TIME ZONE";
    };
    return list ? scalar + " ARRAY" : scalar;
  }

  /** The element type name {@link java.sql.Connection#createArrayOf} expects. */
  String arrayElementType(FieldType type) {
    return switch (type) {
      case STRING -> "varchar";
      case INTEGER -> "bigint";
      case NUMBER -> "float8";
      case BOOLEAN -> "bool";
      case DATE -> "date";
      case DATE_TIME -> "timestamptz";
    };
  }

  private static void appendIfMissing(StringBuilder url, String upper, String key, String value) {
    if (!upper.contains(";" + key + "=")) {
      url.append(';').append(key).append('=').append(value);
    }
  }
}
