package io.vxdata;

import io.vxdata.spi.Instants;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * The time a read reads at (docs/behaviour.md §4): the latest committed state, or the state at a past transaction
 * time. Every read takes one, the same way: in its request ({@link ReadOptions},
 * {@link io.vxdata.query.QueryRequest}) or as its last argument; every read answers with the
 * transaction time it actually read at ({@link Answer#asOf()}, {@link io.vxdata.query.QueryPage#asOf()}).
 *
 * <p>A time after the last commit reads the latest state, and the answer says so. Times are kept to
 * the microsecond, the stores' precision.
 */
public final class AsOf {

  private static final AsOf LATEST = new AsOf(null);

  private final Instant instant;

  private AsOf(Instant instant) {
    this.instant = instant;
  }

  /** The latest committed state. */
  public static AsOf latest() {
    return LATEST;
  }

  /**
   * The state at transaction time {@code instant}, truncated to microseconds.
   *
   * @throws ValidationException naming {@code as_of} if the year lies outside 1–9999
   */
  public static AsOf at(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    return new AsOf(Instants.check(instant.truncatedTo(ChronoUnit.MICROS), "as_of"));
  }

  /**
   * Parses the text form of the HTTP API: an ISO 8601 date-time with an offset
   * ({@code 2024-05-01T12:00:00Z}), or a date meaning the start of that day in UTC.
   *
   * @throws ValidationException naming {@code as_of} if the text is neither
   */
  public static AsOf parse(String text) {
    return new AsOf(Instants.parse(text, "as_of"));
  }

  /** The requested transaction time; empty for the latest state. */
  public Optional<Instant> instant() {
    return Optional.ofNullable(instant);
  }

  /** Whether this reads the latest committed state. */
  public boolean isLatest() {
    return instant == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AsOf other && Objects.equals(instant, other.instant);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(instant);
  }

  @Override
  public String toString() {
    return instant == null ? "latest" : instant.toString();
  }
}
