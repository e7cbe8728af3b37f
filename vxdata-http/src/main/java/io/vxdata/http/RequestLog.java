package io.vxdata.http;

import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.javalin.router.Endpoint;
import java.util.Locale;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per answered request, at INFO on the logger {@value #LOGGER}, in logfmt:
 *
 * <pre>
 * method=POST path=/resources/read status=200 duration_ms=3.1 bytes=412 request_id=5f0c… principal=-
 * </pre>
 *
 * The same fields are attached as SLF4J key-value pairs, so a structured backend (the server's
 * {@code --log-format json}) writes them as fields. {@code path} is the path without the query string;
 * {@code bytes} the body bytes sent; {@code principal} is the caller's principal id, or {@code -} on the open routes and
 * when the request was refused before its caller was known (a 401). Never the token.
 * Requests that Jetty refuses before any route runs (a malformed URI, headers too large) are not logged
 * here. Silence the line by setting the logger's level to WARN.
 */
final class RequestLog implements RequestLogger {

  /** The logger of the request lines. */
  static final String LOGGER = "io.vxdata.http.requests";
  /** The route of a request no route answered (404, 405, a CORS preflight). */
  static final String UNMATCHED_ROUTE = "unmatched";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);


  @Override
  public void handle(Context ctx, Float executionTimeMs) {
    try {
      double ms = executionTimeMs == null ? 0 : executionTimeMs;
      int status = ctx.statusCode();
      if (LOG.isInfoEnabled()) {
        String id = RequestIds.of(ctx);
        String principal = principal(ctx);
        long bytes = bytesSent(ctx);
        String duration = String.format(Locale.ROOT, "%.1f", ms);
        LOG.atInfo()
            .addKeyValue("method", ctx.method().name())
            .addKeyValue("path", ctx.path())
            .addKeyValue("status", status)
            .addKeyValue("duration_ms", duration)
            .addKeyValue("bytes", bytes)
            .addKeyValue("request_id", id)
            .addKeyValue("principal", principal)
            .log("method={} path={} status={} duration_ms={} bytes={} request_id={} principal={}", ctx.method().name(),
                ctx.path(), status, duration, bytes, id, principal);
      }
    } finally {
      RequestIds.clear();
    }
  }

  /** Who made the request: its principal's id ({@code system} for the served handle), {@code -} when none was resolved. */
  static String principal(Context ctx) {
    String principal = Authenticator.principalOf(ctx);
    return principal == null ? "-" : principal;
  }

  /** The template of the route that answered, e.g. {@code /parents/{identifier}}. */
  static String route(Context ctx) {
    try {
      Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
      return endpoint == null ? UNMATCHED_ROUTE : endpoint.path;
    } catch (RuntimeException e) {
      return UNMATCHED_ROUTE;
    }
  }

  /**
   * The body bytes of the answer (after compression, when Javalin compresses): what was written to the
   * servlet output, sent or still buffered; -1 if unknown.
   */
  private static long bytesSent(Context ctx) {
    try {
      ServletContextResponse response = ServletContextResponse.getServletContextResponse(ctx.res());
      return response == null ? -1 : response.getHttpOutput().getWritten();
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
