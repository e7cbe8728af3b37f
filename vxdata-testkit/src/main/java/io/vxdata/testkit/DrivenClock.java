package io.vxdata.testkit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that tells the time a test sets, and stands still otherwise: it may be moved
 * forwards or backwards at will. Safe to read from any thread.
 */
public final class DrivenClock extends Clock {

  private volatile Instant now;

  /** A clock standing at {@code start}. */
  public DrivenClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** Moves the clock to {@code instant}, earlier or later than now. */
  public void set(Instant instant) {
    this.now = Objects.requireNonNull(instant, "instant");
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /**
   * Not supported: a clock in another zone would no longer follow {@link #set}.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a DrivenClock tells UTC only");
  }
}
