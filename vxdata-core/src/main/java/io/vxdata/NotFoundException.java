package io.vxdata;

import java.util.List;

/** A resource, registration or payload type named by a request does not exist (HTTP 404). Nothing was written. */
public final class NotFoundException extends VxDataException {

  private static final long serialVersionUID = 1L;

  /** A message formatted as {@link String#format}; without {@code args} the text is used as it is. */
  public NotFoundException(String format, Object... args) {
    super(ValidationException.format(format, args), List.of(), null);
  }

  public NotFoundException(List<Violation> violations) {
    super(ValidationException.summarize(violations), violations, null);
  }

  /** One missing identifier; without {@code args} the text is used as it is. */
  public static NotFoundException of(String identifier, String format, Object... args) {
    return new NotFoundException(List.of(new Violation(identifier, null, ValidationException.format(format, args))));
  }
}
