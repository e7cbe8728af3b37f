package io.vxdata.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.VxData;
import io.vxdata.jdbc.StoreOptions;
import io.vxdata.jdbc.VxDataStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way the server jar can fail to start, each in a process of its own as a user starts it: the
 * process exits with status 1 (2 for a command line that cannot be used), and standard error ends in
 * one line, {@code vxdata-server: <cause>; <the option to fix>}, with no stack trace (unless
 * {@code --verbose}). Whatever else standard error holds is the server's own log lines.
 */
// Each case is a process of its own in a directory of its own: two at a time.
@Execution(ExecutionMode.CONCURRENT)
class StartupFailureIT {

  /** A line of the server's log (slf4j-simple): time, thread, level. */
  private static final Pattern LOG_LINE = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\S+ \\[[^]]+] (INFO|WARN) .*");

  @Test
  void aJdbcUrlOfAnotherDatabaseNamesTheUrlOption(@TempDir Path dir) throws Exception {
    ServerProcess.Exited exited = ServerProcess.runToExit(dir, List.of("--port", "0",
        "--jdbc-url", "jdbc:mysql://127.0.0.1/vxdata"));

    assertOneLineFailure(exited, 1, "unsupported JDBC URL 'jdbc:mysql://127.0.0.1/vxdata'",
        "H2 (jdbc:h2:...) and PostgreSQL (jdbc:postgresql:...)", "fix --jdbc-url (VXDATA_JDBC_URL)");
  }

  @Test
  void aPostgresUrlTheDriverCannotReadNamesTheUrlOption(@TempDir Path dir) throws Exception {
    ServerProcess.Exited exited = ServerProcess.runToExit(dir, List.of("--port", "0",
        "--jdbc-url", "jdbc:postgresql://127.0.0.1:port/vxdata"));

    assertOneLineFailure(exited, 1, "'jdbc:postgresql://127.0.0.1:port/vxdata' is not a JDBC URL the driver accepts",
        "jdbc:postgresql://HOST[:PORT]/DATABASE", "fix --jdbc-url (VXDATA_JDBC_URL)");
  }

  @Test
  void anUnreachableDatabaseNamesTheUrlOption(@TempDir Path dir) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort(); // closed again before the server tries it: nothing listens there
    }
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/vxdata";

    ServerProcess.Exited exited = ServerProcess.runToExit(dir, List.of("--port", "0", "--jdbc-url", url));

    assertOneLineFailure(exited, 1, "cannot reach the database at " + url + ": Connection refused",
        "fix --jdbc-url (VXDATA_JDBC_URL)");
  }

  @Test
  void credentialsPostgresRefusesNameTheCredentialOptions(@TempDir Path dir) throws Exception {
    // A PostgreSQL of this test's own that asks every user but the superuser for a password.
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectoryCustomizer(data -> {
      try {
        Files.writeString(data.toPath().resolve("pg_hba.conf"), """
            local all postgres trust
            host all postgres 127.0.0.1/32 trust
            host all postgres ::1/128 trust
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).start()) {
      try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE ROLE vx_owner LOGIN PASSWORD 'the-right-one'");
      }
      String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";

      ServerProcess.Exited exited = ServerProcess.runToExit(dir, List.of("--port", "0", "--jdbc-url", url,
          "--jdbc-user", "vx_owner", "--jdbc-password", "a-wrong-one"));

      assertOneLineFailure(exited, 1, "the database at " + url + " refused the credentials",
          "password authentication failed for user \"vx_owner\"",
          "fix --jdbc-user and --jdbc-password (VXDATA_JDBC_USER, VXDATA_JDBC_PASSWORD)");
      assertThat(exited.stderr()).doesNotContain("a-wrong-one");
    }
  }

  @Test
  void credentialsAnH2FileStoreRefusesNameTheCredentialOptions(@TempDir Path dir) throws Exception {
    String url = VxDataStore.h2File(dir.resolve("store"));
    try (VxData created = VxDataStore.open(StoreOptions.of(url).withCredentials("owner", "the-right-one"))) {
      assertThat(created.lastCommitTime()).isNotNull();
    }

    ServerProcess.Exited exited = ServerProcess.runToExit(dir, List.of("--port", "0", "--jdbc-url", url,
        "--jdbc-user", "owner", "--jdbc-password", "a-wrong-one"));

    assertOneLineFailure(exited, 1, "refused the credentials: Wrong user name or password",
        "fix --jdbc-user and --jdbc-password");
  }

  @Test
  void aDataDirectoryThatCannotBeWrittenNamesTheDataDirOption(@TempDir Path dir) throws Exception {
    // A file where a directory must be: no user can create the data directory there, root included.
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

    ServerProcess.Exited under = ServerProcess.runToExit(dir, List.of("--port", "0",
        "--data-dir", file.resolve("data").toString()));
    ServerProcess.Exited itself = ServerProcess.runToExit(dir, List.of("--port", "0", "--data-dir", file.toString()));

    for (ServerProcess.Exited exited : List.of(under, itself)) {
      assertOneLineFailure(exited, 1, "the data directory " + file, "cannot be written: " + file
          + " is a file, not a directory", "choose another with --data-dir (VXDATA_DATA_DIR)");
      assertThat(exited.stderr()).as("checked before the store opens").doesNotContain("Opening store");
    }
  }

  @Test
  void aReadOnlyDataDirectoryNamesTheDataDirOption(@TempDir Path dir) throws Exception {
    // Root writes anywhere, so as root the server runs as the unprivileged user nobody (setpriv, from
    // util-linux), from a copy of the jar that nobody can read.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path readOnly = Files.createDirectory(dir.resolve("read-only"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    boolean root = "root".equals(System.getProperty("user.name"));
    List<String> asUser = root ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") : List.of();
    Path jar = Files.copy(ServerProcess.jar(), dir.resolve("vxdata-server.jar"));
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));

    ServerProcess.Exited exited = ServerProcess.runToExit(dir, asUser, jar, List.of("--port", "0",
        "--data-dir", readOnly.toString()));

    assertOneLineFailure(exited, 1, "the data directory " + readOnly + " cannot be written: permission denied",
        "choose another with --data-dir (VXDATA_DATA_DIR), or make it writable for this user");
  }

  @Test
  void anH2FileStoreOpenInAnotherProcessNamesTheDataDirOption(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    // This test's JVM holds the store the server would open: another process, as far as the server sees.
    try (VxData held = VxDataStore.open(VxDataStore.h2File(data))) {
      ServerProcess.Exited exited = ServerProcess.runToExit(dir, List.of("--port", "0", "--data-dir", data.toString()));

      assertOneLineFailure(exited, 1, "the H2 file store in " + data + " is open in another process",
          "its own --data-dir (VXDATA_DATA_DIR) or --jdbc-url (VXDATA_JDBC_URL)");
      assertThat(held.lastCommitTime()).as("the holder's store is untouched").isNotNull();
    }
  }

  @Test
  void aBusyPortFailsBeforeTheStoreOpensAndNamesThePortOption(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      Path data = dir.resolve("data");

      ServerProcess.Exited exited = ServerProcess.runToExit(dir, List.of("--host", "127.0.0.1",
          "--port", Integer.toString(port), "--data-dir", data.toString()));

      assertOneLineFailure(exited, 1, "port " + port + " on 127.0.0.1 is already in use",
          "choose another with --port (VXDATA_PORT)");
      // The port is checked first: no store was opened, not even its directory made.
      assertThat(exited.stderr()).doesNotContain("Opening store");
      assertThat(data).doesNotExist();
    }
  }

  @Test
  void anAddressOfAnotherMachineNamesTheHostOption(@TempDir Path dir) throws Exception {
    // TEST-NET-1 (RFC 5737): documentation only, never an address of this machine. Nothing is sent to it.
    ServerProcess.Exited exited = ServerProcess.runToExit(dir, List.of("--host", "192.0.2.1", "--port", "0",
        "--data-dir", dir.resolve("data").toString()));

    assertOneLineFailure(exited, 1, "cannot listen on 192.0.2.1:0: 192.0.2.1 is not an address of this machine",
        "--host (VXDATA_HOST)");
  }

  @Test
  void aCommandLineThatCannotBeUsedExitsWith2InOneLine(@TempDir Path dir) throws Exception {
    ServerProcess.Exited exited = ServerProcess.runToExit(dir, List.of("--port", "http"));

    assertOneLineFailure(exited, 2, "--port must be a number from 0 to 65535, not 'http'");
  }

  @Test
  void verbosePrintsTheStackTraceAfterTheLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

    ServerProcess.Exited exited = ServerProcess.runToExit(dir, List.of("--port", "0", "--data-dir", file.toString(),
        "--verbose"));

    assertThat(exited.status()).isEqualTo(1);
    List<String> lines = exited.stderrLines();
    assertThat(lines.get(0)).startsWith("vxdata-server: the data directory " + file);
    assertThat(lines).anyMatch(l -> l.startsWith("Caused by: java.nio.file.FileAlreadyExistsException"))
        .anyMatch(l -> l.startsWith("\tat io.vxdata.server.StartupChecks.checkWritable"));
  }

  @Test
  void versionPrintsTheVersionAndTheCommitTheJarWasBuiltFrom(@TempDir Path dir) throws Exception {
    ServerProcess.Exited exited = ServerProcess.runToExit(dir, List.of("--version"));

    assertThat(exited.status()).isZero();
    assertThat(exited.stderr()).isEmpty();
    assertThat(exited.stdout().lines().toList()).hasSize(1);
    String head = gitHead();
    if (head == null) {
      // Built from sources without git: the line says so rather than inventing a commit.
      assertThat(exited.stdout()).startsWith("vxdata-server 0.").contains("(commit unknown");
    } else {
      assertThat(exited.stdout()).matches("vxdata-server \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit " + head
          + ", \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ(, with uncommitted changes)?\\)\\R");
    }
  }

  /** The commit checked out where the build runs, or {@code null} without git. */
  private static String gitHead() throws InterruptedException {
    try {
      Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      String out = new String(git.getInputStream().readAllBytes()).trim();
      return git.waitFor(60, TimeUnit.SECONDS) && git.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The process exited with {@code status}, printed nothing on standard output, and its standard error
   * ends in one line {@code vxdata-server: ...} holding every fragment; any other line is a log line.
   */
  private static void assertOneLineFailure(ServerProcess.Exited exited, int status, String... fragments) {
    assertThat(exited.status()).as("exit status; stderr:%n%s", exited.stderr()).isEqualTo(status);
    assertThat(exited.stdout()).isEmpty();
    List<String> lines = exited.stderrLines();
    assertThat(lines).as("stderr").isNotEmpty();
    String last = lines.get(lines.size() - 1);
    assertThat(last).startsWith("vxdata-server: ").contains(fragments);
    List<String> others = new ArrayList<>(lines.subList(0, lines.size() - 1));
    assertThat(others).as("every other line of stderr is a log line, no stack trace").allMatch(
        l -> LOG_LINE.matcher(l).matches());
    assertThat(exited.stderr()).doesNotContain("\tat ", "Exception");
  }
}
