package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.VxData;
import io.vxdata.jdbc.TestH2;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: scraped from a real server and parsed as the Prometheus text format. */
class MetricsTest {

  private static final String DATASOURCE = "{\"resources\":[{\"identifier\":\"ds-1\",\"payload_type\":\"datasource\","
      + "\"name\":\"DS\"}]}";

  @Test
  void requestsStoreWritesAndTheJvmAreScrapedInPrometheusTextFormat() {
    try (MicrometerMetrics metrics = MicrometerMetrics.prometheus();
         VxData store = metrics.timeWrites(TestH2.openFreshMemoryStore());
         VxDataServer server = VxDataServer.start(store, HttpBackend.testServerOptions().withMetrics(metrics))) {
      RawHttp http = new RawHttp(server.uri());
      assertThat(http.post("/resources/create", DATASOURCE).statusCode()).isEqualTo(200);
      assertThat(http.post("/resources/create", DATASOURCE).statusCode()).isEqualTo(400); // exists already
      assertThat(http.post("/resources/update", "{\"updates\":{\"ds-1\":{\"name\":\"DS\"}}}").statusCode())
          .isEqualTo(200); // changes nothing
      assertThat(http.get("/parents/ds-1").statusCode()).isEqualTo(200);
      assertThat(http.get("/parents/ds-1").statusCode()).isEqualTo(200);
      assertThat(http.get("/parents/nope").statusCode()).isEqualTo(404);
      assertThat(http.get("/no/such/route").statusCode()).isEqualTo(404);

      HttpResponse<String> scrape = http.get("/metrics");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type")).hasValue(MicrometerMetrics.CONTENT_TYPE);
      PrometheusText text = PrometheusText.parse(scrape.body());

      // Requests: by route template (never the raw path), method and status, with a latency histogram.
      String requests = "http_server_requests_seconds";
      assertThat(text.types).containsEntry(requests, "histogram");
      Map<String, String> parents200 = Map.of("method", "GET", "route", "/parents/{identifier}", "status", "200");
      assertThat(text.value(requests + "_count", parents200)).isEqualTo(2);
      assertThat(text.value(requests + "_bucket", with(parents200, "le", "+Inf"))).isEqualTo(2);
      assertThat(text.find(requests + "_bucket", parents200)).hasSizeGreaterThan(10);
      assertThat(text.value(requests + "_sum", parents200)).isGreaterThan(0);
      assertThat(text.value(requests + "_count", Map.of("route", "/parents/{identifier}", "status", "404")))
          .isEqualTo(1);
      assertThat(text.value(requests + "_count", Map.of("method", "POST", "route", "/resources/create",
          "status", "400"))).isEqualTo(1);
      assertThat(text.value(requests + "_count", Map.of("method", "GET", "route", "unmatched", "status", "404")))
          .isEqualTo(1);
      assertThat(text.samples).noneMatch(s -> s.labels().getOrDefault("route", "").contains("ds-1")
          || s.labels().getOrDefault("route", "").contains("nope") || s.labels().getOrDefault("route", "")
          .contains("/no/such"));

      // Store writes: committed, refused, and a write that changed nothing.
      String writes = "vxdata_store_writes_seconds";
      assertThat(text.types).containsEntry(writes, "histogram");
      assertThat(text.value(writes + "_count", Map.of("operation", "create", "outcome", "committed"))).isEqualTo(1);
      assertThat(text.value(writes + "_count", Map.of("operation", "create", "outcome", "refused"))).isEqualTo(1);
      assertThat(text.value(writes + "_count", Map.of("operation", "update", "outcome", "unchanged"))).isEqualTo(1);
      assertThat(text.find(writes + "_count", Map.of("outcome", "failed"))).isEmpty();

      // The JVM: heap in use, and the GC meters.
      assertThat(text.types).containsEntry("jvm_memory_used_bytes", "gauge");
      assertThat(text.find("jvm_memory_used_bytes", Map.of("area", "heap")))
          .isNotEmpty().allSatisfy(s -> assertThat(s.value()).isGreaterThanOrEqualTo(0));
      assertThat(text.find("jvm_memory_used_bytes", Map.of("area", "heap")).stream().mapToDouble(s -> s.value()).sum())
          .isGreaterThan(0);
      assertThat(text.types).containsEntry("jvm_gc_memory_allocated_bytes_total", "counter");
      assertThat(text.types).containsKeys("jvm_gc_max_data_size_bytes", "jvm_gc_memory_allocated_bytes_total",
          "jvm_threads_live_threads", "process_uptime_seconds");
    }
  }

  @Test
  void corsPreflightsAreCountedAsUnmatched() throws Exception {
    try (MicrometerMetrics metrics = MicrometerMetrics.prometheus();
         VxData store = TestH2.openFreshMemoryStore();
         VxDataServer server = VxDataServer.start(store, HttpBackend.testServerOptions().withMetrics(metrics)
             .withCorsOrigins(java.util.List.of("https://app.example.org")))) {
      var preflight = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(server.uri() + "/query")).header("Origin", "https://app.example.org")
          .header("Access-Control-Request-Method", "POST").method("OPTIONS",
              java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(preflight.statusCode()).isEqualTo(204);
      PrometheusText text = PrometheusText.parse(new RawHttp(server.uri()).get("/metrics").body());
      assertThat(text.value("http_server_requests_seconds_count", Map.of("method", "OPTIONS", "route", "unmatched",
          "status", "204"))).isEqualTo(1);
    }
  }

  @Test
  void withoutMetricsThereIsNoMetricsRoute() {
    try (VxData store = TestH2.openFreshMemoryStore();
         VxDataServer server = VxDataServer.start(store, HttpBackend.testServerOptions())) {
      HttpResponse<String> r = new RawHttp(server.uri()).get("/metrics");
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(RawHttp.json(r).path("error").path("type").asText()).isEqualTo("route_not_found");
    }
  }

  private static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> all = new java.util.HashMap<>(labels);
    all.put(name, value);
    return all;
  }
}
