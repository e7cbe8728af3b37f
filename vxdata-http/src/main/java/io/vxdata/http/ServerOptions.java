package io.vxdata.http;

/**
 * How a {@link VxDataServer} listens.
 *
 * @param host the address to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port the TCP port; {@code 0} picks a free one (see {@link VxDataServer#port()})
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 */
public record ServerOptions(String host, int port, long maxBodyBytes) {

  /** The default port. */
  public static final int DEFAULT_PORT = 8080;
  /** The default request body limit: 64 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;

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
  }

  /** All interfaces, port 8080, 64 MiB bodies. */
  public static ServerOptions defaults() {
    return new ServerOptions("0.0.0.0", DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES);
  }

  /** These options on another port. */
  public ServerOptions withPort(int port) {
    return new ServerOptions(host, port, maxBodyBytes);
  }

  /** These options bound to another address. */
  public ServerOptions withHost(String host) {
    return new ServerOptions(host, port, maxBodyBytes);
  }

  /** These options with another body limit. */
  public ServerOptions withMaxBodyBytes(long maxBodyBytes) {
    return new ServerOptions(host, port, maxBodyBytes);
  }
}
