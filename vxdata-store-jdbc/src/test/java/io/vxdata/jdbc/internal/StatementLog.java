package io.vxdata.jdbc.internal;

import io.vxdata.jdbc.StoreOptions;
import io.vxdata.jdbc.TestPostgres;
import io.vxdata.jdbc.VxDataStore;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

/** The statements a store runs for one call, for tests that count them. */
final class StatementLog {

  private StatementLog() {}

  /** What {@code call} answered, and the statements it ran. */
  record Run<T>(T answer, List<String> statements) {}

  /** A fresh database ("h2": in memory; "postgres"): two stores opened on it are two processes sharing it. */
  static StoreOptions freshDatabase(String database) {
    return database.equals("h2") ? StoreOptions.of(VxDataStore.h2Memory("statements-" + UUID.randomUUID()))
        : TestPostgres.freshDatabase().storeOptions();
  }

  static <T> Run<T> run(JdbcVxData vx, Supplier<T> call) {
    List<String> statements = new CopyOnWriteArrayList<>();
    vx.logStatementsForTest(new SqlLogger() {
      @Override
      public void logBeforeExecution(StatementContext context) {
        statements.add(context.getRenderedSql());
      }
    });
    try {
      return new Run<>(call.get(), List.copyOf(statements));
    } finally {
      vx.logStatementsForTest(SqlLogger.NOP_SQL_LOGGER);
    }
  }
}
