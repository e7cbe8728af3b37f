package io.vxdata.relation;

import java.util.Locale;

/** How many resources one end of a link may have on the other end at a time. */
public enum Cardinality {
  /** At most one. */
  ONE,
  /** Any number. */
  MANY;

  /** The wire name: {@code one} or {@code many}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The cardinality of a wire name.
   *
   * @throws IllegalArgumentException if it is neither {@code one} nor {@code many}
   */
  public static Cardinality parse(String wireName) {
    for (Cardinality c : values()) {
      if (c.wireName().equals(wireName)) {
        return c;
      }
    }
    throw new IllegalArgumentException("must be 'one' or 'many', not '" + wireName + "'");
  }
}
