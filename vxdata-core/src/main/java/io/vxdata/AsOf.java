package io.vxdata;

import io.vxdata.spi.Limits;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Parsing of {@code as_of} values (§4): an ISO 8601 date-time with an offset, or a date meaning the
 * start of that day in UTC. A date-time without an offset is ambiguous and rejected.
 */
public final class AsOf {

  private AsOf() {}

  /**
   * Parses an {@code as_of} text into an instant, truncated to microseconds (the store's precision).
   *
   * @throws ValidationException naming {@code as_of} if the text is not a date or an offset date-time
   */
  public static Instant parse(String text) {
    return parse(text, "as_of");
  }

  /** As {@link #parse(String)}, naming {@code field} in the error. */
  public static Instant parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw ValidationException.of(null, field, "must be an ISO 8601 date or date-time with offset");
    }
    try {
      Instant at = text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
          : OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MICROS);
      // A year the databases cannot hold would fail in SQL as "out of range".
      String problem = Limits.instantProblem(at);
      if (problem != null) {
        throw ValidationException.of(null, field, "%s", problem);
      }
      return at;
    } catch (DateTimeParseException e) {
      String hint = text.contains("T") && !hasOffset(text) ? " (a date-time needs an offset such as Z or +02:00)" : "";
      throw ValidationException.of(null, field, "'%s' is not an ISO 8601 date or date-time with offset%s", text, hint);
    }
  }

  private static boolean hasOffset(String text) {
    int t = text.indexOf('T');
    String time = text.substring(t + 1);
    return time.endsWith("Z") || time.contains("+") || time.contains("-");
  }
}
