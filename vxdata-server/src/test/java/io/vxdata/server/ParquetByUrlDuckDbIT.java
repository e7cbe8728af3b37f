package io.vxdata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB reads {@code GET /query/parquet} (docs/behaviour.md §15.4): starts a server from the built jar with
 * authentication on and runs {@code src/test/duckdb/read-parquet.mjs} (npm {@code @duckdb/node-api}) against it.
 * The script reads the export by URL with DuckDB's httpfs where DuckDB can download that extension, and
 * otherwise makes httpfs's requests (HEAD, then one GET with the bearer header) itself and has DuckDB read
 * what they answered; it says which it did, and checks the rows either way.
 *
 * <p>Runs only under the Maven profile {@code browser} ({@code ./mvnw verify -Pbrowser}), which installs the
 * package with {@code npm ci}; {@code .ci/run} uses the profile. Under the profile a missing Node.js fails
 * the test: it is never skipped.
 */
class ParquetByUrlDuckDbIT {

  @Test
  void duckDbReadsAQueryExportByUrl(@TempDir Path dir) throws Exception {
    Path scripts = Path.of("src/test/duckdb").toAbsolutePath();
    assertThat(scripts.resolve("node_modules/@duckdb/node-api")).as("@duckdb/node-api (the browser profile runs npm ci in %s)",
        scripts).isDirectory();
    String token = "duckdb-" + "t".repeat(40);
    try (ServerProcess server = ServerProcess.start(dir, dir.resolve("server.log"), List.of("--auth", "on"),
        Map.of("VXDATA_ADMIN_TOKEN", token))) {
      Path output = dir.resolve("duckdb.txt");
      ProcessBuilder node = new ProcessBuilder("node", "read-parquet.mjs").directory(scripts.toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile());
      node.environment().put("VXDATA_URL", server.base().toString());
      node.environment().put("VXDATA_TOKEN", token);
      Process process = node.start();
      // Bounded only so that a hung download attempt cannot hang the build.
      boolean ended = process.waitFor(5, TimeUnit.MINUTES);
      if (!ended) {
        process.destroyForcibly();
      }
      String printed = Files.readString(output);
      System.out.println("read-parquet.mjs:\n" + printed);
      assertThat(ended).as("read-parquet.mjs ended; it printed:%n%s", printed).isTrue();
      assertThat(process.exitValue()).as("read-parquet.mjs exit status; it printed:%n%s", printed).isZero();
      assertThat(printed).containsPattern("(?m)^[34] passed, 0 failed$");
      assertThat(server.log()).doesNotContain("ERROR").doesNotContain(token);
    }
  }
}
