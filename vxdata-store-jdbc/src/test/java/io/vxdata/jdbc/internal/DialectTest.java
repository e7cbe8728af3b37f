package io.vxdata.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The connection settings the store adds to a user's URL, and which of the user's own win. */
class DialectTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "jdbc:postgresql://db/vx|jdbc:postgresql://db/vx?reWriteBatchedInserts=true",
      "jdbc:postgresql://db/vx?ssl=true|jdbc:postgresql://db/vx?ssl=true&reWriteBatchedInserts=true",
      "jdbc:postgresql://db/vx?reWriteBatchedInserts=false|jdbc:postgresql://db/vx?reWriteBatchedInserts=false",
      "jdbc:postgresql://db/vx?rewritebatchedinserts=false|jdbc:postgresql://db/vx?rewritebatchedinserts=false"})
  void postgresqlBatchesInsertsUnlessTheUrlSaysOtherwise(String url, String normalized) {
    assertThat(Dialect.of(url).normalizeUrl(url)).isEqualTo(normalized);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "jdbc:h2:mem:a|jdbc:h2:mem:a;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
      "jdbc:h2:./d;WRITE_DELAY=500|jdbc:h2:./d;WRITE_DELAY=500;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
          + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE"})
  void h2BehavesLikePostgresqlAndWritesThroughUnlessTheUrlSaysOtherwise(String url, String normalized) {
    assertThat(Dialect.of(url).normalizeUrl(url)).isEqualTo(normalized);
  }

  @Test
  void postgresqlConnectionsPlanEveryExecutionWithItsValues() {
    assertThat(Dialect.POSTGRESQL.connectionInitSql()).isEqualTo("SET plan_cache_mode = force_custom_plan");
    assertThat(Dialect.H2.connectionInitSql()).isNull();
  }
}
