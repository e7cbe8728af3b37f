package io.vxdata;

import java.time.Instant;
import java.util.Objects;

/**
 * The answer of a read and the transaction time it was read at (docs/behaviour.md §4).
 *
 * <p>{@code asOf} is the requested time, or the last commit time when the read asked for the latest
 * state or a time after it; reading again with {@code AsOf.at(asOf)} gives the same answer, whatever
 * was written meanwhile.
 *
 * @param value what the read found
 * @param asOf the transaction time it was read at
 * @param <T> the type of the answer
 */
public record Answer<T>(T value, Instant asOf) {

  public Answer {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(asOf, "asOf");
  }
}
