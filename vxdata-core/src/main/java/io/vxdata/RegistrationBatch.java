package io.vxdata;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a batch registration did (docs/behaviour.md §5, §12.4): the identifiers it allocated, in the order of the
 * items, and the transaction time it committed at.
 *
 * @param identifiers the new resources' identifiers, one per item, in input order
 * @param committedAt the transaction time of the registration, or the last commit time for an empty batch
 */
public record RegistrationBatch(List<String> identifiers, Instant committedAt) {

  public RegistrationBatch {
    identifiers = List.copyOf(identifiers);
    Objects.requireNonNull(committedAt, "committedAt");
  }
}
