package io.vxdata.spi;

import java.util.regex.Pattern;

/** The identifier rule of docs/behaviour.md §2.1: 1–255 characters of {@code [A-Za-z0-9._:~-]}, the first alphanumeric. */
public final class Identifiers {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:~-]{0,254}");

  private Identifiers() {}

  /** Whether {@code text} is a well-formed identifier. */
  public static boolean isValid(String text) {
    return text != null && IDENTIFIER.matcher(text).matches();
  }

  /** Why {@code text} is not a well-formed identifier, for error messages. */
  public static String describeProblem(String text) {
    if (text == null) {
      return "identifier is missing";
    }
    if (text.isEmpty()) {
      return "identifier is empty";
    }
    if (text.length() > 255) {
      return "identifier is longer than 255 characters";
    }
    return "'" + text + "' is not a valid identifier: use 1-255 characters of [A-Za-z0-9._:~-], the first alphanumeric";
  }
}
