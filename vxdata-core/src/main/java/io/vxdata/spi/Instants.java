package io.vxdata.spi;

import io.vxdata.ValidationException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Parsing of instants as the API writes them (docs/behaviour.md §4): an ISO 8601 date-time with an offset, or a date
 * meaning the start of that day in UTC. A date-time without an offset is ambiguous and rejected.
 */
public final class Instants {

  private Instants() {}

  /**
   * Parses {@code text} into an instant, truncated to microseconds (the store's precision).
   *
   * @throws ValidationException naming {@code field} if the text is not a date or an offset
   *     date-time, or its year lies outside what the databases hold
   */
  public static Instant parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw ValidationException.of(null, field, "must be an ISO 8601 date or date-time with offset");
    }
    try {
      Instant at = text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
          : OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MICROS);
      check(at, field);
      return at;
    } catch (DateTimeParseException e) {
      String hint = text.contains("T") && !hasOffset(text) ? " (a date-time needs an offset such as Z or +02:00)" : "";
      throw ValidationException.of(null, field, "'%s' is not an ISO 8601 date or date-time with offset%s", text, hint);
    }
  }

  /**
   * Checks that {@code at} lies in the range the databases hold; a year they cannot hold would
   * otherwise fail in SQL as "out of range".
   *
   * @throws ValidationException naming {@code field} if it does not
   */
  public static Instant check(Instant at, String field) {
    String problem = Limits.instantProblem(at);
    if (problem != null) {
      throw ValidationException.of(null, field, "%s", problem);
    }
    return at;
  }

  private static boolean hasOffset(String text) {
    String time = text.substring(text.indexOf('T') + 1);
    return time.endsWith("Z") || time.contains("+") || time.contains("-");
  }
}
