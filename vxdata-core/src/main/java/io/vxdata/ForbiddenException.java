package io.vxdata;

import java.util.List;

/**
 * The caller may see what it named but may not do what it asked (docs/behaviour.md §13.4; HTTP 403). Nothing was
 * written. A request naming something the caller may not see is a {@link NotFoundException}
 * instead, so that no answer reveals what exists.
 */
public final class ForbiddenException extends VxDataException {

  private static final long serialVersionUID = 1L;

  /** A message formatted as {@link String#format}; without {@code args} the text is used as it is. */
  public ForbiddenException(String format, Object... args) {
    super(ValidationException.format(format, args), List.of(), null);
  }
}
