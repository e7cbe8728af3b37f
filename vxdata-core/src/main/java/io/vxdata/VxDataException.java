package io.vxdata;

import java.util.List;

/**
 * Root of the VxData exception hierarchy. Every failure a {@link VxData} call reports is one of
 * its subclasses; backends translate their own errors (SQL states, HTTP statuses) into these.
 */
public abstract sealed class VxDataException extends RuntimeException
    permits ValidationException, NotFoundException, ForbiddenException, UnauthenticatedException,
    StoreException {

  private static final long serialVersionUID = 1L;

  private final transient List<Violation> violations;

  protected VxDataException(String message, List<Violation> violations, Throwable cause) {
    super(message, cause);
    this.violations = List.copyOf(violations);
  }

  /** The individual problems behind this exception, each naming its identifier and field; may be empty. */
  public List<Violation> violations() {
    return violations;
  }
}
