package io.vxdata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a Node.js script of the tests ({@code src/test/browser}, {@code src/test/duckdb}) and checks that it passed. */
final class NodeScript {

  private NodeScript() {}

  /**
   * Runs {@code node SCRIPT} in {@code scripts} with {@code env} added, its output in {@code output}, and asserts
   * that it ended, exited 0 and printed {@code passed} (its closing line, e.g. {@code 6 passed, 0 failed}).
   *
   * @return what it printed
   */
  static String run(Path scripts, String script, Map<String, String> env, Path output, String passed)
      throws IOException, InterruptedException {
    ProcessBuilder node = new ProcessBuilder("node", script).directory(scripts.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile());
    node.environment().putAll(env);
    Process process = node.start();
    // Bounded only so that a hung browser or download cannot hang the build.
    boolean ended = process.waitFor(10, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly();
    }
    String printed = Files.readString(output);
    System.out.println(script + ":\n" + printed);
    assertThat(ended).as("%s ended; it printed:%n%s", script, printed).isTrue();
    assertThat(process.exitValue()).as("%s exit status; it printed:%n%s", script, printed).isZero();
    assertThat(printed).contains(passed);
    return printed;
  }
}
