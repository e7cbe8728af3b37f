package io.vxdata.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;

/**
 * What every request goes through besides its route, installed before the routes: its request id
 * ({@link RequestIds}), CORS when origins are configured ({@link Cors}), the request log and request
 * metrics ({@link RequestLog}), and {@code GET /metrics} when {@link ServerOptions#metrics()} is given.
 */
final class Operations {

  /** The metrics route. */
  static final String METRICS_PATH = "/metrics";

  private static final String STARTED = "vxdata-request-started";

  private Operations() {}

  static void install(JavalinConfig config, ServerOptions options) {
    ServerMetrics metrics = options.metrics();
    // First of all before-handlers: everything after it, errors included, can name the request.
    config.routes.before(ctx -> {
      ctx.attribute(STARTED, System.nanoTime());
      RequestIds.assign(ctx);
      // Refused on its Content-Length, before anything reads the body: a client that sent
      // "Expect: 100-continue" (curl does for bodies over 1 MiB) gets the 413 without uploading.
      if (ctx.contentLength() > options.maxBodyBytes()) {
        throw new ContentTooLargeResponse();
      }
    });
    if (!options.corsOrigins().isEmpty()) {
      Cors cors = new Cors(options.corsOrigins());
      config.routes.before(ctx -> {
        // A preflight skips every later handler, the after-handler below included: counted here.
        if (cors.before(ctx) && metrics != null) {
          record(metrics, ctx);
        }
      });
    }
    config.requestLogger.http(new RequestLog());
    if (metrics != null) {
      // In an after-handler, not the request logger: it runs before the answer is sent, so a client that
      // has the answer (a test, a scrape that follows) sees the request counted. The time is the
      // handling time: up to the answer's first byte (all of a streamed export).
      config.routes.after(ctx -> record(metrics, ctx));
      config.routes.get(METRICS_PATH, ctx -> ctx.status(200).contentType(metrics.contentType()).result(metrics.scrape()));
    }
  }

  private static void record(ServerMetrics metrics, Context ctx) {
    Long started = ctx.attribute(STARTED);
    long nanos = started == null ? 0 : System.nanoTime() - started;
    metrics.request(ctx.method().name(), RequestLog.route(ctx), ctx.statusCode(), nanos);
  }
}
