package io.vxdata.http;

import io.vxdata.VxData;
import io.vxdata.jdbc.StoreOptions;
import io.vxdata.jdbc.VxDataStore;
import java.io.PrintStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    try {
      Running running = start(cl);
      Runtime.getRuntime().addShutdownHook(new Thread(running::close, "vxdata-server-shutdown"));
      return 0;
    } catch (RuntimeException e) {
      LOG.error("VxData server failed to start: {}", e.getMessage(), e);
      return 1;
    }
  }

  /** A started server and the store it owns. */
  record Running(VxDataServer server, VxData store) implements AutoCloseable {
    /** Stops the server (in-flight requests finish), then closes the store. */
    @Override
    public void close() {
      LOG.info("VxData server stopping");
      try {
        server.close();
      } finally {
        store.close();
        LOG.info("VxData server stopped; store closed");
      }
    }
  }

  /** Opens the store and starts serving it. */
  static Running start(ServerCommandLine cl) {
    LOG.info("Opening store {}", withoutSecrets(cl.jdbcUrl()));
    VxData store = VxDataStore.open(StoreOptions.of(cl.jdbcUrl()).withCredentials(cl.jdbcUser(), cl.jdbcPassword()));
    try {
      VxDataServer server = VxDataServer.start(store, cl.serverOptions());
      LOG.info("VxData server listening on http://{}:{} (store {}, max body {} bytes)", cl.host(), server.port(),
          withoutSecrets(cl.jdbcUrl()), cl.maxBodyBytes());
      return new Running(server, store);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static String withoutSecrets(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
