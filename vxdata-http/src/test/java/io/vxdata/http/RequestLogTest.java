package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.VxData;
import io.vxdata.jdbc.TestH2;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** The request log ({@code io.vxdata.http.requests}) and request ids ({@code X-Request-Id}) on a real server. */
class RequestLogTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private VxData store;
  private VxDataServer server;
  private CapturedLog requests;
  private CapturedLog errors;

  @BeforeEach
  void start() {
    store = TestH2.openFreshMemoryStore();
    // datasourceStats fails as a bug would: an unexpected exception, a 500.
    VxData failing = (VxData) Proxy.newProxyInstance(VxData.class.getClassLoader(), new Class<?>[] {VxData.class},
        (proxy, method, args) -> {
          if (method.getName().equals("datasourceStats")) {
            throw new IllegalStateException("the disk is on fire");
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    server = VxDataServer.start(failing, HttpBackend.testServerOptions());
    requests = CapturedLog.of(RequestLog.LOGGER, Level.INFO);
    errors = CapturedLog.of(ErrorMapping.class.getName(), Level.ERROR);
  }

  @AfterEach
  void stop() {
    requests.close();
    errors.close();
    server.close();
    store.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server.uri() + path));
  }

  private ILoggingEvent lineOf(String requestId) throws InterruptedException {
    return requests.await(e -> requestId.equals(fields(e).get("request_id")));
  }

  private static Map<String, Object> fields(ILoggingEvent event) {
    Map<String, Object> fields = new HashMap<>();
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        fields.put(kv.key, kv.value);
      }
    }
    return fields;
  }

  @Test
  void aRequestIsLoggedOnceAtInfoWithMethodPathStatusDurationBytesIdAndPrincipal() throws Exception {
    HttpResponse<String> r = send(request("/resources/create?x=1").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"resources\":[{\"identifier\":\"ds-1\",\"payload_type\":"
            + "\"datasource\",\"name\":\"DS\"}]}")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String id = r.headers().firstValue(RequestIds.HEADER).orElseThrow();

    ILoggingEvent line = lineOf(id);
    assertThat(line.getLevel()).isEqualTo(Level.INFO);
    assertThat(line.getLoggerName()).isEqualTo("io.vxdata.http.requests");
    Map<String, Object> f = fields(line);
    assertThat(f).containsEntry("method", "POST").containsEntry("path", "/resources/create")
        .containsEntry("status", 200).containsEntry("request_id", id).containsEntry("principal", "system")
        .containsEntry("bytes", (long) r.body().getBytes(StandardCharsets.UTF_8).length);
    assertThat(Double.parseDouble((String) f.get("duration_ms"))).isGreaterThanOrEqualTo(0);
    assertThat(line.getFormattedMessage()).isEqualTo("method=POST path=/resources/create status=200 duration_ms="
        + f.get("duration_ms") + " bytes=" + f.get("bytes") + " request_id=" + id + " principal=system");

    // Errors and unknown routes are logged too, once each.
    HttpResponse<String> missing = send(request("/no/such/route").GET());
    assertThat(missing.statusCode()).isEqualTo(404);
    String missingId = missing.headers().firstValue(RequestIds.HEADER).orElseThrow();
    assertThat(fields(lineOf(missingId))).containsEntry("status", 404).containsEntry("path", "/no/such/route");
    assertThat(requests.messages()).filteredOn(m -> m.contains(id)).hasSize(1);
  }

  @Test
  void aSaneClientIdIsEchoedAndLoggedAnInsaneOneIsReplaced() throws Exception {
    String sent = "trace-42:abc/DEF_9.x=y@z~+";
    HttpResponse<String> r = send(request("/health").header(RequestIds.HEADER, sent).GET());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().allValues(RequestIds.HEADER)).containsExactly(sent);
    assertThat(fields(lineOf(sent))).containsEntry("path", "/health").containsEntry("status", 200);

    for (String insane : new String[] {"a b", "x".repeat(RequestIds.MAX_LENGTH + 1), "semi;colon", "quote\"d",
        "é"}) {
      HttpResponse<String> replaced = send(request("/health").header(RequestIds.HEADER, insane).GET());
      String id = replaced.headers().firstValue(RequestIds.HEADER).orElseThrow();
      assertThat(id).as(insane).isNotEqualTo(insane);
      assertThat(UUID.fromString(id).toString()).isEqualTo(id);
      lineOf(id);
    }
    assertThat(RequestIds.isSane("x".repeat(RequestIds.MAX_LENGTH))).isTrue();
    assertThat(RequestIds.isSane("")).isFalse();
  }

  @Test
  void withoutAClientIdEachRequestGetsANewUuid() throws Exception {
    String first = send(request("/health").GET()).headers().firstValue(RequestIds.HEADER).orElseThrow();
    String second = send(request("/health").GET()).headers().firstValue(RequestIds.HEADER).orElseThrow();
    assertThat(UUID.fromString(first).toString()).isEqualTo(first);
    assertThat(UUID.fromString(second).toString()).isEqualTo(second);
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void errorBodiesCarryTheRequestId() throws Exception {
    HttpResponse<String> r = send(request("/resources/read").header(RequestIds.HEADER, "client-1")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"identifiers\":")));
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = RawHttp.json(r).path("error");
    assertThat(error.path("type").asText()).isEqualTo("bad_request");
    assertThat(error.path("request_id").asText()).isEqualTo("client-1");
    assertThat(error.path("details").isArray()).isTrue();
  }

  @Test
  void aServerErrorIsLoggedWithItsStackTraceAndTheIdTheBodyCarries() throws Exception {
    HttpResponse<String> r = send(request("/datasources/stats").GET());
    assertThat(r.statusCode()).isEqualTo(500);
    String id = r.headers().firstValue(RequestIds.HEADER).orElseThrow();
    JsonNode error = RawHttp.json(r).path("error");
    assertThat(error.path("type").asText()).isEqualTo("internal_error");
    assertThat(error.path("request_id").asText()).isEqualTo(id);
    assertThat(r.body()).doesNotContain("disk is on fire", "IllegalStateException");

    ILoggingEvent logged = errors.await(e -> e.getFormattedMessage().contains(id));
    assertThat(logged.getLevel()).isEqualTo(Level.ERROR);
    assertThat(logged.getFormattedMessage()).isEqualTo("GET /datasources/stats failed (request_id=" + id + ")");
    assertThat(logged.getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
    assertThat(logged.getThrowableProxy().getMessage()).isEqualTo("the disk is on fire");
    assertThat(logged.getThrowableProxy().getStackTraceElementProxyArray()).isNotEmpty();
    assertThat(logged.getMDCPropertyMap()).containsEntry(RequestIds.MDC_KEY, id);

    assertThat(fields(lineOf(id))).containsEntry("status", 500).containsEntry("path", "/datasources/stats");
  }
}
