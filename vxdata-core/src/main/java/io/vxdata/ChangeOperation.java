package io.vxdata;

import java.util.Locale;

/**
 * What an entry of the change feed did (docs/behaviour.md §14.2). For a version, when more than one
 * applies, the first in this order wins: {@link #CREATED}, {@link #DELETED}, {@link #RESTORED},
 * {@link #MOVED}, {@link #UPDATED}. A link change (docs/behaviour.md §15.1) is {@link #ATTACHED} or
 * {@link #DETACHED}.
 */
public enum ChangeOperation {
  /** The first version of a life of the identifier: a create, a registration, or a re-creation after a delete. */
  CREATED,
  /** Any other change of an active resource that kept its parent. */
  UPDATED,
  /** A tombstone: a delete, cascaded or not. */
  DELETED,
  /** The first version after a tombstone that is not a re-creation: a restore. */
  RESTORED,
  /** A change of the parent (with or without other fields). */
  MOVED,
  /** A link attached: by an attach, or again by the restore of an end whose delete detached it. */
  ATTACHED,
  /** A link detached: by a detach, or by the delete of either end. */
  DETACHED;

  /** Whether this is what a link change did, not a version. */
  public boolean isLinkChange() {
    return this == ATTACHED || this == DETACHED;
  }

  /** The name on the wire: {@code created}, {@code updated}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The operation named {@code name} on the wire.
   *
   * @throws IllegalArgumentException if there is none
   */
  public static ChangeOperation ofWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
