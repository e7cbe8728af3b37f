package io.vxdata.http;

import io.vxdata.jdbc.VxDataStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's command line: options, each also settable by an environment variable; an option
 * given on the command line wins over the environment.
 *
 * @param help whether {@code --help} was given
 * @param host the address to bind
 * @param port the TCP port
 * @param jdbcUrl the store's JDBC URL
 * @param jdbcUser the database user, or {@code null}
 * @param jdbcPassword the database password, or {@code null}
 * @param maxBodyBytes the request body limit in bytes
 */
public record ServerCommandLine(boolean help, String host, int port, String jdbcUrl, String jdbcUser,
    String jdbcPassword, long maxBodyBytes) {

  /** The default store: an embedded H2 file store under {@code ./vxdata-data}. */
  public static final String DEFAULT_JDBC_URL = VxDataStore.h2File(Path.of("vxdata-data"));

  private record Option(String name, String env, String argument, String description) {}

  private static final List<Option> OPTIONS = List.of(
      new Option("--port", "VXDATA_PORT", "PORT", "TCP port to listen on (default 8080; 0 picks a free port)"),
      new Option("--host", "VXDATA_HOST", "ADDRESS", "address to bind (default 0.0.0.0, every interface)"),
      new Option("--jdbc-url", "VXDATA_JDBC_URL", "URL",
          "store: jdbc:h2:... or jdbc:postgresql:... (default: H2 file store under ./vxdata-data)"),
      new Option("--jdbc-user", "VXDATA_JDBC_USER", "USER", "database user (default: none, or in the URL)"),
      new Option("--jdbc-password", "VXDATA_JDBC_PASSWORD", "PASSWORD", "database password (default: none)"),
      new Option("--max-body", "VXDATA_MAX_BODY", "BYTES",
          "largest request body accepted, e.g. 1048576, 512KiB, 64MiB, 1GiB (default 64MiB)"));

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
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
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
    return new ServerCommandLine(help, values.getOrDefault("--host", "0.0.0.0"),
        port(values.getOrDefault("--port", "8080")), values.getOrDefault("--jdbc-url", DEFAULT_JDBC_URL),
        values.get("--jdbc-user"), values.get("--jdbc-password"), bytes(values.getOrDefault("--max-body", "64MiB")));
  }

  /** The options as {@link VxDataServer} takes them. */
  public ServerOptions serverOptions() {
    return new ServerOptions(host, port, maxBodyBytes);
  }

  /** The text {@code --help} prints. */
  public static String usage() {
    StringBuilder sb = new StringBuilder("""
        Usage: java -jar vxdata-server.jar [options]

        Serves the VxData HTTP API (GET /openapi.json describes it; GET /health answers 200 once ready).
        Every option can also be set by the environment variable named beside it; the command line wins.

        Options:
        """);
    for (Option o : OPTIONS) {
      sb.append(String.format(Locale.ROOT, "  %-28s %-22s %s%n", o.name() + " " + o.argument(), o.env(),
          o.description()));
    }
    sb.append(String.format(Locale.ROOT, "  %-28s %-22s %s%n", "--help", "", "print this help and exit"));
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
