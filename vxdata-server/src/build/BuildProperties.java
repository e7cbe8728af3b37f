import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Run by the build (a single-file Java program, so it needs nothing but the JDK): writes
 * {@code io/vxdata/server/build.properties}, the version and the git commit that
 * {@code vxdata-server.jar --version} prints. Git runs in the module's directory, so a linked work
 * tree reports its own commit. Without git, or outside a work tree, only the version is written.
 *
 * <p>Arguments: the output directory (a resource root) and the project version.
 */
public class BuildProperties {

  public static void main(String[] args) throws IOException, InterruptedException {
    Path out = Path.of(args[0], "io", "vxdata", "server", "build.properties");
    List<String> lines = new ArrayList<>();
    lines.add("# Written by the build (src/build/BuildProperties.java): what --version prints.");
    lines.add("version=" + args[1]);
    String commit = git("rev-parse", "HEAD");
    if (commit != null && commit.matches("[0-9a-f]{40}")) {
      lines.add("commit=" + commit);
      String time = git("show", "-s", "--date=format-local:%Y-%m-%dT%H:%M:%SZ", "--format=%cd", "HEAD");
      if (time != null) {
        lines.add("commit.time=" + time);
      }
      String changes = git("status", "--porcelain", "--untracked-files=no");
      lines.add("dirty=" + (changes == null || !changes.isEmpty()));
    }
    Files.createDirectories(out.getParent());
    Files.write(out, lines, StandardCharsets.UTF_8);
  }

  /** The trimmed output of {@code git ARGS}, or {@code null} if git is missing or fails. */
  private static String git(String... args) throws InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("TZ", "UTC");
    try {
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? output : null;
    } catch (IOException e) {
      return null;
    }
  }
}
