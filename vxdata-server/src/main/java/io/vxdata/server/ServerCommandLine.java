package io.vxdata.server;

import io.vxdata.http.Authentication;
import io.vxdata.http.ServerOptions;
import io.vxdata.http.VxDataServer;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.s3.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's command line: options, each also settable by an environment variable; an option
 * given on the command line wins over the environment.
 *
 * @param help whether {@code --help} was given
 * @param version whether {@code --version} was given
 * @param verbose whether {@code --verbose} was given: a failed start prints its stack trace
 * @param host the address to bind
 * @param port the TCP port
 * @param jdbcUrl the store's JDBC URL
 * @param jdbcUser the database user, or {@code null}
 * @param jdbcPassword the database password, or {@code null}
 * @param maxBodyBytes the request body limit in bytes
 * @param dataDirectory where the embedded defaults keep their files: the H2 store and, without an
 *     S3 endpoint, the objects ({@code <dir>/objects})
 * @param s3 the object storage settings, or {@code null} for the embedded S3 endpoint
 * @param s3Bucket the bucket, also of the embedded endpoint
 * @param presignExpiry how long presigned URLs stay valid, also of the embedded endpoint
 * @param logFormat how log lines look: text or JSON lines
 * @param corsOrigins the origins browsers may call the API from; empty for no CORS
 * @param metrics whether {@code GET /metrics} serves Prometheus metrics
 * @param auth whether requests need a bearer token (docs/behaviour.md §13.7); off: every request
 *     without one acts as the admin
 * @param allowInsecure whether {@code --auth off} may bind an address other than loopback
 * @param tlsCertificate the PEM certificate chain to serve HTTPS with, or {@code null}
 * @param tlsKey its PEM private key (PKCS #8), or {@code null}
 * @param adminToken the secret of the first admin's token ({@code VXDATA_ADMIN_TOKEN}), or {@code null}
 *     for a random one
 * @param exportWorkers export jobs that run at once (docs/behaviour.md §14.5)
 * @param exportQueue export jobs that may wait for a worker; one more is answered 429
 * @param exportRetention how long an ended export job and its files are kept
 */
public record ServerCommandLine(boolean help, boolean version, boolean verbose, String host, int port, String jdbcUrl, String jdbcUser,
    String jdbcPassword, long maxBodyBytes, Path dataDirectory, S3Settings s3, String s3Bucket,
    Duration presignExpiry, LogFormat logFormat, List<String> corsOrigins, boolean metrics, boolean auth,
    boolean allowInsecure, Path tlsCertificate, Path tlsKey, String adminToken, int exportWorkers, int exportQueue,
    Duration exportRetention) {

  /** The admin principal the first start creates (docs/behaviour.md §13.7). */
  public static final String ADMIN = "admin";
  /** The file in the data directory the first start writes the admin's token to. */
  public static final String ADMIN_TOKEN_FILE = "admin-token";
  /** The environment variable that sets the admin token's secret on the first start. */
  public static final String ADMIN_TOKEN_ENV = "VXDATA_ADMIN_TOKEN";

  /** {@code toString} without the admin token. */
  @Override
  public String toString() {
    return "ServerCommandLine[host=" + host + ", port=" + port + ", jdbcUrl=" + jdbcUrl + ", auth=" + auth + "]";
  }

  /** Where the embedded defaults keep their files unless told otherwise. */
  public static final Path DEFAULT_DATA_DIRECTORY = Path.of("vxdata-data");
  /** The bucket unless told otherwise. */
  public static final String DEFAULT_BUCKET = "vxdata";

  private record Option(String name, String env, String argument, String description) {}

  private static final List<Option> OPTIONS = List.of(
      new Option("--port", "VXDATA_PORT", "PORT", "TCP port to listen on (default 8080; 0 picks a free port)"),
      new Option("--host", "VXDATA_HOST", "ADDRESS", "address to bind (default 0.0.0.0, every interface)"),
      new Option("--jdbc-url", "VXDATA_JDBC_URL", "URL",
          "store: jdbc:h2:... or jdbc:postgresql:... (default: H2 file store under ./vxdata-data)"),
      new Option("--jdbc-user", "VXDATA_JDBC_USER", "USER", "database user (default: none, or in the URL)"),
      new Option("--jdbc-password", "VXDATA_JDBC_PASSWORD", "PASSWORD", "database password (default: none)"),
      new Option("--max-body", "VXDATA_MAX_BODY", "BYTES",
          "largest request body accepted, e.g. 1048576, 512KiB, 64MiB, 1GiB (default 64MiB)"),
      new Option("--data-dir", "VXDATA_DATA_DIR", "DIR",
          "files of the embedded defaults: the H2 store and, without --s3-endpoint, the objects (default ./vxdata-data)"),
      new Option("--s3-endpoint", "VXDATA_S3_ENDPOINT", "URL",
          "S3-compatible endpoint (default: an embedded S3 endpoint on loopback, objects under DIR/objects)"),
      new Option("--s3-bucket", "VXDATA_S3_BUCKET", "BUCKET", "bucket of every s3:// path (default vxdata)"),
      new Option("--s3-region", "VXDATA_S3_REGION", "REGION", "signing region (default us-east-1)"),
      new Option("--s3-access-key", "VXDATA_S3_ACCESS_KEY", "KEY",
          "access key (default: the AWS default credential chain)"),
      new Option("--s3-secret-key", "VXDATA_S3_SECRET_KEY", "SECRET", "secret key, with --s3-access-key"),
      new Option("--s3-path-style", "VXDATA_S3_PATH_STYLE", "true|false",
          "address the bucket in the path, as most S3-compatible stores want (default true)"),
      new Option("--s3-presign-expiry", "VXDATA_S3_PRESIGN_EXPIRY", "DURATION",
          "how long presigned URLs stay valid, e.g. 900s, 15m, 2h (default 15m)"),
      new Option("--log-format", "VXDATA_LOG_FORMAT", "text|json",
          "log lines as text, or as one JSON object per line for log shippers (default text)"),
      new Option("--cors-origins", "VXDATA_CORS_ORIGINS", "ORIGINS",
          "comma-separated origins browsers may call the API from, e.g. https://app.example.org, or * (default: none, no CORS)"),
      new Option("--metrics", "VXDATA_METRICS", "true|false",
          "serve Prometheus metrics at GET /metrics, which needs no token (default true)"),
      new Option("--auth", "VXDATA_AUTH", "on|off",
          "on: every route but /health, /docs, /openapi.json and /metrics needs 'Authorization: Bearer <token>';"
          + " off: requests without a token act as the admin, loopback --host only (default on)"),
      new Option("--export-workers", "VXDATA_EXPORT_WORKERS", "N", "export jobs that run at once, 1-64 (default 2)"),
      new Option("--export-queue", "VXDATA_EXPORT_QUEUE", "N",
          "export jobs that may wait for a worker, 0-10000; one more is answered 429 (default 16)"),
      new Option("--export-retention", "VXDATA_EXPORT_RETENTION", "DURATION",
          "how long an ended export job and its files are kept, e.g. 12h or 30d, at least 1m (default 7d)"),
      new Option("--tls-cert", "VXDATA_TLS_CERT", "FILE", "serve HTTPS with this PEM certificate chain (with --tls-key)"),
      new Option("--tls-key", "VXDATA_TLS_KEY", "FILE", "the certificate's PEM private key, PKCS #8 (with --tls-cert)"));

  /** A command line that cannot be used; the message says why. */
  public static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /**
   * Parses {@code --name value} and {@code --name=value} options over the environment.
   *
   * @throws UsageException for an unknown option, a missing or malformed value
   */
  public static ServerCommandLine parse(String[] args, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Option o : OPTIONS) {
      String fromEnv = env.get(o.env());
      if (fromEnv != null && !fromEnv.isEmpty()) {
        values.put(o.name(), fromEnv);
      }
    }
    boolean help = false;
    boolean version = false;
    boolean verbose = false;
    boolean allowInsecure = "true".equalsIgnoreCase(env.getOrDefault("VXDATA_ALLOW_INSECURE", "false").trim());
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--allow-insecure")) {
        allowInsecure = true;
        continue;
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
        continue;
      }
      if (arg.equals("--version")) {
        version = true;
        continue;
      }
      if (arg.equals("--verbose")) {
        verbose = true;
        continue;
      }
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      Option option = OPTIONS.stream().filter(o -> o.name().equals(name)).findFirst()
          .orElseThrow(() -> new UsageException("unknown option '" + name + "'; --help lists the options"));
      String value;
      if (arg.contains("=")) {
        value = arg.substring(arg.indexOf('=') + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException("option " + name + " needs a value (" + option.argument() + ")");
      }
      values.put(name, value);
    }
    Path dataDirectory = Path.of(values.getOrDefault("--data-dir", DEFAULT_DATA_DIRECTORY.toString()));
    String bucket = values.getOrDefault("--s3-bucket", DEFAULT_BUCKET);
    Duration expiry = duration("--s3-presign-expiry", values.getOrDefault("--s3-presign-expiry", "15m"));
    Duration retention = duration("--export-retention", values.getOrDefault("--export-retention", "7d"));
    if (retention.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new UsageException("--export-retention must be at least 1m, not '" + values.get("--export-retention")
          + "'");
    }
    S3Settings s3 = null;
    if (values.containsKey("--s3-endpoint")) {
      try {
        s3 = new S3Settings(URI.create(values.get("--s3-endpoint")), values.getOrDefault("--s3-region", "us-east-1"),
            bucket, values.get("--s3-access-key"), values.get("--s3-secret-key"),
            bool("--s3-path-style", values.getOrDefault("--s3-path-style", "true")), expiry);
      } catch (IllegalArgumentException e) {
        throw new UsageException("object storage options: " + e.getMessage());
      }
    } else {
      for (String s3Only : List.of("--s3-region", "--s3-access-key", "--s3-secret-key")) {
        if (values.containsKey(s3Only)) {
          throw new UsageException(s3Only + " applies to an --s3-endpoint; without one the server runs its own");
        }
      }
    }
    boolean auth = switch (values.getOrDefault("--auth", "on").trim().toLowerCase(Locale.ROOT)) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new UsageException("--auth must be on or off, not '" + values.get("--auth") + "'");
    };
    String host = values.getOrDefault("--host", "0.0.0.0");
    if (!auth && !allowInsecure && !isLoopback(host)) {
      throw new UsageException("--auth off serves everything to anyone who can reach " + host + "; bind a loopback"
          + " address (--host 127.0.0.1), or add --allow-insecure");
    }
    Path cert = values.containsKey("--tls-cert") ? Path.of(values.get("--tls-cert")) : null;
    Path key = values.containsKey("--tls-key") ? Path.of(values.get("--tls-key")) : null;
    if ((cert == null) != (key == null)) {
      throw new UsageException("--tls-cert and --tls-key go together: give both PEM files, or neither");
    }
    String adminToken = env.get(ADMIN_TOKEN_ENV);
    return new ServerCommandLine(help, version, verbose, host,
        port(values.getOrDefault("--port", "8080")),
        values.getOrDefault("--jdbc-url", VxDataStore.h2File(dataDirectory)), values.get("--jdbc-user"),
        values.get("--jdbc-password"), bytes(values.getOrDefault("--max-body", "64MiB")), dataDirectory, s3, bucket,
        expiry, LogFormat.parse(values.getOrDefault("--log-format", "text")),
        corsOrigins(values.getOrDefault("--cors-origins", "")), bool("--metrics", values.getOrDefault("--metrics", "true")),
        auth, allowInsecure, cert, key, adminToken == null || adminToken.isEmpty() ? null : adminToken,
        count("--export-workers", values.getOrDefault("--export-workers", "2"), 1, 64),
        count("--export-queue", values.getOrDefault("--export-queue", "16"), 0, 10_000), retention);
  }

  private static int count(String option, String text, int min, int max) {
    try {
      int n = Integer.parseInt(text.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + " must be a whole number from " + min + " to " + max + ", not '" + text + "'");
  }

  /** Whether {@code host} is a loopback address (127.0.0.0/8, ::1, localhost). */
  static boolean isLoopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** A comma-separated list of origins, checked as {@link ServerOptions#withCorsOrigins} checks them. */
  private static List<String> corsOrigins(String text) {
    List<String> origins = java.util.Arrays.stream(text.split(",")).map(String::trim).filter(o -> !o.isEmpty())
        .toList();
    try {
      return ServerOptions.defaults().withCorsOrigins(origins).corsOrigins();
    } catch (IllegalArgumentException e) {
      throw new UsageException("--cors-origins: " + e.getMessage());
    }
  }

  private static boolean bool(String option, String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new UsageException(option + " must be true or false, not '" + text + "'");
    };
  }

  static Duration duration(String option, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      Duration d = switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> null;
      };
      if (d != null && !d.isNegative() && !d.isZero()) {
        return d;
      }
    } catch (RuntimeException e) {
      // reported below
    }
    throw new UsageException(option + " must be a duration such as 900s, 15m, 2h, 7d or PT15M, not '" + text + "'");
  }

  /** The options as {@link VxDataServer} takes them. */
  public ServerOptions serverOptions() {
    return ServerOptions.defaults().withHost(host).withPort(port).withMaxBodyBytes(maxBodyBytes)
        .withCorsOrigins(corsOrigins)
        .withAuthentication(auth ? Authentication.required() : Authentication.off(ADMIN))
        .withTls(tlsCertificate == null ? null : new ServerOptions.Tls(tlsCertificate, tlsKey));
  }

  /** The text {@code --help} prints. */
  public static String usage() {
    StringBuilder sb = new StringBuilder("""
        Usage: java -jar vxdata-server.jar [options]

        Serves the VxData HTTP API (GET /openapi.json describes it; GET /health answers 200 once ready).
        Every option can also be set by the environment variable named beside it; the command line wins.
        The first start on an empty store creates the principal 'admin' and writes its token to
        DIR/admin-token (readable by its owner only); send it as 'Authorization: Bearer <token>'.

        Options:
        """);
    for (Option o : OPTIONS) {
      sb.append(String.format(Locale.ROOT, "  %-28s %-22s %s%n", o.name() + " " + o.argument(), o.env(),
          o.description()));
    }
    sb.append(String.format(Locale.ROOT, "  %-28s %-22s %s%n", "--allow-insecure", "VXDATA_ALLOW_INSECURE",
        "allow --auth off on an address other than loopback (anyone who reaches it is the admin)"));
    sb.append(String.format(Locale.ROOT, "  %-28s %-22s %s%n", "", ADMIN_TOKEN_ENV,
        "the first admin's token on the first start (43+ URL-safe characters; default: random)"));
    sb.append(String.format(Locale.ROOT, "  %-28s %-22s %s%n", "--verbose", "",
        "if the server cannot start, print the stack trace after the one-line reason"));
    sb.append(String.format(Locale.ROOT, "  %-28s %-22s %s%n", "--version", "", "print the version and git commit, and exit"));
    sb.append(String.format(Locale.ROOT, "  %-28s %-22s %s%n", "--help", "", "print this help and exit"));
    sb.append("""

        Exit status: 0 when stopped by SIGTERM or Ctrl-C (or after --help, --version); 1 when the server
        cannot start (the one line on standard error says why and which option to fix); 2 for a command
        line that cannot be used.
        """);
    return sb.toString();
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--port must be a number from 0 to 65535, not '" + text + "'");
  }

  static long bytes(String text) {
    String t = text.trim();
    long unit = 1;
    for (Map.Entry<String, Long> suffix : Map.of("KiB", 1024L, "MiB", 1024L * 1024, "GiB", 1024L * 1024 * 1024)
        .entrySet()) {
      if (t.endsWith(suffix.getKey())) {
        unit = suffix.getValue();
        t = t.substring(0, t.length() - suffix.getKey().length()).trim();
      }
    }
    try {
      long n = Long.parseLong(t);
      if (n > 0 && n <= Long.MAX_VALUE / unit) {
        return n * unit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--max-body must be a positive number of bytes, optionally with KiB, MiB or GiB, not '"
        + text + "'");
  }
}
