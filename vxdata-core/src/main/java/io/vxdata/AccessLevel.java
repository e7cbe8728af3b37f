package io.vxdata;

import java.util.Locale;

/** How sensitive a resource is, ordered from least to most restricted. */
public enum AccessLevel {
  PUBLIC,
  INTERNAL,
  CONFIDENTIAL,
  RESTRICTED;

  /** The default for resources created without an explicit level. */
  public static final AccessLevel DEFAULT = INTERNAL;

  private static final AccessLevel[] ALL = values();

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The lower-case name used in JSON and in filters, e.g. {@code "internal"}. */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses a wire name ({@code public}, {@code internal}, {@code confidential}, {@code restricted}).
   *
   * @throws IllegalArgumentException if the text names no level
   */
  public static AccessLevel parse(String text) {
    for (AccessLevel level : ALL) {
      if (level.wireName.equals(text)) {
        return level;
      }
    }
    throw new IllegalArgumentException(
        "access_level must be one of public, internal, confidential, restricted, not '" + text + "'");
  }
}
