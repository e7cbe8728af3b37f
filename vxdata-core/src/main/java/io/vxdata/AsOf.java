package io.vxdata;

import io.vxdata.spi.Instants;
import io.vxdata.spi.ReleaseNames;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * The time a read reads at (docs/behaviour.md §4): the latest committed state, the state at a past transaction
 * time, or the state at a named release (docs/behaviour.md §14.4), whose time the store looks up. Every read takes one, the same way: in its request ({@link ReadOptions},
 * {@link io.vxdata.query.QueryRequest}) or as its last argument; every read answers with the
 * transaction time it actually read at ({@link Answer#asOf()}, {@link io.vxdata.query.QueryPage#asOf()}).
 *
 * <p>A time after the last commit reads the latest state, and the answer says so. Times are kept to
 * the microsecond, the stores' precision.
 */
public final class AsOf {

  private static final AsOf LATEST = new AsOf(null, null);

  private final Instant instant;
  private final String release;

  private AsOf(Instant instant, String release) {
    this.instant = instant;
    this.release = release;
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
    return new AsOf(Instants.check(instant.truncatedTo(ChronoUnit.MICROS), "as_of"), null);
  }

  /**
   * The state at the transaction time of the release named {@code name} (docs/behaviour.md §14.4).
   * The store resolves the name when it reads; an unknown name is a validation error there.
   *
   * @throws ValidationException naming {@code release} if the name is malformed
   */
  public static AsOf release(String name) {
    return new AsOf(null, ReleaseNames.check(name, "release"));
  }

  /**
   * Parses the text form of the HTTP API: an ISO 8601 date-time with an offset
   * ({@code 2024-05-01T12:00:00Z}), or a date meaning the start of that day in UTC.
   *
   * @throws ValidationException naming {@code as_of} if the text is neither
   */
  public static AsOf parse(String text) {
    return new AsOf(Instants.parse(text, "as_of"), null);
  }

  /** The requested transaction time; empty for the latest state and for a release (not yet resolved). */
  public Optional<Instant> instant() {
    return Optional.ofNullable(instant);
  }

  /** The name of the release to read at; empty for the other kinds. */
  public Optional<String> release() {
    return Optional.ofNullable(release);
  }

  /** Whether this reads the latest committed state (a release is not: it names a fixed time). */
  public boolean isLatest() {
    return instant == null && release == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AsOf other && Objects.equals(instant, other.instant) && Objects.equals(release, other.release);
  }

  @Override
  public int hashCode() {
    return Objects.hash(instant, release);
  }

  @Override
  public String toString() {
    return release != null ? "release " + release : instant == null ? "latest" : instant.toString();
  }
}
