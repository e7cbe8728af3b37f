package io.vxdata;

import java.time.Instant;

/**
 * Options of {@link VxData#read(java.util.List, ReadOptions)}.
 *
 * @param asOf the transaction time to read at, or {@code null} for the latest committed state
 * @param excludeChildren whether to leave out each resource's {@code children} list
 */
public record ReadOptions(Instant asOf, boolean excludeChildren) {

  private static final ReadOptions LATEST = new ReadOptions(null, false);

  /** The latest committed state, children included. */
  public static ReadOptions latest() {
    return LATEST;
  }

  /** The state as of {@code asOf}, children included. */
  public static ReadOptions asOf(Instant asOf) {
    return new ReadOptions(asOf, false);
  }

  /** These options, but reading at {@code asOf} ({@code null}: latest). */
  public ReadOptions withAsOf(Instant asOf) {
    return new ReadOptions(asOf, excludeChildren);
  }

  /** These options, but without the {@code children} lists. */
  public ReadOptions withoutChildren() {
    return new ReadOptions(asOf, true);
  }
}
