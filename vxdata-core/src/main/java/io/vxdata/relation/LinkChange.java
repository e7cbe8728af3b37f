package io.vxdata.relation;

import io.vxdata.ChangeOperation;
import java.time.Instant;
import java.util.Objects;

/**
 * A link of a resource attached or detached, in its history (docs/behaviour.md §14.1, §15.1).
 *
 * @param transactionTime the commit that attached or detached it
 * @param operation {@link ChangeOperation#ATTACHED} or {@link ChangeOperation#DETACHED}
 * @param link the link
 * @param by the principal whose commit it was: the attach, the detach, or the delete or restore of
 *     an end that carried the link along
 */
public record LinkChange(Instant transactionTime, ChangeOperation operation, Link link, String by) {

  /** @throws IllegalArgumentException if {@code operation} is not one of a link */
  public LinkChange {
    Objects.requireNonNull(transactionTime, "transactionTime");
    Objects.requireNonNull(link, "link");
    if (!Objects.requireNonNull(operation, "operation").isLinkChange()) {
      throw new IllegalArgumentException("a link change is attached or detached, not " + operation.wireName());
    }
  }
}
