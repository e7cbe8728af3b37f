package io.vxdata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
      String printed = NodeScript.run(scripts, "read-parquet.mjs", Map.of("VXDATA_URL", server.base().toString(),
          "VXDATA_TOKEN", token), dir.resolve("duckdb.txt"), " passed, 0 failed");
      assertThat(printed).containsPattern("(?m)^[34] passed, 0 failed$");
      assertThat(server.log()).doesNotContain("ERROR").doesNotContain(token);
    }
  }
}
