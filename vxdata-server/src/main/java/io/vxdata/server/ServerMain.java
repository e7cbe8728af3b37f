package io.vxdata.server;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.vxdata.VxData;
import io.vxdata.http.MicrometerMetrics;
import io.vxdata.http.VxDataServer;
import io.vxdata.jdbc.StoreOptions;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.exports.ExportOptions;
import io.vxdata.exports.Exports;
import io.vxdata.s3.EmbeddedS3;
import io.vxdata.s3.ObjectStorage;
import io.vxdata.s3.S3Settings;
import io.vxdata.ValidationException;
import io.vxdata.access.IssuedToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import sun.misc.Signal;

/**
 * The runnable server: {@code java -jar vxdata-server.jar [--port 8080] [--jdbc-url URL] ...}; see
 * {@link ServerCommandLine#usage()}. Binds the port, opens the store, serves it, and on SIGTERM (or
 * Ctrl-C) stops accepting requests, lets in-flight ones finish, then closes the store. A start that
 * fails ends in one line on standard error naming the cause and the option to fix, and exit status 1
 * ({@value #USAGE_ERROR} for a command line that cannot be used).
 */
public final class ServerMain {

  private static final Logger LOG = LoggerFactory.getLogger(ServerMain.class);

  /** Exit status for a command line that cannot be used. */
  public static final int USAGE_ERROR = 2;
  /** Exit status for a server that could not start: the store, the port, a directory, object storage. */
  public static final int START_FAILED = 1;

  private ServerMain() {}

  /** Starts the server, or prints help, the version, or why it cannot start and exits. */
  public static void main(String[] args) {
    // Libraries that log through java.util.logging (the PostgreSQL driver) go to the same log.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    int status = run(args, System.getenv(), System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Parses the command line and starts the server, which keeps running on its own threads. A server
   * that cannot start says why in one line on {@code err}, {@code vxdata-server: <cause>; <the option
   * that fixes it>}, followed by the stack trace only with {@code --verbose}.
   *
   * @return 0 if the server started, or help or the version was printed; {@link #USAGE_ERROR} for a bad
   *     command line; {@link #START_FAILED} if the server could not start
   */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    ServerCommandLine cl;
    try {
      cl = ServerCommandLine.parse(args, env);
    } catch (ServerCommandLine.UsageException e) {
      err.println("vxdata-server: " + e.getMessage());
      return USAGE_ERROR;
    }
    if (cl.help()) {
      out.print(ServerCommandLine.usage());
      return 0;
    }
    if (cl.version()) {
      out.println(BuildInfo.current().line());
      return 0;
    }
    cl.logFormat().apply();
    try {
      Running running = start(cl);
      stopOnSignals(running);
      return 0;
    } catch (StartupException e) {
      err.println("vxdata-server: " + e.getMessage());
      if (cl.verbose()) {
        e.printStackTrace(err);
      }
      return START_FAILED;
    } catch (RuntimeException e) {
      err.println("vxdata-server: cannot start: " + StartupChecks.rootMessage(e)
          + (cl.verbose() ? "" : " (--verbose prints the stack trace)"));
      if (cl.verbose()) {
        e.printStackTrace(err);
      }
      return START_FAILED;
    }
  }

  /**
   * On SIGTERM or SIGINT: a graceful stop, then exit status 0, since stopping on request is a normal
   * end (the JVM would otherwise exit 143 or 130). A shutdown hook covers every other way the JVM
   * ends; whichever runs first stops the server, the other waits for it.
   */
  private static void stopOnSignals(Running running) {
    Runtime.getRuntime().addShutdownHook(new Thread(running::close, "vxdata-server-shutdown"));
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), signal -> {
          LOG.info("SIG{} received", signal.getName());
          // Off the signal thread, so the stop is not bound by what the JVM allows a handler to do.
          Thread stop = new Thread(() -> {
            running.close();
            System.exit(0);
          }, "vxdata-server-stop");
          stop.start();
        });
      } catch (IllegalArgumentException e) {
        LOG.debug("Signal {} cannot be handled here; the shutdown hook stops the server", name);
      }
    }
  }

  /** A started server and what it owns: the store, the object storage client and, by default, its endpoint. */
  static final class Running implements AutoCloseable {
    private final VxDataServer server;
    private final VxData store;
    private final ObjectStorage storage;
    private final Exports exports;
    private final EmbeddedS3 embeddedS3;
    private final MicrometerMetrics metrics;
    private boolean closed;

    Running(VxDataServer server, VxData store, ObjectStorage storage, Exports exports, EmbeddedS3 embeddedS3,
        MicrometerMetrics metrics) {
      this.server = server;
      this.store = store;
      this.storage = storage;
      this.exports = exports;
      this.embeddedS3 = embeddedS3;
      this.metrics = metrics;
    }

    VxDataServer server() {
      return server;
    }

    VxData store() {
      return store;
    }

    /**
     * Stops the server (in-flight requests finish), then closes what it served. Runs once; a second
     * caller (the shutdown hook after a signal) waits until the first has finished.
     */
    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      LOG.info("VxData server stopping");
      // In order: requests, then export workers (a running job goes back to the queue), then what they used.
      try (MicrometerMetrics m = metrics; VxData s = store; EmbeddedS3 e = embeddedS3; ObjectStorage o = storage;
          Exports x = exports) {
        server.close();
      }
      LOG.info("VxData server stopped; store closed");
    }
  }

  /**
   * Checks what is quick to check, opens the store and the object storage, and starts serving them.
   * The port is bound first and held while the store opens (which can take seconds), so a busy port
   * fails at once; it is released just before the HTTP server binds it.
   *
   * @throws StartupException naming the cause and the option that fixes it
   */
  private static void closeQuietly(MicrometerMetrics metrics) {
    if (metrics != null) {
      metrics.close();
    }
  }

  static Running start(ServerCommandLine cl) {
    try (StartupChecks.PortReservation port = StartupChecks.reservePort(cl.host(), cl.port())) {
      StartupChecks.checkDirectories(cl);
      LOG.info("Opening store {}", withoutSecrets(cl.jdbcUrl()));
      // With metrics, the connection pool reports to the registry (hikaricp_connections*), and the store's
      // writes are timed (vxdata_store_writes_seconds) behind a wrapper.
      MicrometerMetrics metrics = cl.metrics() ? MicrometerMetrics.prometheus() : null;
      StoreOptions options = StoreOptions.of(cl.jdbcUrl()).withCredentials(cl.jdbcUser(), cl.jdbcPassword());
      if (metrics != null) {
        options = options.withPoolMetrics(new MicrometerMetricsTrackerFactory(metrics.registry()));
      }
      VxData store;
      try {
        store = VxDataStore.open(options);
      } catch (RuntimeException e) {
        closeQuietly(metrics);
        throw StartupChecks.storeFailure(cl.jdbcUrl(), e);
      }
      try {
        bootstrap(store, cl);
      } catch (RuntimeException e) {
        store.close();
        closeQuietly(metrics);
        throw e;
      }
      VxData jdbcStore = store; // the job table is reached through the store itself, not a wrapper
      if (metrics != null) {
        store = metrics.timeWrites(store);
      }
      EmbeddedS3 embedded = null;
      ObjectStorage storage = null;
      Exports exports = null;
      try {
        S3Settings s3 = cl.s3();
        if (s3 == null) {
          Path objects = cl.dataDirectory().resolve("objects");
          embedded = startEmbeddedS3(cl, objects);
          s3 = embedded.settings();
          LOG.info("Object storage: embedded S3 endpoint {} (bucket {}, files under {})", s3.endpoint(), s3.bucket(),
              objects.toAbsolutePath());
        } else {
          LOG.info("Object storage: {} (bucket {})", s3.endpoint(), s3.bucket());
        }
        storage = connect(s3);
        ExportOptions exportOptions = ExportOptions.defaults().withConcurrency(cl.exportWorkers(), cl.exportQueue())
            .withRetention(cl.exportRetention());
        exports = Exports.open(jdbcStore, storage,
            metrics == null ? exportOptions : exportOptions.withListener(metrics.exportListener()));
        port.close();
        VxDataServer server;
        try {
          server = VxDataServer.start(store, storage, exports, cl.serverOptions().withMetrics(metrics));
        } catch (IllegalArgumentException e) {
          throw new StartupException(StartupChecks.rootMessage(e) + "; check --tls-cert and --tls-key"
              + " (VXDATA_TLS_CERT, VXDATA_TLS_KEY)", e);
        } catch (RuntimeException e) {
          throw StartupChecks.listenFailure(cl.host(), cl.port(), e);
        }
        LOG.info("VxData server listening on {}://{}:{} (store {}, max body {} bytes, max heap {} MiB)",
            cl.tlsCertificate() == null ? "http" : "https", cl.host(),
            server.port(), withoutSecrets(cl.jdbcUrl()), cl.maxBodyBytes(),
            Runtime.getRuntime().maxMemory() / (1024 * 1024));
        LOG.info("Metrics: {}; CORS origins: {}", metrics == null ? "off" : "GET /metrics",
            cl.corsOrigins().isEmpty() ? "none" : String.join(", ", cl.corsOrigins()));
        LOG.info("Export jobs: {} workers, {} may wait, ended jobs kept {}", cl.exportWorkers(), cl.exportQueue(),
            cl.exportRetention());
        return new Running(server, store, storage, exports, embedded, metrics);
      } catch (RuntimeException e) {
        try (MicrometerMetrics m = metrics; VxData s = store; EmbeddedS3 x = embedded; ObjectStorage o = storage;
            Exports j = exports) {
          throw e;
        }
      }
    }
  }

  /**
   * The first start on an empty store (docs/behaviour.md §13.7): creates the admin principal and its
   * token, whose secret is {@code VXDATA_ADMIN_TOKEN} if set, and writes the secret to
   * {@code DATA_DIR/admin-token}, readable by its owner only. Logs the file's path, never the token.
   */
  static void bootstrap(VxData store, ServerCommandLine cl) {
    Optional<IssuedToken> issued;
    try {
      issued = store.access().bootstrap(ServerCommandLine.ADMIN, cl.adminToken());
    } catch (ValidationException e) {
      throw new StartupException(ServerCommandLine.ADMIN_TOKEN_ENV + " is not usable as a token: it must be 43 to 512"
          + " URL-safe characters (A-Z a-z 0-9 - _); unset it for a random token", e);
    }
    Path file = cl.dataDirectory().resolve(ServerCommandLine.ADMIN_TOKEN_FILE).toAbsolutePath();
    if (issued.isPresent()) {
      writeOwnerOnly(file, issued.get().secret());
      LOG.info("First start: created the admin principal '{}'; its token is in {} (readable by its owner only)",
          ServerCommandLine.ADMIN, file);
    }
    if (cl.auth()) {
      LOG.info("Authentication on: send 'Authorization: Bearer <token>'{}", Files.exists(file)
          ? "; the admin's first token is in " + file : "");
    } else {
      LOG.warn("Authentication OFF (--auth off): every request without a token acts as the admin '{}'",
          ServerCommandLine.ADMIN);
    }
  }

  private static void writeOwnerOnly(Path file, String secret) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
      Files.writeString(file, secret + "\n", StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      throw new StartupException("cannot write the admin token to " + file + ": " + StartupChecks.rootMessage(e)
          + "; choose another --data-dir (VXDATA_DATA_DIR)", e);
    }
  }

  private static EmbeddedS3 startEmbeddedS3(ServerCommandLine cl, Path objects) {
    try {
      return EmbeddedS3.startFilesystem(objects, cl.s3Bucket(), cl.presignExpiry());
    } catch (IOException | RuntimeException e) {
      throw new StartupException("cannot start the embedded object storage under " + objects.toAbsolutePath() + ": "
          + StartupChecks.rootMessage(e) + "; choose another --data-dir (VXDATA_DATA_DIR), or give an"
          + " --s3-endpoint (VXDATA_S3_ENDPOINT)", e);
    }
  }

  private static ObjectStorage connect(S3Settings s3) {
    try {
      return ObjectStorage.connect(s3);
    } catch (RuntimeException e) {
      throw new StartupException("cannot use the object storage at " + s3.endpoint() + ": "
          + StartupChecks.rootMessage(e) + "; check the --s3-* options (VXDATA_S3_*)", e);
    }
  }

  /** {@code url} with the value of a {@code password=} setting replaced by {@code ***}. */
  static String withoutSecrets(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
