package io.vxdata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's log as a user reads it: the request log line in text (the default) and, with {@code --log-format
 * json}, every line a JSON object carrying the request's fields; CORS from the command line.
 */
class LogFormatIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static final String CREATE = "{\"resources\":[{\"identifier\":\"clinic-a\",\"payload_type\":\"datasource\","
      + "\"name\":\"Clinic A\"}]}";

  private static HttpResponse<String> create(URI base, String requestId) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(base.resolve("/resources/create")).header("Content-Type",
        "application/json").header("X-Request-Id", requestId).header("Origin", "https://app.example.org")
        .POST(HttpRequest.BodyPublishers.ofString(CREATE)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void textLogHasOneLogfmtLinePerRequest(@TempDir Path dir) throws Exception {
    try (ServerProcess server = ServerProcess.start(dir, dir.resolve("server.log"), List.of())) {
      HttpResponse<String> r = create(server.base(), "it-text-1");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-Request-Id")).hasValue("it-text-1");
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).as("no CORS unless configured").isEmpty();

      server.awaitLog("request_id=it-text-1");
      String line = server.log().lines().filter(l -> l.contains("request_id=it-text-1")).findFirst().orElseThrow();
      assertThat(line).matches("\\S+ \\[[^]]+] INFO  io\\.vxdata\\.http\\.requests - method=POST path=/resources/create"
          + " status=200 duration_ms=\\d+\\.\\d bytes=" + r.body().length() + " request_id=it-text-1 principal=admin");
    }
  }

  @Test
  void jsonLogFormatWritesEveryLineAsJsonWithTheRequestFields(@TempDir Path dir) throws Exception {
    try (ServerProcess server = ServerProcess.start(dir, dir.resolve("server.log"), List.of("--log-format", "json",
        "--cors-origins", "https://app.example.org"))) {
      HttpResponse<String> r = create(server.base(), "it-json-1");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.org");
      HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(server.base().resolve("/query"))
          .header("Origin", "https://app.example.org").header("Access-Control-Request-Method", "POST")
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(preflight.statusCode()).isEqualTo(204);

      server.awaitLog("it-json-1");
      server.terminate();
      assertThat(server.awaitExit()).as(server.log()).isZero();

      List<JsonNode> lines = server.log().lines().filter(l -> !l.isBlank()).map(l -> {
        assertThat(l).as("a JSON line").startsWith("{").endsWith("}");
        return Json.parse(l);
      }).toList();
      assertThat(lines).anySatisfy(l -> assertThat(l.path("formattedMessage").asText()).contains("listening on"));
      JsonNode request = lines.stream().filter(l -> l.path("loggerName").asText().equals("io.vxdata.http.requests"))
          .filter(l -> "it-json-1".equals(fields(l).get("request_id"))).findFirst().orElseThrow();
      assertThat(request.path("level").asText()).isEqualTo("INFO");
      assertThat(request.path("timestamp").asLong()).isPositive();
      assertThat(fields(request)).containsEntry("method", "POST").containsEntry("path", "/resources/create")
          .containsEntry("status", "200").containsEntry("bytes", Integer.toString(r.body().length()))
          .containsEntry("principal", "admin").containsKey("duration_ms");
      assertThat(request.path("formattedMessage").asText()).startsWith("method=POST path=/resources/create status=200");
    }
  }

  /** The key-value pairs of a logback JSON line: {@code "kvpList": [{"k": "v"}, …]}. */
  private static Map<String, String> fields(JsonNode line) {
    Map<String, String> fields = new HashMap<>();
    for (JsonNode pair : line.path("kvpList")) {
      pair.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
    }
    return fields;
  }
}
