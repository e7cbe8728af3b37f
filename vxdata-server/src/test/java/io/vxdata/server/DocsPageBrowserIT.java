package io.vxdata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docs page in a real headless Chromium: starts two servers from the built jar, the second with
 * {@code --cors-origins} naming the first's origin, and runs {@code src/test/browser/docs-page.mjs}
 * (Playwright over Debian's {@code chromium}) against them. The script checks that {@code /} leads to
 * {@code /docs}, that the page loads with no console error and lists every route, that "Try it out"
 * succeeds, and that a cross-origin request from the page's origin is allowed where CORS says so and
 * blocked where it does not.
 *
 * <p>Runs only under the Maven profile {@code browser} ({@code ./mvnw verify -Pbrowser}), which installs
 * playwright-core with {@code npm ci}; {@code .ci/run} installs Chromium and uses the profile. Under the
 * profile a missing browser or Node.js fails the test: it is never skipped.
 */
class DocsPageBrowserIT {

  @Test
  void theDocsPageWorksInChromium(@TempDir Path dir) throws Exception {
    Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    Path scripts = Path.of("src/test/browser").toAbsolutePath();
    assertThat(chromium).as("Chromium (Debian: apt-get install -y chromium; or set CHROMIUM)").isExecutable();
    assertThat(scripts.resolve("node_modules/playwright-core")).as("playwright-core (the browser profile runs npm ci in %s)",
        scripts).isDirectory();

    Path docsDir = Files.createDirectories(dir.resolve("docs"));
    Path corsDir = Files.createDirectories(dir.resolve("cors"));
    try (ServerProcess docs = ServerProcess.start(docsDir, dir.resolve("docs.log"), List.of());
         ServerProcess cors = ServerProcess.start(corsDir, dir.resolve("cors.log"),
             List.of("--cors-origins", "http://127.0.0.1:" + docs.base().getPort()))) {
      NodeScript.run(scripts, "docs-page.mjs", Map.of("DOCS_URL", docs.base().toString(), "CORS_URL",
          cors.base().toString(), "CHROMIUM", chromium.toString()), dir.resolve("browser.txt"), "6 passed, 0 failed");
      assertThat(docs.log()).doesNotContain("ERROR");
    }
  }
}
