package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.json.Json;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The release routes and the {@code release} parameter on the wire (docs/behaviour.md §14.4): what the
 * conformance kit cannot see through the client — statuses, {@code Location}, which member or
 * parameter an error names, caching, and every read route taking {@code release}.
 */
class ReleaseRoutesTest extends H2ServerTest {

  private void create(String body) {
    HttpResponse<String> r = http.post("/resources/create", "{\"resources\":[" + body + "]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  /** Asserts a 400 validation error whose one violation names {@code field}. */
  private static void assertRefused(HttpResponse<String> r, String field) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode error = RawHttp.json(r).path("error");
    assertThat(error.path("type").asText()).isEqualTo("validation_error");
    assertThat(error.path("details")).hasSize(1);
    assertThat(error.path("details").get(0).path("field").asText()).as(r.body()).isEqualTo(field);
  }

  @Test
  void aReleaseIsCreatedWith201AndLocationAndGotAndListed() {
    create("{\"identifier\":\"ds-1\",\"payload_type\":\"datasource\",\"name\":\"A\"}");
    Instant t = store.lastCommitTime();
    HttpResponse<String> r = http.post("/releases", "{\"name\":\"2026-q4\",\"description\":\"freeze\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().firstValue("Location")).hasValue("/releases/2026-q4");
    JsonNode release = RawHttp.json(r);
    assertThat(release.path("name").asText()).isEqualTo("2026-q4");
    assertThat(release.path("transaction_time").asText()).isEqualTo(Json.formatInstant(t));
    assertThat(release.path("description").asText()).isEqualTo("freeze");
    assertThat(release.path("created_by").asText()).isEqualTo("system");

    assertThat(RawHttp.json(http.get("/releases/2026-q4"))).isEqualTo(release);
    JsonNode page = RawHttp.json(http.get("/releases?limit=1"));
    assertThat(page.path("releases")).containsExactly(release);
    assertThat(page.path("next_cursor").isNull()).isTrue();
    assertThat(page.path("limit").asInt()).isEqualTo(1);
    HttpResponse<String> missing = http.get("/releases/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(RawHttp.json(missing).at("/error/type").asText()).isEqualTo("not_found");
  }

  @Test
  void malformedReleaseRequestsAre400NamingTheFieldAndWriteNothing() {
    create("{\"identifier\":\"ds-1\",\"payload_type\":\"datasource\",\"name\":\"A\"}");
    Instant before = store.lastCommitTime();
    assertRefused(http.post("/releases", "{}"), "name");
    assertRefused(http.post("/releases", "{\"name\":\"a/b\"}"), "name");
    assertRefused(http.post("/releases", "{\"name\":7}"), "name");
    assertRefused(http.post("/releases", "{\"name\":\"r\",\"as_of\":\"2026-01-01T00:00:00\"}"), "as_of");
    assertRefused(http.post("/releases", "{\"name\":\"r\",\"as_of\":\"2200-01-01\"}"), "as_of");
    assertRefused(http.post("/releases", "{\"name\":\"r\",\"release\":\"x\"}"), "release");
    assertRefused(http.post("/releases", "{\"name\":\"r\",\"description\":\"" + "d".repeat(1001) + "\"}"),
        "description");
    assertRefused(http.get("/releases?limit=0"), "limit");
    assertRefused(http.get("/releases?limit=x"), "limit");
    assertRefused(http.get("/releases?cursor=abc"), "cursor");
    assertRefused(http.get("/releases?as_of=2026-01-01"), "as_of");
    assertRefused(http.get("/releases/a.b%20c"), "name");
    assertThat(store.lastCommitTime()).isEqualTo(before);

    assertThat(http.post("/releases", "{\"name\":\"r\"}").statusCode()).isEqualTo(201);
    Instant created = store.lastCommitTime();
    assertRefused(http.post("/releases", "{\"name\":\"r\"}"), "name");
    assertThat(store.lastCommitTime()).isEqualTo(created);
  }

  @Test
  void everyReadRouteTakesReleaseInPlaceOfAsOf() {
    create("{\"identifier\":\"ds-1\",\"payload_type\":\"datasource\",\"name\":\"A\"}");
    create("{\"identifier\":\"pt-1\",\"payload_type\":\"patient\",\"parent_identifier\":\"ds-1\","
        + "\"external_uid\":\"u-1\"}");
    String at = RawHttp.json(http.post("/releases", "{\"name\":\"r1\"}")).path("transaction_time").asText();
    create("{\"identifier\":\"pt-2\",\"payload_type\":\"patient\",\"parent_identifier\":\"ds-1\","
        + "\"external_uid\":\"u-2\"}");

    List<HttpResponse<String>> reads = List.of(
        http.post("/resources/read", "{\"identifiers\":[\"pt-1\",\"pt-2\"],\"release\":\"r1\"}"),
        http.post("/query", "{\"payload_type\":\"patient\",\"release\":\"r1\"}"),
        http.post("/query/count", "{\"payload_type\":\"patient\",\"release\":\"r1\"}"),
        http.post("/query/parquet", "{\"payload_type\":\"patient\",\"release\":\"r1\"}"),
        http.get("/parents/pt-1?release=r1"),
        http.get("/resources/pt-1/history?release=r1"),
        http.get("/datasources/stats?release=r1"),
        http.get("/datasources/detailed-stats?datasource_id=ds-1&release=r1"));
    for (HttpResponse<String> r : reads) {
      assertThat(r.statusCode()).as("%s %s", r.uri(), r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue(VxDataServer.AS_OF_HEADER)).as("%s", r.uri()).hasValue(at);
    }
    assertThat(RawHttp.json(reads.get(0))).hasSize(1);
    assertThat(RawHttp.json(reads.get(2)).path("count").asLong()).isEqualTo(1);
    // A release names a past time for good: a GET read at one is final.
    assertThat(reads.get(4).headers().firstValue("Cache-Control")).hasValue(Caching.IMMUTABLE);
  }

  @Test
  void anUnknownReleaseOrBothAsOfAndReleaseAre400NamingRelease() {
    create("{\"identifier\":\"ds-1\",\"payload_type\":\"datasource\",\"name\":\"A\"}");
    http.post("/releases", "{\"name\":\"r1\"}");
    String both = "\"as_of\":\"2026-01-01\",\"release\":\"r1\"";
    for (String body : List.of("{\"identifiers\":[\"ds-1\"],", "{\"payload_type\":\"datasource\",")) {
      String path = body.contains("identifiers") ? "/resources/read" : "/query";
      assertRefused(http.post(path, body + both + "}"), "release");
      assertRefused(http.post(path, body + "\"release\":\"nope\"}"), "release");
      assertRefused(http.post(path, body + "\"release\":\"no/pe\"}"), "release");
      assertRefused(http.post(path, body + "\"release\":5}"), "release");
    }
    assertRefused(http.post("/query/count", "{\"payload_type\":\"datasource\"," + both + "}"), "release");
    assertRefused(http.post("/query/parquet", "{\"payload_type\":\"datasource\",\"release\":\"nope\"}"), "release");
    for (String path : List.of("/parents/ds-1", "/resources/ds-1/history", "/datasources/stats",
        "/datasources/detailed-stats")) {
      assertRefused(http.get(path + "?as_of=2026-01-01&release=r1"), "release");
      assertRefused(http.get(path + "?release=nope"), "release");
    }
  }
}
