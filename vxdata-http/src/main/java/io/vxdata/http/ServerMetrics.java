package io.vxdata.http;

/**
 * Where a {@link VxDataServer} reports each answered request, and what its {@code GET /metrics} route
 * serves. Given in {@link ServerOptions#withMetrics(ServerMetrics)}; without one the server has no
 * {@code /metrics} route and loads no metrics library. {@link MicrometerMetrics} is the implementation
 * over Micrometer and Prometheus; it needs {@code io.micrometer:micrometer-registry-prometheus} on the
 * class path, which the adapter declares optional.
 *
 * <p>Implementations must be thread-safe: requests are reported from many threads at once.
 */
public interface ServerMetrics {

  /**
   * One answered request.
   *
   * @param method the HTTP method, e.g. {@code POST}
   * @param route the route template that answered, e.g. {@code /parents/{identifier}}, never the raw path
   *     (which would make a series per identifier); {@value RequestLog#UNMATCHED_ROUTE} when no route
   *     matched (404, 405, a CORS preflight)
   * @param status the HTTP status sent
   * @param durationNanos how long the request took
   */
  void request(String method, String route, int status, long durationNanos);

  /** The {@code Content-Type} of {@link #scrape()}. */
  String contentType();

  /** The body of {@code GET /metrics}: every metric now. */
  String scrape();
}
