package io.vxdata;

import java.util.List;

/**
 * A request is invalid or conflicts with the stored state (HTTP 400). Nothing was written.
 *
 * <p>Raised for unknown payload types and fields, wrong value types, missing required fields,
 * malformed identifiers, bad parent types, immutable fields changed, identifiers already active,
 * and registration keys already taken.
 */
public final class ValidationException extends VxDataException {

  private static final long serialVersionUID = 1L;

  /** A message formatted as {@link String#format}; without {@code args} the text is used as it is. */
  public ValidationException(String format, Object... args) {
    super(format(format, args), List.of(), null);
  }

  public ValidationException(List<Violation> violations) {
    super(summarize(violations), violations, null);
  }

  /** One violation of one field of one resource; without {@code args} the text is used as it is. */
  public static ValidationException of(String identifier, String field, String format, Object... args) {
    return new ValidationException(List.of(new Violation(identifier, field, format(format, args))));
  }

  /**
   * {@code format} formatted with {@code args}, or taken as it is when there are none: messages are
   * often built from request text, and a {@code %} in it must not be read as a conversion.
   */
  static String format(String format, Object... args) {
    return args.length == 0 ? format : String.format(java.util.Locale.ROOT, format, args);
  }

  static String summarize(List<Violation> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a ValidationException needs at least one violation");
    }
    String first = violations.get(0).toString();
    return violations.size() == 1 ? first : first + " (and " + (violations.size() - 1) + " more)";
  }
}
