package io.vxdata.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.StoreException;
import io.vxdata.ValidationException;
import io.vxdata.VxDataException;
import java.sql.SQLException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The store's last resort: a database error that is the client's fault (a value it cannot take,
 * class 22; a request past one of its limits, class 54) is a validation error, not a 500. The causes
 * are validated before SQL; this covers what a future validator misses.
 */
class ErrorTranslationTest {

  private static VxDataException translate(String state, String message) {
    return SqlErrors.translate(new UnableToExecuteStatementException(new SQLException(message, state), null));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "22001|Value too long for column \"ARRAY\": \"ARRAY (70000)\"",
      "22003|Numeric value out of range: \"99999\"",
      "22021|ERROR: invalid byte sequence for encoding \"UTF8\": 0x00",
      "2201B|ERROR: invalid regular expression: quantifier operand invalid",
      "22025|ERROR: LIKE pattern must not end with escape character",
      "54000|ERROR: index row requires 9000 bytes, maximum size is 8191"})
  void dataExceptionsAndProgramLimitsAreTheCallersFault(String state, String message) {
    VxDataException e = translate(state, message);

    assertThat(e).isInstanceOf(ValidationException.class)
        .hasMessage("the database rejected a value of the request: " + message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"22001|Value too long for column \"name\"; SQL statement:\nSELECT secret FROM t"})
  void theStatementH2AppendsIsNotShown(String state, String message) {
    assertThat(translate(state, message)).isInstanceOf(ValidationException.class)
        .hasMessage("the database rejected a value of the request: Value too long for column \"name\"");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"42P01|ERROR: relation \"x\" does not exist", "08006|An I/O error occurred"})
  void otherFailuresStayStoreFailures(String state, String message) {
    assertThat(translate(state, message)).isInstanceOf(StoreException.class).hasMessageContaining(message);
  }
}
