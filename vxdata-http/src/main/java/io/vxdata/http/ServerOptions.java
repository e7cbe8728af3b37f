package io.vxdata.http;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link VxDataServer} listens.
 *
 * @param host the address to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port the TCP port; {@code 0} picks a free one (see {@link VxDataServer#port()})
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 * @param idleTimeoutOnStop once {@link VxDataServer#close()} has begun, how long a connection may
 *     stay idle before it is closed: a client's keep-alive connection between requests, or a request
 *     whose upload or download pauses that long. The stop waits for such connections, so a shorter
 *     time stops faster but cuts off slow clients sooner
 * @param corsOrigins the origins that browsers may call the API from ({@code https://app.example.org}, or
 *     {@code *} for any); empty (the default) sends no CORS headers at all. See {@link Cors}
 * @param metrics where request timings go and what {@code GET /metrics} answers, e.g. {@link
 *     MicrometerMetrics}; {@code null} (the default) has no {@code /metrics} route and needs no metrics
 *     library
 * @param authentication who makes each request ({@link Authentication#required()} by default)
 * @param tls the certificate and key to serve HTTPS with, or {@code null} (the default) for plain HTTP
 */
public record ServerOptions(String host, int port, long maxBodyBytes, Duration idleTimeoutOnStop,
    List<String> corsOrigins, ServerMetrics metrics, Authentication authentication, Tls tls) {

  /** The default port. */
  public static final int DEFAULT_PORT = 8080;
  /** The default request body limit: 64 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;
  /** The default idle time allowed once a stop has begun: one second (Jetty's). */
  public static final Duration DEFAULT_IDLE_TIMEOUT_ON_STOP = Duration.ofSeconds(1);

  public ServerOptions {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host is required");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, not " + port);
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be positive, not " + maxBodyBytes);
    }
    Objects.requireNonNull(idleTimeoutOnStop, "idleTimeoutOnStop");
    if (idleTimeoutOnStop.toMillis() < 1) {
      throw new IllegalArgumentException("idleTimeoutOnStop must be at least 1 ms, not " + idleTimeoutOnStop);
    }
    corsOrigins = Cors.normalizeOrigins(corsOrigins == null ? List.of() : corsOrigins);
    authentication = authentication == null ? Authentication.required() : authentication;
  }

  /** Options with the given CORS origins and metrics, tokens required, plain HTTP. */
  public ServerOptions(String host, int port, long maxBodyBytes, Duration idleTimeoutOnStop, List<String> corsOrigins,
      ServerMetrics metrics) {
    this(host, port, maxBodyBytes, idleTimeoutOnStop, corsOrigins, metrics, Authentication.required(), null);
  }

  /**
   * The PEM files to serve HTTPS with.
   *
   * @param certificate the certificate chain (PEM, {@code -----BEGIN CERTIFICATE-----}, the server's first)
   * @param privateKey its private key (PEM, PKCS #8: {@code -----BEGIN PRIVATE KEY-----})
   */
  public record Tls(java.nio.file.Path certificate, java.nio.file.Path privateKey) {
    public Tls {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(privateKey, "privateKey");
    }
  }

  /** Options without CORS and without metrics. */
  public ServerOptions(String host, int port, long maxBodyBytes, Duration idleTimeoutOnStop) {
    this(host, port, maxBodyBytes, idleTimeoutOnStop, List.of(), null, Authentication.required(), null);
  }

  /**
   * All interfaces, port 8080, 64 MiB bodies, connections idle for a second closed once a stop begins,
   * tokens required, plain HTTP.
   */
  public static ServerOptions defaults() {
    return new ServerOptions("0.0.0.0", DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_IDLE_TIMEOUT_ON_STOP, List.of(),
        null, Authentication.required(), null);
  }

  /** These options on another port. */
  public ServerOptions withPort(int port) {
    return new ServerOptions(host, port, maxBodyBytes, idleTimeoutOnStop, corsOrigins, metrics, authentication, tls);
  }

  /** These options bound to another address. */
  public ServerOptions withHost(String host) {
    return new ServerOptions(host, port, maxBodyBytes, idleTimeoutOnStop, corsOrigins, metrics, authentication, tls);
  }

  /** These options with another body limit. */
  public ServerOptions withMaxBodyBytes(long maxBodyBytes) {
    return new ServerOptions(host, port, maxBodyBytes, idleTimeoutOnStop, corsOrigins, metrics, authentication, tls);
  }

  /** These options with another idle time allowed once a stop has begun. */
  public ServerOptions withIdleTimeoutOnStop(Duration idleTimeoutOnStop) {
    return new ServerOptions(host, port, maxBodyBytes, idleTimeoutOnStop, corsOrigins, metrics, authentication, tls);
  }

  /**
   * These options with other CORS origins: each a serialized origin ({@code scheme://host[:port]}, no
   * path), or {@code *} for any origin; an empty list turns CORS off.
   *
   * @throws IllegalArgumentException for something that is not an origin
   */
  public ServerOptions withCorsOrigins(List<String> corsOrigins) {
    return new ServerOptions(host, port, maxBodyBytes, idleTimeoutOnStop, corsOrigins, metrics, authentication, tls);
  }

  /** These options with request metrics and {@code GET /metrics} ({@code null}: none). */
  public ServerOptions withMetrics(ServerMetrics metrics) {
    return new ServerOptions(host, port, maxBodyBytes, idleTimeoutOnStop, corsOrigins, metrics, authentication, tls);
  }

  /** These options with another way of finding out who makes each request. */
  public ServerOptions withAuthentication(Authentication authentication) {
    return new ServerOptions(host, port, maxBodyBytes, idleTimeoutOnStop, corsOrigins, metrics,
        Objects.requireNonNull(authentication, "authentication"), tls);
  }

  /** These options serving HTTPS with {@code tls} ({@code null}: plain HTTP). */
  public ServerOptions withTls(Tls tls) {
    return new ServerOptions(host, port, maxBodyBytes, idleTimeoutOnStop, corsOrigins, metrics, authentication, tls);
  }
}
