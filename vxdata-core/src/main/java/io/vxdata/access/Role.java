package io.vxdata.access;

import java.util.Locale;

/** What a grant on a datasource allows in its whole subtree (docs/behaviour.md §13.1), each role including the ones before it. */
public enum Role {
  /** Read. */
  VIEWER,
  /** Read and write. */
  EDITOR,
  /** Read, write, and manage the datasource's grants. */
  OWNER;

  /** Whether this role allows what {@code other} allows. */
  public boolean includes(Role other) {
    return compareTo(other) >= 0;
  }

  /** The lower-case name used in JSON, e.g. {@code "editor"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name ({@code viewer}, {@code editor}, {@code owner}).
   *
   * @throws IllegalArgumentException if the text names no role
   */
  public static Role parse(String text) {
    for (Role role : values()) {
      if (role.wireName().equals(text)) {
        return role;
      }
    }
    throw new IllegalArgumentException("role must be one of viewer, editor, owner, not '" + text + "'");
  }
}
