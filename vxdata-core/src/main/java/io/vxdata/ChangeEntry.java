package io.vxdata;

import java.time.Instant;
import java.util.Objects;

/**
 * One version in the change feed (docs/behaviour.md §14.2). Replaying a feed's entries in order —
 * {@link ChangeOperation#DELETED} removes the identifier, every other operation makes it live under
 * {@code parentIdentifier} — rebuilds the set of live resources and their parents.
 *
 * @param transactionTime the transaction time that wrote the version (its {@code updated_at})
 * @param identifier the resource
 * @param payloadType the payload type of the version
 * @param operation what the version did
 * @param version the version number
 * @param parentIdentifier the parent of the version, or {@code null}
 */
public record ChangeEntry(Instant transactionTime, String identifier, String payloadType, ChangeOperation operation,
    long version, String parentIdentifier) {

  public ChangeEntry {
    Objects.requireNonNull(transactionTime, "transactionTime");
    Objects.requireNonNull(identifier, "identifier");
    Objects.requireNonNull(payloadType, "payloadType");
    Objects.requireNonNull(operation, "operation");
  }
}
