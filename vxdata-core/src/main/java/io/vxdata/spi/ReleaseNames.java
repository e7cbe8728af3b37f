package io.vxdata.spi;

import io.vxdata.ValidationException;
import java.util.regex.Pattern;

/**
 * The rule for release names (docs/behaviour.md §14.4): 1 to 100 letters, digits, {@code .}, {@code _}
 * and {@code -}, starting with a letter or a digit, so that a name is safe in a URL path as it is.
 */
public final class ReleaseNames {

  /** The longest name. */
  public static final int MAX_LENGTH = 100;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private ReleaseNames() {}

  /**
   * Returns {@code name} if it is a valid release name.
   *
   * @throws ValidationException naming {@code field} otherwise
   */
  public static String check(String name, String field) {
    if (name == null || name.isEmpty()) {
      throw ValidationException.of(null, field, "a release name is required");
    }
    if (!NAME.matcher(name).matches()) {
      throw ValidationException.of(null, field,
          "'%s' is not a release name: 1 to %d letters, digits, '.', '_' or '-', starting with a letter or a digit",
          name.length() > 120 ? name.substring(0, 120) + "…" : name, MAX_LENGTH);
    }
    return name;
  }
}
