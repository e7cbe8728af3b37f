package io.vxdata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walkthrough, {@code docs/walkthrough.sh}, run with bash and curl against the built jar on
 * its embedded defaults; and the README showing the script as it is, so neither can drift.
 */
class WalkthroughIT {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path SCRIPT = REPO.resolve("docs/walkthrough.sh");

  @Test
  void theWalkthroughRunsAgainstTheServerJar(@TempDir Path dir) throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    try (ServerProcess server = ServerProcess.start(dir, dir.resolve("server.log"), List.of("--auth", "on"))) {
      Path output = dir.resolve("walkthrough.txt");
      ProcessBuilder bash = new ProcessBuilder("bash", SCRIPT.toString()).directory(work.toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile());
      bash.environment().put("VXDATA_URL", server.base().toString());
      bash.environment().put("VXDATA_TOKEN", Files.readString(dir.resolve("vxdata-data/admin-token")).strip());
      Process process = bash.start();
      boolean ended = process.waitFor(5, TimeUnit.MINUTES); // bounded only so that a hang cannot hang the build
      if (!ended) {
        process.destroyForcibly();
      }
      String printed = Files.readString(output);
      assertThat(ended).as("walkthrough.sh ended; it printed:%n%s", printed).isTrue();
      assertThat(process.exitValue()).as("walkthrough.sh exit status; it printed:%n%s", printed).isZero();

      assertThat(printed).contains("{\"created\":2,\"committed_at\":\"", "VxData-As-Of: ", "{\"updated\":1,",
          "Cache-Control: private, max-age=31536000, immutable", "[\"clinic-a\"]", "\"role\":\"mask\"}],\"next_cursor\":null",
          "/scan.txt\"]}", "voxels", "200 text/html", "{\"id\":\"alice\",", "\n403\n", "\n401\n");
      // The export jobs: a finished one with its manifest, and the incremental one's deleted identifier.
      assertThat(printed).contains("\"status\":\"finished\"", "\"manifest\":{\"transaction_time\":",
          "{\"identifier\":\"scan-1\",\"payload_type\":\"artefact\",\"updated_at\":\"");
      // The mirror: the release, its export, and the feed from the export's time bringing the later create.
      assertThat(printed).contains("{\"name\":\"mirror-base\",", "\n{\"identifier\":\"clinic-a\",",
          "\"identifier\":\"scan-2\",\"payload_type\":\"artefact\",\"operation\":\"created\"");
      // The read as of the first commit still sees the first version.
      assertThat(printed).containsPattern("\\[\\{\"identifier\":\"scan-1\".*\"version\":1,.*\"role\":\"image\"");
      byte[] parquet = Files.readAllBytes(work.resolve("artefacts.parquet"));
      assertThat(new String(parquet, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PAR1");
      assertThat(Files.readString(work.resolve("scan.txt"))).isEqualTo("voxels\n");
      assertThat(server.log()).doesNotContain("ERROR");
    }
  }

  @Test
  void theReadmeShowsTheScriptAsItIs() throws Exception {
    String script = Files.readString(SCRIPT);
    String shown = script.substring(script.indexOf("VX=${VXDATA_URL"));
    assertThat(Files.readString(REPO.resolve("README.md"))).as("README.md shows docs/walkthrough.sh from its VX= line on")
        .contains("```sh\n" + shown + "```\n");
  }
}
