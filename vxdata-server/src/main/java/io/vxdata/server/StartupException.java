package io.vxdata.server;

/**
 * The server could not start. The message is one line for the operator: what went wrong, and which
 * option (or environment variable) fixes it; the cause keeps the details for {@code --verbose}.
 */
final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
