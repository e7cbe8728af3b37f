package io.vxdata;

import java.util.Locale;

/**
 * What a version in the change feed did to its identifier (docs/behaviour.md §14.2). When more than
 * one applies, the first in this order wins: {@link #CREATED}, {@link #DELETED}, {@link #RESTORED},
 * {@link #MOVED}, {@link #UPDATED}.
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
  MOVED;

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
