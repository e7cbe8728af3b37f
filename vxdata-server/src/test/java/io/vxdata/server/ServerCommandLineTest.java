package io.vxdata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.http.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's command line: options, environment variables, help and errors. */
class ServerCommandLineTest {

  @Test
  void defaultsServeTheEmbeddedH2FileStoreOnPort8080() {
    ServerCommandLine cl = ServerCommandLine.parse(new String[0], Map.of());

    assertThat(cl.port()).isEqualTo(8080);
    assertThat(cl.host()).isEqualTo("0.0.0.0");
    assertThat(cl.jdbcUrl()).startsWith("jdbc:h2:file:").contains("vxdata-data");
    assertThat(cl.jdbcUser()).isNull();
    assertThat(cl.maxBodyBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(cl.help()).isFalse();
  }

  @Test
  void environmentVariablesSetEveryOptionAndTheCommandLineWins() {
    Map<String, String> env = Map.of("VXDATA_PORT", "9090", "VXDATA_JDBC_URL", "jdbc:postgresql://db/vx",
        "VXDATA_JDBC_USER", "vx", "VXDATA_JDBC_PASSWORD", "secret", "VXDATA_MAX_BODY", "1MiB", "VXDATA_HOST", "127.0.0.1");

    ServerCommandLine fromEnv = ServerCommandLine.parse(new String[0], env);
    assertThat(fromEnv.host()).isEqualTo("127.0.0.1");
    assertThat(fromEnv.port()).isEqualTo(9090);
    assertThat(fromEnv.jdbcUrl()).isEqualTo("jdbc:postgresql://db/vx");
    assertThat(fromEnv.jdbcUser()).isEqualTo("vx");
    assertThat(fromEnv.jdbcPassword()).isEqualTo("secret");
    assertThat(fromEnv.maxBodyBytes()).isEqualTo(1024 * 1024);

    ServerCommandLine overridden = ServerCommandLine.parse(new String[] {"--port", "7070", "--jdbc-url=jdbc:h2:mem:x",
        "--max-body", "512KiB"}, env);
    assertThat(overridden.port()).isEqualTo(7070);
    assertThat(overridden.jdbcUrl()).isEqualTo("jdbc:h2:mem:x");
    assertThat(overridden.jdbcUser()).isEqualTo("vx");
    assertThat(overridden.maxBodyBytes()).isEqualTo(512 * 1024);
  }

  @Test
  void objectStorageOptionsComeFromTheCommandLineOrTheEnvironment() {
    ServerCommandLine embedded = ServerCommandLine.parse(new String[] {"--data-dir", "/srv/vx"}, Map.of());
    assertThat(embedded.s3()).as("no endpoint: the server runs its own").isNull();
    assertThat(embedded.s3Bucket()).isEqualTo("vxdata");
    assertThat(embedded.presignExpiry()).isEqualTo(java.time.Duration.ofMinutes(15));
    assertThat(embedded.jdbcUrl()).isEqualTo("jdbc:h2:file:/srv/vx/vxdata");

    Map<String, String> env = Map.of("VXDATA_S3_ENDPOINT", "http://minio:9000", "VXDATA_S3_BUCKET", "scans",
        "VXDATA_S3_ACCESS_KEY", "ak", "VXDATA_S3_SECRET_KEY", "sk", "VXDATA_S3_PATH_STYLE", "false");
    ServerCommandLine remote = ServerCommandLine.parse(new String[] {"--s3-region", "eu-central-1",
        "--s3-presign-expiry", "2h"}, env);
    assertThat(remote.s3()).isEqualTo(new io.vxdata.s3.S3Settings(java.net.URI.create("http://minio:9000"),
        "eu-central-1", "scans", "ak", "sk", false, java.time.Duration.ofHours(2)));
  }

  @Test
  void badObjectStorageOptionsSayWhatIsWrong() {
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--s3-access-key", "ak"}, Map.of()))
        .hasMessageContainingAll("--s3-access-key", "--s3-endpoint");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--s3-endpoint", "http://s3", "--s3-access-key",
        "ak"}, Map.of())).hasMessageContainingAll("access key", "secret key");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--s3-presign-expiry", "soon"}, Map.of()))
        .hasMessageContainingAll("--s3-presign-expiry", "soon");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--s3-endpoint", "http://s3", "--s3-path-style",
        "yes"}, Map.of())).hasMessageContainingAll("--s3-path-style", "yes");
  }

  @Test
  void exportJobsAreKeptSevenDaysUnlessToldOtherwise() {
    assertThat(ServerCommandLine.parse(new String[0], Map.of()).exportRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(ServerCommandLine.parse(new String[] {"--export-retention", "36h"}, Map.of()).exportRetention())
        .isEqualTo(Duration.ofHours(36));
    assertThat(ServerCommandLine.parse(new String[0], Map.of("VXDATA_EXPORT_RETENTION", "30d")).exportRetention())
        .isEqualTo(Duration.ofDays(30));
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--export-retention", "a while"}, Map.of()))
        .hasMessageContainingAll("--export-retention", "a while");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--export-retention", "30s"}, Map.of()))
        .hasMessageContainingAll("--export-retention", "at least 1m");
  }

  @Test
  void badCommandLinesSayWhatIsWrong() {
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--prot", "1"}, Map.of()))
        .hasMessageContainingAll("unknown option '--prot'", "--help");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--port"}, Map.of()))
        .hasMessageContainingAll("--port", "needs a value");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--port", "http"}, Map.of()))
        .hasMessageContainingAll("--port", "'http'");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[0], Map.of("VXDATA_PORT", "70000")))
        .hasMessageContainingAll("--port", "70000");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--max-body", "lots"}, Map.of()))
        .hasMessageContainingAll("--max-body", "lots");
  }

  @Test
  void logFormatCorsOriginsAndMetricsHaveDefaultsAndAreChecked() {
    ServerCommandLine defaults = ServerCommandLine.parse(new String[0], Map.of());
    assertThat(defaults.logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(defaults.corsOrigins()).isEmpty();
    assertThat(defaults.serverOptions().corsOrigins()).isEmpty();
    assertThat(defaults.metrics()).isTrue();

    ServerCommandLine set = ServerCommandLine.parse(new String[] {"--log-format", "JSON", "--cors-origins",
        " https://App.example.org , http://localhost:3000", "--metrics=false"}, Map.of());
    assertThat(set.logFormat()).isEqualTo(LogFormat.JSON);
    assertThat(set.corsOrigins()).containsExactly("https://app.example.org", "http://localhost:3000");
    assertThat(set.serverOptions().corsOrigins()).isEqualTo(set.corsOrigins());
    assertThat(set.metrics()).isFalse();
    assertThat(ServerCommandLine.parse(new String[0], Map.of("VXDATA_CORS_ORIGINS", "*", "VXDATA_LOG_FORMAT", "json",
        "VXDATA_METRICS", "false"))).satisfies(cl -> {
          assertThat(cl.corsOrigins()).containsExactly("*");
          assertThat(cl.logFormat()).isEqualTo(LogFormat.JSON);
          assertThat(cl.metrics()).isFalse();
        });

    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--log-format", "xml"}, Map.of()))
        .isInstanceOf(ServerCommandLine.UsageException.class).hasMessage("--log-format must be text or json, not 'xml'");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--cors-origins", "https://a.org/app"}, Map.of()))
        .isInstanceOf(ServerCommandLine.UsageException.class).hasMessageStartingWith("--cors-origins: ")
        .hasMessageContaining("https://a.org/app");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--metrics", "yes"}, Map.of()))
        .isInstanceOf(ServerCommandLine.UsageException.class).hasMessageContaining("--metrics must be true or false");
  }

  @Test
  void theServerServesMetricsUnlessToldNotTo(@TempDir java.nio.file.Path dir) {
    for (boolean metrics : new boolean[] {true, false}) {
      ServerCommandLine cl = ServerCommandLine.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
          "--data-dir", dir.toString(), "--metrics", Boolean.toString(metrics), "--auth", "off"},
          Map.of("VXDATA_JDBC_URL", "jdbc:h2:mem:metrics-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
      try (ServerMain.Running running = ServerMain.start(cl)) {
        RawHttp http = new RawHttp(running.server().uri());
        assertThat(http.post("/resources/create", "{\"resources\":[{\"identifier\":\"ds-1\",\"payload_type\":"
            + "\"datasource\",\"name\":\"n\"}]}").statusCode()).isEqualTo(200);
        var scrape = http.get("/metrics");
        if (metrics) {
          assertThat(scrape.statusCode()).isEqualTo(200);
          assertThat(scrape.body().lines()).contains(
              "vxdata_store_writes_seconds_count{operation=\"create\",outcome=\"committed\"} 1");
          assertThat(scrape.body()).contains("http_server_requests_seconds_count{method=\"POST\",route=\"/resources/create\","
              + "status=\"200\"} 1", "jvm_memory_used_bytes{");
          // The pool and the export jobs report to the same registry (issue 15).
          assertThat(scrape.body().lines()).contains("hikaricp_connections_max{pool=\"vxdata\"} 10.0",
              "vxdata_export_jobs_submitted_total 0.0", "vxdata_export_jobs_running 0.0",
              "vxdata_export_jobs_queued 0.0", "vxdata_export_rows_written_total 0.0",
              "vxdata_export_jobs_ended_total{state=\"failed\"} 0.0");
        } else {
          assertThat(scrape.statusCode()).isEqualTo(404);
        }
      }
    }
  }

  @Test
  void helpListsEveryOptionWithItsEnvironmentVariable() {
    Output out = new Output();
    Output err = new Output();

    int status = ServerMain.run(new String[] {"--help"}, Map.of(), out.stream, err.stream);

    assertThat(status).isZero();
    assertThat(out.text()).contains("--port", "VXDATA_PORT", "--jdbc-url", "VXDATA_JDBC_URL", "--jdbc-user",
        "VXDATA_JDBC_USER", "--jdbc-password", "VXDATA_JDBC_PASSWORD", "--max-body", "VXDATA_MAX_BODY", "--help",
        "./vxdata-data", "--data-dir", "--s3-endpoint", "VXDATA_S3_ENDPOINT", "--s3-bucket", "--s3-region",
        "--s3-access-key", "--s3-secret-key", "--s3-path-style", "--s3-presign-expiry", "VXDATA_S3_PRESIGN_EXPIRY",
        "--log-format", "VXDATA_LOG_FORMAT", "--cors-origins", "VXDATA_CORS_ORIGINS", "--metrics", "VXDATA_METRICS",
        "--auth", "VXDATA_AUTH", "--allow-insecure", "VXDATA_ADMIN_TOKEN", "--tls-cert", "VXDATA_TLS_CERT", "--tls-key",
        "VXDATA_TLS_KEY", "admin-token");
    assertThat(err.text()).isEmpty();
  }

  @Test
  void anUnknownOptionExitsWithStatus2AndAClearMessage() {
    Output out = new Output();
    Output err = new Output();

    int status = ServerMain.run(new String[] {"--verbos"}, Map.of(), out.stream, err.stream);

    assertThat(status).isEqualTo(ServerMain.USAGE_ERROR).isEqualTo(2);
    assertThat(err.text()).contains("unknown option '--verbos'", "--help");
    assertThat(out.text()).isEmpty();
  }

  @Test
  void startFromTheCommandLineServesTheStoreAndCloseStopsBoth(@TempDir java.nio.file.Path dir) {
    ServerCommandLine cl = ServerCommandLine.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
        "--data-dir", dir.toString(), "--auth", "off"},
        Map.of("VXDATA_JDBC_URL", "jdbc:h2:mem:cli-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
    ServerMain.Running running = ServerMain.start(cl);
    try {
      RawHttp http = new RawHttp(running.server().uri());
      assertThat(http.get("/health").statusCode()).isEqualTo(200);
      assertThat(http.post("/resources/create", "{\"resources\":[{\"identifier\":\"ds-1\",\"payload_type\":"
          + "\"datasource\",\"name\":\"n\"}]}").body()).matches("\\{\"created\":1,\"committed_at\":\"[^\"]+Z\"}");
      assertThat(RawHttp.json(http.get("/s3/config")).path("s3_bucket").asText()).isEqualTo("vxdata");
      assertThat(dir.resolve("objects")).as("the embedded object store's directory").isDirectory();
    } finally {
      running.close();
    }
    assertThatThrownBy(() -> running.store().lastCommitTime()).isInstanceOf(RuntimeException.class);
  }

  private static final class Output {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void authIsOnByDefaultAndOffOnlyOnLoopbackUnlessForced() {
    assertThat(ServerCommandLine.parse(new String[0], java.util.Map.of()).auth()).isTrue();
    assertThat(ServerCommandLine.parse(new String[] {"--auth", "off", "--host", "127.0.0.1"}, java.util.Map.of())
        .serverOptions().authentication().anonymous()).isEqualTo("admin");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--auth", "off"},
        java.util.Map.of())).isInstanceOf(ServerCommandLine.UsageException.class).hasMessageContaining("--allow-insecure");
    assertThat(ServerCommandLine.parse(new String[] {"--auth", "off", "--allow-insecure"}, java.util.Map.of()).auth())
        .isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--tls-cert", "c.pem"},
        java.util.Map.of())).isInstanceOf(ServerCommandLine.UsageException.class).hasMessageContaining("--tls-key");
    ServerCommandLine withToken = ServerCommandLine.parse(new String[0], java.util.Map.of("VXDATA_ADMIN_TOKEN", "s".repeat(43)));
    assertThat(withToken.adminToken()).hasSize(43);
    assertThat(withToken.toString()).doesNotContain("s".repeat(43));
  }
}
