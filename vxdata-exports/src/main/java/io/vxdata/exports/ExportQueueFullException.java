package io.vxdata.exports;

import java.time.Duration;

/**
 * A submission refused because every worker is busy and the queue is full (HTTP 429): nothing was
 * recorded; submit again after {@link #retryAfter()}.
 */
public final class ExportQueueFullException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public ExportQueueFullException(int queued, Duration retryAfter) {
    super("the export queue is full (" + queued + " jobs waiting); try again in " + retryAfter.toSeconds() + " s");
    this.retryAfter = retryAfter;
  }

  /** As a client reports the server's refusal: its message and {@code Retry-After}. */
  public ExportQueueFullException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  /** When a worker is expected to be free, rounded to whole seconds (at least one). */
  public Duration retryAfter() {
    return retryAfter;
  }
}
