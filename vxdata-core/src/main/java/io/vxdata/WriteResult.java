package io.vxdata;

import java.time.Instant;
import java.util.Objects;

/**
 * What a write did (docs/behaviour.md §3, §12.4): how many resources it changed and the transaction time it
 * committed at.
 *
 * <p>Reading {@code asOf(committedAt)} sees the write; reading one microsecond earlier does not.
 * A write that changed nothing ({@code count() == 0}) committed nothing: {@code committedAt} is then
 * the last commit time before it, so reading at it still sees everything the write found.
 *
 * @param count the resources created, updated, deleted or restored, as the write method documents
 * @param committedAt the transaction time of the write, or the last commit time if it changed nothing
 */
public record WriteResult(int count, Instant committedAt) {

  public WriteResult {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, not " + count);
    }
    Objects.requireNonNull(committedAt, "committedAt");
  }
}
