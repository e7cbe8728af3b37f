package io.vxdata;

import java.util.List;

/**
 * The backend failed for a reason that is not the caller's fault (database unreachable, I/O error,
 * server error; HTTP 500). The call had no effect unless the message says otherwise.
 */
public final class StoreException extends VxDataException {

  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, List.of(), cause);
  }

  public StoreException(String message) {
    super(message, List.of(), null);
  }
}
