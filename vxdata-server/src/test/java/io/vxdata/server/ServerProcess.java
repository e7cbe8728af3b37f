package io.vxdata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built {@code vxdata-server.jar} running in a process of its own, as a user starts it, for tests
 * that signal or kill it. Waits are bounded polls of the log and of {@code GET /health}.
 */
final class ServerProcess implements AutoCloseable {

  /** The start-up line, in text or in a JSON log line (whose encoder writes {@code /} as {@code \/}). */
  private static final Pattern LISTENING = Pattern.compile("listening on https?:(?:\\\\?/){2}[^:]+:(\\d+)");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  /** The jar's class archive once made or found, for this JVM's later starts (see {@link #classArchive()}). */
  private static Path archiveInUse;

  private final Process process;
  private final Path log;
  private final URI base;

  private ServerProcess(Process process, Path log, URI base) {
    this.process = process;
    this.log = log;
    this.base = base;
  }

  /** The shaded jar that {@code package} built (the failsafe configuration names it). */
  static Path jar() {
    Path jar = Path.of(System.getProperty("vxdata.server.jar", "target/vxdata-server.jar")).toAbsolutePath();
    assertThat(jar).as("the shaded jar (run `./mvnw verify`, which packages it first)").exists();
    return jar;
  }

  /**
   * Starts {@code java -jar vxdata-server.jar --port 0 --host 127.0.0.1 ARGS} in {@code dir}, logging to
   * {@code log} (appended), and waits until it answers {@code GET /health}. Unless {@code args} name
   * {@code --auth}, with {@code --auth off}: the tests that use this are about other things than tokens,
   * and call the API without one (WalkthroughIT and AuthStartIT run with authentication on).
   */
  static ServerProcess start(Path dir, Path log, List<String> args) throws IOException, InterruptedException {
    return start(dir, log, args, Map.of());
  }

  /** As {@link #start(Path, Path, List)}, with {@code env} added to the server's environment. */
  static ServerProcess start(Path dir, Path log, List<String> args, Map<String, String> env)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(jvmOptions(true));
    command.addAll(List.of("-jar", jar().toString(), "--port", "0", "--host", "127.0.0.1"));
    if (args.stream().noneMatch(a -> a.startsWith("--auth"))) {
      command.addAll(List.of("--auth", "off"));
    }
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("VXDATA_"));
    pb.environment().putAll(env);
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    Process process = pb.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + awaitPort(process, log, logStart));
      awaitHealthy(base, process, log);
      return new ServerProcess(process, log, base);
    } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** What a server process that ended by itself printed, and its exit status. */
  record Exited(int status, String stdout, String stderr) {

    /** The lines of standard error, without empty ones. */
    List<String> stderrLines() {
      return stderr.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  /**
   * Runs {@code java -jar vxdata-server.jar ARGS} in {@code dir} for a start that is expected to end by
   * itself ({@code --version}, or a start that fails), and waits for it to exit. The timeout only
   * keeps a server that did start, wrongly, from hanging the build.
   */
  static Exited runToExit(Path dir, List<String> args) throws IOException, InterruptedException {
    return runToExit(dir, List.of(), jar(), args);
  }

  /**
   * As {@link #runToExit(Path, List)}, with {@code prefix} before the command (e.g. one that runs it as
   * another user) and the given copy of the jar.
   */
  static Exited runToExit(Path dir, List<String> prefix, Path jar, List<String> args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(prefix);
    command.add(java());
    // The class archive only for the built jar run by this user: another copy of it would not match it.
    command.addAll(jvmOptions(prefix.isEmpty() && jar.equals(jar())));
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(args);
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("VXDATA_"));
    Process process = pb.start();
    try {
      assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("the server exited by itself; stderr: %s",
          Files.readString(err)).isTrue();
      return new Exited(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      process.destroyForcibly();
    }
  }

  URI base() {
    return base;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The JVM options of a server process: only the quick JIT compiler and the serial collector, as for
   * the test JVMs (these processes live seconds), and where {@code archived}, the class archive of the jar (see
   * {@link #classArchive()}).
   */
  private static List<String> jvmOptions(boolean archived) throws IOException, InterruptedException {
    List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    if (archived) {
      options.add("-XX:SharedArchiveFile=" + classArchive());
    }
    return options;
  }

  /**
   * A class-data-sharing archive of the classes a server start loads (the JDK's AppCDS), beside the jar:
   * a process started with it maps them in instead of loading and verifying them from the jar, which
   * halves its start (the ITs start about forty). What the server does is the same either way. Made
   * once per build by a server started with {@code -XX:ArchiveClassesAtExit}, up to {@code /health} and
   * stopped with SIGTERM; the two failsafe forks take a file lock so that one makes it and the other
   * waits. An archive older than the jar is made again (the JVM would refuse it, with a warning).
   */
  private static synchronized Path classArchive() throws IOException, InterruptedException {
    if (archiveInUse != null) {
      return archiveInUse;
    }
    Path jar = jar();
    Path archive = jar.resolveSibling("vxdata-server.jsa");
    try (FileChannel lockFile = FileChannel.open(jar.resolveSibling("vxdata-server.jsa.lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
      if (!Files.exists(archive) || Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) < 0) {
        makeClassArchive(jar, archive);
      }
    }
    archiveInUse = archive;
    return archive;
  }

  private static void makeClassArchive(Path jar, Path archive) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(jar.getParent(), "cds-");
    Path made = dir.resolve("vxdata-server.jsa");
    Path log = dir.resolve("server.log");
    Process process = new ProcessBuilder(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-XX:ArchiveClassesAtExit=" + made,
        "-jar", jar.toString(), "--port", "0", "--host", "127.0.0.1", "--auth", "off",
        "--data-dir", dir.resolve("data").toString())
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      awaitHealthy(URI.create("http://127.0.0.1:" + awaitPort(process, log, 0)), process, log);
      process.destroy();
      assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the archiving server stopped within 90 s").isTrue();
      assertThat(made).as("the class archive; the archiving server's log:%n%s", Files.readString(log)).exists();
      Files.move(made, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      process.destroyForcibly();
    }
  }

  Process process() {
    return process;
  }

  /** SIGKILL: the process dies at once, with no shutdown hook run; waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("killed within 60 s").isTrue();
  }

  /** Sends SIGTERM without waiting. */
  void terminate() {
    process.destroy();
  }

  /** Waits for the process to exit after {@link #terminate()} and returns its exit status. */
  int awaitExit() throws InterruptedException {
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("stopped within 90 s").isTrue();
    return process.exitValue();
  }

  /**
   * Waits until one of the server's threads runs {@code frame} (a {@code class.method} of its stack),
   * as the JDK's {@code jcmd Thread.print} shows it: a bounded poll of what the process is doing.
   */
  void awaitThreadIn(String frame) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    for (int i = 0; i < 100; i++) {
      Process dump = new ProcessBuilder(jcmd, Long.toString(process.pid()), "Thread.print").redirectErrorStream(true)
          .start();
      String threads = new String(dump.getInputStream().readAllBytes());
      assertThat(dump.waitFor(60, TimeUnit.SECONDS)).as("jcmd finished").isTrue();
      if (threads.contains(frame + "(")) {
        return;
      }
      assertThat(process.isAlive()).as("server died: %s", log()).isTrue();
    }
    throw new AssertionError("no thread of the server reached " + frame + " in 100 thread dumps");
  }

  /** Waits until the server's log holds {@code line}: a bounded poll. */
  void awaitLog(String line) throws IOException, InterruptedException {
    for (int i = 0; i < 600; i++) {
      if (log().contains(line)) {
        return;
      }
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("the server did not log '" + line + "' within 60 s: " + log());
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static int awaitPort(Process server, Path log, long from) throws IOException, InterruptedException {
    for (int i = 0; i < 900; i++) { // bounded: at most 90 s
      String output = Files.readString(log);
      Matcher m = LISTENING.matcher(output.substring((int) Math.min(from, output.length())));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      assertThat(server.isAlive()).as("server died: %s", output).isTrue();
      server.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("the server did not log its port within 90 s: " + Files.readString(log));
  }

  private static void awaitHealthy(URI base, Process server, Path log) throws IOException, InterruptedException {
    for (int i = 0; i < 300; i++) { // bounded poll of /health
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/health")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not ready yet
      }
      assertThat(server.isAlive()).as("server died: %s", Files.readString(log)).isTrue();
      server.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("GET /health did not answer 200 within 30 s");
  }
}
