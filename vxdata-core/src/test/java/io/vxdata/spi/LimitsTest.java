package io.vxdata.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.AsOf;
import io.vxdata.ValidationException;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The bounds every backend shares. */
class LimitsTest {

  @Test
  void textThatNoDatabaseKeepsIsNamed() {
    assertThat(Limits.textProblem("a\u0000b", false)).isEqualTo(
        "contains a NUL character (U+0000), which cannot be stored");
    assertThat(Limits.textProblem("a\ud800", false)).isEqualTo(
        "is not valid Unicode: it holds an unpaired surrogate at position 1");
    assertThat(Limits.textProblem("\ud83d\ude00", false)).isNull();
    assertThat(Limits.textProblem("é".repeat(1000), true)).isNull();
    assertThat(Limits.textProblem("é".repeat(1001), true)).isEqualTo(
        "is longer than 2000 bytes in UTF-8, the most an indexed field holds");
    assertThat(Limits.textProblem("é".repeat(1001), false)).isNull();
  }

  @Test
  void timesAreBoundedToTheYearsBothDatabasesHold() {
    assertThat(Limits.instantProblem(Instant.parse("0001-01-01T00:00:00Z"))).isNull();
    assertThat(Limits.instantProblem(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo(
        "must lie between the years 1 and 9999, not +10000-01-01T00:00:00Z");
    assertThat(Limits.dateProblem(LocalDate.of(0, 12, 31))).isEqualTo(
        "must lie between the years 1 and 9999, not 0000-12-31");
    assertThatThrownBy(() -> AsOf.parse("+99999-01-01T00:00:00Z")).isInstanceOf(ValidationException.class)
        .hasMessage("field 'as_of': must lie between the years 1 and 9999, not +99999-01-01T00:00:00Z");
  }

  @Test
  void countsPastALimitNameTheField() {
    assertThatThrownBy(() -> Limits.checkCount(50_001, Limits.MAX_BATCH, "resources", "items"))
        .isInstanceOf(ValidationException.class)
        .hasMessage("field 'resources': at most 50,000 items per request, not 50,001");
  }
}
