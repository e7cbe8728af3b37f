package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the built {@code vxdata-server.jar} as a user would ({@code java -jar}, in its own process),
 * creates and reads a resource over HTTP, then stops it with SIGTERM. Runs in the integration-test
 * phase, after {@code package} has built the jar.
 */
class ServerJarIT {

  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void theJarServesTheEmbeddedDefaultsEndToEndAndStopsGracefullyOnSigterm(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("vxdata.server.jar", "target/vxdata-server.jar")).toAbsolutePath();
    assertThat(jar).as("the shaded jar (run `./mvnw verify`, which packages it first)").exists();
    Path log = dir.resolve("server.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toString(), "--port", "0", "--host", "127.0.0.1")
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("VXDATA_"));
    Process server = pb.start();
    try {
      int port = awaitPort(server, log);
      URI base = URI.create("http://127.0.0.1:" + port);
      awaitHealthy(base, server, log);

      HttpResponse<String> created = post(base, "/resources/create", "{\"resources\":[{\"identifier\":\"clinic-a\","
          + "\"payload_type\":\"datasource\",\"name\":\"Clinic A\"}]}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
      assertThat(created.body()).isEqualTo("{\"created\":1}");
      HttpResponse<String> read = post(base, "/resources/read", "{\"identifiers\":[\"clinic-a\"]}");
      assertThat(read.statusCode()).isEqualTo(200);
      JsonNode resource = RawHttp.json(read).get(0);
      assertThat(resource.path("name").asText()).isEqualTo("Clinic A");
      assertThat(resource.path("version").asInt()).isEqualTo(1);
      assertThat(read.headers().firstValue("VxData-As-Of")).hasValue(resource.path("created_at").asText());

      // The README's walkthrough: an artefact whose file goes to the embedded object store and back.
      JsonNode upload = RawHttp.json(post(base, "/s3/presign", "{\"direction\":\"upload\",\"group\":\"clinic-a\","
          + "\"filename\":\"scan.nii.gz\"}"));
      String path = upload.path("path").asText();
      assertThat(post(base, "/resources/create", "{\"resources\":[{\"identifier\":\"scan-1\",\"payload_type\":"
          + "\"artefact\",\"parent_identifier\":\"clinic-a\",\"uri\":\"" + path + "\",\"size_bytes\":11}]}")
          .statusCode()).isEqualTo(200);
      HttpResponse<Void> put = HTTP.send(HttpRequest.newBuilder(URI.create(upload.path("url").asText()))
          .PUT(HttpRequest.BodyPublishers.ofString("scan voxels")).build(), HttpResponse.BodyHandlers.discarding());
      assertThat(put.statusCode()).isEqualTo(200);
      HttpResponse<String> listed = HTTP.send(HttpRequest.newBuilder(base.resolve("/s3/list?prefix=s3://vxdata/clinic-a/"))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(RawHttp.json(listed).path("keys").get(0).asText()).isEqualTo(path.substring("s3://vxdata/".length()));
      JsonNode download = RawHttp.json(post(base, "/s3/presign", "{\"direction\":\"download\",\"path\":\"" + path
          + "\"}"));
      assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(download.path("url").asText())).GET().build(),
          HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("scan voxels");
      assertThat(dir.resolve("vxdata-data/objects")).isDirectory();

      server.destroy(); // SIGTERM
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
      String output = Files.readString(log);
      assertThat(output).contains("Opening store jdbc:h2:file:", "vxdata-data", "listening on http://127.0.0.1:" + port,
          "Object storage: embedded S3 endpoint", "VxData server stopping", "store closed");
      assertThat(output).doesNotContain("ERROR");
      assertThat(dir.resolve("vxdata-data")).isDirectory();
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void anUnknownOptionExitsWith2(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("vxdata.server.jar", "target/vxdata-server.jar")).toAbsolutePath();
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar.toString(), "--bogus").directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(output).contains("unknown option '--bogus'");
  }

  private static int awaitPort(Process server, Path log) throws IOException, InterruptedException {
    for (int i = 0; i < 600; i++) { // bounded: at most 60 s
      Matcher m = LISTENING.matcher(Files.readString(log));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      assertThat(server.isAlive()).as("server died: %s", Files.readString(log)).isTrue();
      server.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("the server did not log its port within 60 s: " + Files.readString(log));
  }

  private static void awaitHealthy(URI base, Process server, Path log) throws Exception {
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

  private static HttpResponse<String> post(URI base, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

}
