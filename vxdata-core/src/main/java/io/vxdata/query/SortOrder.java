package io.vxdata.query;

import java.util.Locale;

/** The direction of one sort key. */
public enum SortOrder {
  ASC,
  DESC;

  /** {@code "asc"} or {@code "desc"}, as on the wire. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code asc} or {@code desc} (any case).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static SortOrder parse(String text) {
    if ("asc".equalsIgnoreCase(text)) {
      return ASC;
    }
    if ("desc".equalsIgnoreCase(text)) {
      return DESC;
    }
    throw new IllegalArgumentException("sort_order must be 'asc' or 'desc', not '" + text + "'");
  }
}
