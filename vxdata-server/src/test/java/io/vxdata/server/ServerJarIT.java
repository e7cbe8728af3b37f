package io.vxdata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.StoreException;
import io.vxdata.http.RawHttp;
import io.vxdata.jdbc.VxDataStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the built {@code vxdata-server.jar} as a user would ({@code java -jar}, in its own process),
 * creates and reads a resource over HTTP, then stops it with SIGTERM, which exits 0. Runs in the integration-test
 * phase, after {@code package} has built the jar.
 */
class ServerJarIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void theJarServesTheEmbeddedDefaultsEndToEndAndStopsGracefullyOnSigterm(@TempDir Path dir) throws Exception {
    try (ServerProcess server = ServerProcess.start(dir, dir.resolve("server.log"), List.of())) {
      URI base = server.base();
      int port = base.getPort();

      HttpResponse<String> created = post(base, "/resources/create", "{\"resources\":[{\"identifier\":\"clinic-a\","
          + "\"payload_type\":\"datasource\",\"name\":\"Clinic A\"}]}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
      assertThat(RawHttp.json(created).path("created").asInt()).isEqualTo(1);
      HttpResponse<String> read = post(base, "/resources/read", "{\"identifiers\":[\"clinic-a\"]}");
      assertThat(read.statusCode()).isEqualTo(200);
      JsonNode resource = RawHttp.json(read).get(0);
      assertThat(resource.path("name").asText()).isEqualTo("Clinic A");
      assertThat(resource.path("version").asInt()).isEqualTo(1);
      assertThat(read.headers().firstValue("VxData-As-Of")).hasValue(resource.path("created_at").asText());
      assertThat(RawHttp.json(created).path("committed_at").asText()).isEqualTo(resource.path("created_at").asText());

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

      // An H2 file store belongs to one process: a second opener is told so, not given H2's stack trace.
      assertThatThrownBy(() -> VxDataStore.open(VxDataStore.h2File(dir.resolve("vxdata-data"))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("the H2 file store is open in another process")
          .hasMessageContaining("through the VxData server or PostgreSQL");

      server.terminate();
      assertThat(server.awaitExit()).as("exit status after SIGTERM; log:%n%s", server.log()).isZero();
      String output = server.log();
      assertThat(output).contains("Opening store jdbc:h2:file:", "vxdata-data", "listening on http://127.0.0.1:" + port,
          "Object storage: embedded S3 endpoint", "VxData server stopping", "store closed");
      assertThat(output).doesNotContain("ERROR");
      assertThat(dir.resolve("vxdata-data")).isDirectory();
    }
  }

  @Test
  void anUnknownOptionExitsWith2(@TempDir Path dir) throws Exception {
    Path jar = ServerProcess.jar();
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar.toString(), "--bogus").directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(output).contains("unknown option '--bogus'");
  }

  private static HttpResponse<String> post(URI base, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

}
