package io.vxdata.server;

import io.vxdata.jdbc.VxDataStore;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * What the server checks before its slow work, and how it words a failure: each check throws a
 * {@link StartupException} whose message names the cause and the option that fixes it, in one line.
 */
final class StartupChecks {

  /** H2's error code for a database file locked by another process (ErrorCode.DATABASE_ALREADY_OPEN_1). */
  private static final int H2_DATABASE_ALREADY_OPEN = 90020;

  /** The name of the file written and removed again to check that a directory can be written. */
  private static final String PROBE_PREFIX = ".vxdata-write-check-";

  private static final String FIX_PORT = "--port (VXDATA_PORT)";
  private static final String FIX_HOST = "--host (VXDATA_HOST)";
  private static final String FIX_URL = "--jdbc-url (VXDATA_JDBC_URL)";
  private static final String FIX_DATA_DIR = "--data-dir (VXDATA_DATA_DIR)";

  private StartupChecks() {}

  /**
   * Holds the server's address while the store opens, so that a busy port fails at once rather than
   * after the store has opened, and no other process takes the port meanwhile. Closed just before the
   * HTTP server binds the same address.
   */
  static final class PortReservation implements AutoCloseable {
    private final ServerSocket socket;

    private PortReservation(ServerSocket socket) {
      this.socket = socket;
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // nothing held any more
      }
    }
  }

  /**
   * Binds {@code host:port} (port 0: any free port, which only checks the address).
   *
   * @throws StartupException if the port is in use, or the address is not one of this machine's
   */
  static PortReservation reservePort(String host, int port) {
    ServerSocket socket = null;
    try {
      socket = new ServerSocket();
      // As the HTTP server binds, so that the address is free again as soon as this socket closes.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
      return new PortReservation(socket);
    } catch (IOException | RuntimeException e) {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw listenFailure(host, port, e);
    }
  }

  /** The one-line reason the server cannot listen on {@code host:port}. */
  static StartupException listenFailure(String host, int port, Throwable e) {
    String address = host + ":" + port;
    if (find(e, UnknownHostException.class).isPresent()) {
      return new StartupException("cannot listen on " + address + ": unknown host '" + host
          + "'; give an address of this machine with " + FIX_HOST, e);
    }
    Optional<BindException> bind = find(e, BindException.class);
    String reason = bind.map(Throwable::getMessage).orElse(rootMessage(e));
    String lower = reason.toLowerCase(Locale.ROOT);
    if (lower.contains("already in use")) {
      return new StartupException("port " + port + " on " + host + " is already in use by another process; choose"
          + " another with " + FIX_PORT + ", or stop the process that holds it", e);
    }
    if (lower.contains("permission denied") || lower.contains("access denied")) {
      return new StartupException("cannot listen on " + address + ": " + reason + " (ports below 1024 need"
          + " privileges); choose another with " + FIX_PORT, e);
    }
    if (lower.contains("assign requested address")) {
      return new StartupException("cannot listen on " + address + ": " + host + " is not an address of this"
          + " machine; give one with " + FIX_HOST + ", or 0.0.0.0 for every interface", e);
    }
    return new StartupException("cannot listen on " + address + ": " + reason + "; check " + FIX_HOST + " and "
        + FIX_PORT, e);
  }

  /**
   * Checks the directories the server will write before it opens anything: the data directory, if the
   * H2 store or the embedded object storage live there, and the directory of an H2 file store named
   * by {@code --jdbc-url}. Creates them if needed, as the store would.
   */
  static void checkDirectories(ServerCommandLine cl) {
    boolean h2InDataDirectory = cl.jdbcUrl().equals(VxDataStore.h2File(cl.dataDirectory()));
    if (h2InDataDirectory || cl.s3() == null) {
      checkWritable(cl.dataDirectory(), "the data directory", "choose another with " + FIX_DATA_DIR
          + ", or make it writable for this user");
    }
    if (!h2InDataDirectory) {
      h2FileDirectory(cl.jdbcUrl()).ifPresent(dir -> checkWritable(dir, "the directory of the H2 store",
          "fix " + FIX_URL + ", or make the directory writable for this user"));
    }
  }

  /** The directory of an H2 file store's URL ({@code jdbc:h2:file:PATH} or {@code jdbc:h2:PATH}), if it is one. */
  static Optional<Path> h2FileDirectory(String jdbcUrl) {
    if (!jdbcUrl.startsWith("jdbc:h2:")) {
      return Optional.empty();
    }
    String name = jdbcUrl.substring("jdbc:h2:".length());
    int settings = name.indexOf(';');
    if (settings >= 0) {
      name = name.substring(0, settings);
    }
    if (name.startsWith("file:")) {
      name = name.substring("file:".length());
    } else if (name.matches("^[A-Za-z][A-Za-z0-9]+:.*")) {
      return Optional.empty(); // mem:, tcp:, ssl:, zip:, nio...: not a plain file here
    }
    if (name.isEmpty()) {
      return Optional.empty();
    }
    if (name.startsWith("~")) {
      name = System.getProperty("user.home") + name.substring(1);
    }
    try {
      Path parent = Path.of(name).toAbsolutePath().getParent();
      return Optional.ofNullable(parent);
    } catch (RuntimeException e) {
      return Optional.empty(); // not a path this file system knows: the store reports the URL
    }
  }

  /** Creates {@code dir} if needed and writes and removes a file in it. */
  static void checkWritable(Path dir, String what, String fix) {
    Path absolute = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute);
      Path probe = Files.createTempFile(absolute, PROBE_PREFIX, ".tmp");
      Files.delete(probe);
    } catch (IOException | RuntimeException e) {
      throw new StartupException(what + " " + absolute + " cannot be written: " + fileProblem(absolute, e) + "; " + fix,
          e);
    }
  }

  private static String fileProblem(Path dir, Exception e) {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p) && !Files.isDirectory(p)) {
        return p + " is a file, not a directory";
      }
    }
    if (e instanceof NotDirectoryException f) {
      return f.getFile() + " is not a directory";
    }
    boolean probe = e instanceof FileSystemException f && f.getFile() != null
        && Path.of(f.getFile()).getFileName().toString().startsWith(PROBE_PREFIX);
    if (e instanceof AccessDeniedException f) {
      return "permission denied" + (probe ? "" : " on " + f.getFile());
    }
    if (e instanceof NoSuchFileException f) {
      return probe ? "no file can be created in it" : f.getFile() + " cannot be created";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason() + " (" + f.getFile() + ")";
    }
    return oneLine(String.valueOf(e.getMessage()));
  }

  /**
   * The one-line reason the store at {@code url} could not be opened, told apart by what the driver
   * reported: a URL no driver takes, an unreachable database, refused credentials, a missing database,
   * an H2 file store held by another process.
   */
  static StartupException storeFailure(String url, RuntimeException e) {
    String shown = ServerMain.withoutSecrets(url);
    if (e instanceof IllegalArgumentException) {
      return new StartupException(oneLine(e.getMessage()) + "; fix " + FIX_URL, e);
    }
    if (messageInChain(e, "No suitable driver")) {
      String form = url.startsWith("jdbc:postgresql:") ? "jdbc:postgresql://HOST[:PORT]/DATABASE[?PARAMETERS]"
          : "jdbc:h2:file:PATH or jdbc:postgresql://HOST[:PORT]/DATABASE";
      return new StartupException("'" + shown + "' is not a JDBC URL the driver accepts (" + form + "); fix " + FIX_URL,
          e);
    }
    Optional<SQLException> sql = find(e, SQLException.class);
    if (url.startsWith("jdbc:h2:") && sql.filter(s -> s.getErrorCode() == H2_DATABASE_ALREADY_OPEN).isPresent()) {
      return new StartupException("the H2 file store in " + h2FileDirectory(url).map(Path::toString).orElse(shown)
          + " is open in another process, and an H2 file store belongs to one process at a time; stop that process,"
          + " give this server its own " + FIX_DATA_DIR + " or " + FIX_URL
          + ", or share one store through a single server or PostgreSQL", e);
    }
    String state = sql.map(SQLException::getSQLState).orElse("");
    if (state.startsWith("28")) {
      return new StartupException("the database at " + shown + " refused the credentials: "
          + oneLine(sql.get().getMessage()) + "; fix --jdbc-user and --jdbc-password (VXDATA_JDBC_USER,"
          + " VXDATA_JDBC_PASSWORD)", e);
    }
    if (state.equals("3D000")) {
      return new StartupException(oneLine(sql.get().getMessage()) + " at " + shown + "; create it, or fix " + FIX_URL,
          e);
    }
    Optional<Throwable> network = find(e, ConnectException.class).<Throwable>map(t -> t)
        .or(() -> find(e, UnknownHostException.class))
        .or(() -> find(e, NoRouteToHostException.class))
        .or(() -> find(e, SocketTimeoutException.class));
    if (network.isPresent()) {
      Throwable n = network.get();
      String reason = n instanceof UnknownHostException ? "unknown host " + n.getMessage() : oneLine(n.getMessage());
      return new StartupException("cannot reach the database at " + shown + ": " + reason
          + "; check that it is running and accepts connections there, or fix " + FIX_URL, e);
    }
    return new StartupException("cannot open the store at " + shown + ": " + rootMessage(e) + "; check " + FIX_URL
        + " (--verbose prints the stack trace)", e);
  }

  /** The first throwable of {@code type} in the cause chain of {@code e}, {@code e} included. */
  static <T extends Throwable> Optional<T> find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = next(t)) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  private static boolean messageInChain(Throwable e, String text) {
    for (Throwable t = e; t != null; t = next(t)) {
      if (t.getMessage() != null && t.getMessage().contains(text)) {
        return true;
      }
    }
    return false;
  }

  /** The cause of {@code t}, or {@code null} at the end of the chain or where it loops on itself. */
  private static Throwable next(Throwable t) {
    return t.getCause() == t ? null : t.getCause();
  }

  /** The message of the innermost cause that has one, on one line. */
  static String rootMessage(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null; t = next(t)) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message == null ? e.getClass().getName() : oneLine(message);
  }

  /** {@code text} with its line breaks and runs of white space as single spaces. */
  static String oneLine(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s+", " ");
  }
}
