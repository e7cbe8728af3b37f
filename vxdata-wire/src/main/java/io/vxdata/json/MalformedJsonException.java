package io.vxdata.json;

/**
 * A request or response body is not well-formed JSON (HTTP 400 {@code bad_request}). Distinct from
 * {@link io.vxdata.ValidationException}, which is about well-formed JSON with wrong content.
 */
public final class MalformedJsonException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** A body that could not be parsed, with the parser's explanation. */
  public MalformedJsonException(String message, Throwable cause) {
    super(message, cause);
  }
}
