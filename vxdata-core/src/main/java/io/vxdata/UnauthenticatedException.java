package io.vxdata;

import java.util.List;

/**
 * The request carries no valid credentials: no token, or one that is unknown, revoked or expired,
 * or whose principal is disabled (docs/behaviour.md §13.5; HTTP 401). The message never repeats the token.
 */
public final class UnauthenticatedException extends VxDataException {

  private static final long serialVersionUID = 1L;

  public UnauthenticatedException(String message) {
    super(message, List.of(), null);
  }
}
