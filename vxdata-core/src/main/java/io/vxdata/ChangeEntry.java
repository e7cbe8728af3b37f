package io.vxdata;

import io.vxdata.relation.Link;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the change feed (docs/behaviour.md §14.2): a version, or a link attached or detached
 * (docs/behaviour.md §15.1). Replaying a feed's entries in order — {@link ChangeOperation#DELETED}
 * removes the identifier, every other operation of a version makes it live under
 * {@code parentIdentifier}, {@link ChangeOperation#ATTACHED} adds {@code link} and
 * {@link ChangeOperation#DETACHED} removes it — rebuilds the set of live resources, their parents
 * and the links attached.
 *
 * <p>A version has {@code identifier}, {@code payloadType} and {@code version} and no {@code link}; a
 * link change has {@code link} and none of the others.
 *
 * @param transactionTime the transaction time of the change (a version's {@code updated_at})
 * @param identifier the resource, for a version; {@code null} for a link change
 * @param payloadType the payload type of the version; {@code null} for a link change
 * @param operation what the entry did
 * @param version the version number; {@code null} for a link change
 * @param parentIdentifier the parent of the version, or {@code null}
 * @param link the link attached or detached; {@code null} for a version
 */
public record ChangeEntry(Instant transactionTime, String identifier, String payloadType, ChangeOperation operation,
    Long version, String parentIdentifier, Link link) {

  /** @throws IllegalArgumentException if the fields do not make a version or a link change, see above */
  public ChangeEntry {
    Objects.requireNonNull(transactionTime, "transactionTime");
    Objects.requireNonNull(operation, "operation");
    if (operation.isLinkChange()) {
      Objects.requireNonNull(link, "link");
      if (identifier != null || payloadType != null || version != null || parentIdentifier != null) {
        throw new IllegalArgumentException(
            "a link change has a link and no identifier, payload type, version or parent");
      }
    } else {
      Objects.requireNonNull(identifier, "identifier");
      Objects.requireNonNull(payloadType, "payloadType");
      Objects.requireNonNull(version, "version");
      if (link != null) {
        throw new IllegalArgumentException("a version has no link");
      }
    }
  }

  /** A version of {@code identifier}. */
  public static ChangeEntry ofVersion(Instant transactionTime, String identifier, String payloadType,
      ChangeOperation operation, long version, String parentIdentifier) {
    return new ChangeEntry(transactionTime, identifier, payloadType, operation, version, parentIdentifier, null);
  }

  /** {@code link} attached or detached ({@code operation}) at {@code transactionTime}. */
  public static ChangeEntry ofLink(Instant transactionTime, ChangeOperation operation, Link link) {
    return new ChangeEntry(transactionTime, null, null, operation, null, null, link);
  }

  /** Whether this entry is a link change rather than a version. */
  public boolean isLinkChange() {
    return link != null;
  }
}
