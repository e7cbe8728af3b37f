package io.vxdata.server;

import io.vxdata.VxData;
import io.vxdata.http.MicrometerMetrics;
import io.vxdata.http.VxDataServer;
import io.vxdata.jdbc.StoreOptions;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.s3.EmbeddedS3;
import io.vxdata.s3.ObjectStorage;
import io.vxdata.s3.S3Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The runnable server: {@code java -jar vxdata-server.jar [--port 8080] [--jdbc-url URL] ...}; see
 * {@link ServerCommandLine#usage()}. Opens the store, serves it, and on SIGTERM (or Ctrl-C) stops
 * accepting requests, lets in-flight ones finish, then closes the store.
 */
public final class ServerMain {

  private static final Logger LOG = LoggerFactory.getLogger(ServerMain.class);

  /** Exit status for a command line that cannot be used. */
  public static final int USAGE_ERROR = 2;

  private ServerMain() {}

  /** Starts the server, or prints help or a usage error and exits. */
  public static void main(String[] args) {
    int status = run(args, System.getenv(), System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Parses the command line and starts the server, which keeps running on its own threads.
   *
   * @return 0 if the server started or help was printed, {@link #USAGE_ERROR} for a bad command line,
   *     1 if the store or the port could not be opened
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
    cl.logFormat().apply();
    try {
      Running running = start(cl);
      stopOnSignals(running);
      return 0;
    } catch (RuntimeException e) {
      LOG.error("VxData server failed to start: {}", e.getMessage(), e);
      return 1;
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
    private final EmbeddedS3 embeddedS3;
    private final MicrometerMetrics metrics;
    private boolean closed;

    Running(VxDataServer server, VxData store, ObjectStorage storage, EmbeddedS3 embeddedS3,
        MicrometerMetrics metrics) {
      this.server = server;
      this.store = store;
      this.storage = storage;
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
      try (MicrometerMetrics m = metrics; VxData s = store; EmbeddedS3 e = embeddedS3; ObjectStorage o = storage) {
        server.close();
      }
      LOG.info("VxData server stopped; store closed");
    }
  }

  /** Opens the store and the object storage, and starts serving them. */
  static Running start(ServerCommandLine cl) {
    LOG.info("Opening store {}", withoutSecrets(cl.jdbcUrl()));
    VxData store = VxDataStore.open(StoreOptions.of(cl.jdbcUrl()).withCredentials(cl.jdbcUser(), cl.jdbcPassword()));
    // With metrics, the store's writes are timed (vxdata_store_writes_seconds) behind a wrapper.
    MicrometerMetrics metrics = cl.metrics() ? MicrometerMetrics.prometheus() : null;
    if (metrics != null) {
      store = metrics.timeWrites(store);
    }
    EmbeddedS3 embedded = null;
    ObjectStorage storage = null;
    try {
      S3Settings s3 = cl.s3();
      if (s3 == null) {
        Path objects = cl.dataDirectory().resolve("objects");
        embedded = EmbeddedS3.startFilesystem(objects, cl.s3Bucket(), cl.presignExpiry());
        s3 = embedded.settings();
        LOG.info("Object storage: embedded S3 endpoint {} (bucket {}, files under {})", s3.endpoint(), s3.bucket(),
            objects.toAbsolutePath());
      } else {
        LOG.info("Object storage: {} (bucket {})", s3.endpoint(), s3.bucket());
      }
      storage = ObjectStorage.connect(s3);
      VxDataServer server = VxDataServer.start(store, storage, cl.serverOptions().withMetrics(metrics));
      LOG.info("VxData server listening on http://{}:{} (store {}, max body {} bytes)", cl.host(), server.port(),
          withoutSecrets(cl.jdbcUrl()), cl.maxBodyBytes());
      LOG.info("Metrics: {}; CORS origins: {}", metrics == null ? "off" : "GET /metrics",
          cl.corsOrigins().isEmpty() ? "none" : String.join(", ", cl.corsOrigins()));
      return new Running(server, store, storage, embedded, metrics);
    } catch (IOException | RuntimeException e) {
      try (MicrometerMetrics m = metrics; VxData s = store; EmbeddedS3 x = embedded; ObjectStorage o = storage) {
        throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
      }
    }
  }

  private static String withoutSecrets(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
