package io.vxdata.release;

import io.vxdata.spi.ReleaseNames;
import java.time.Instant;
import java.util.Objects;

/**
 * A release (docs/behaviour.md §14.4): a name given for good to one transaction time, so that a read
 * at the release reads at that time.
 *
 * @param name the name, unique in the store
 * @param transactionTime the time it names, at or before the commit that was last when it was created
 * @param description what it is for, or {@code null}
 * @param createdBy the principal that created it ({@code system} in-process without a principal)
 * @param createdAt when it was created (the time of the commit that recorded it)
 */
public record Release(String name, Instant transactionTime, String description, String createdBy,
    Instant createdAt) {

  public Release {
    ReleaseNames.check(name, "name");
    Objects.requireNonNull(transactionTime, "transactionTime");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
