package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.json.Json;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GET forms on the wire (docs/behaviour.md §15.4): which parameter a 400 names, the one-resource read and
 * its 404s, caching of final answers, and {@code HEAD /query/parquet}. That the GET forms answer as the POST
 * forms do is {@link GetPostEquivalenceTest}'s.
 */
class GetFormsRoutesTest extends H2ServerTest {

  private Instant created;

  @BeforeEach
  void data() {
    HttpResponse<String> r = http.post("/resources/create", """
        {"resources": [
          {"identifier": "ds-1", "payload_type": "datasource", "name": "One"},
          {"identifier": "pt-1", "payload_type": "patient", "parent_identifier": "ds-1", "external_uid": "p1"},
          {"identifier": "st-1", "payload_type": "study", "parent_identifier": "pt-1", "external_uid": "s1",
           "study_date": "2024-02-01", "modality": "MR"},
          {"identifier": "st-2", "payload_type": "study", "parent_identifier": "pt-1", "external_uid": "s,2",
           "study_date": "2023-05-01", "modality": "CT"},
          {"identifier": "st-3", "payload_type": "study", "parent_identifier": "pt-1", "external_uid": "s(3)",
           "study_date": "2024-06-01"}]}""");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    created = store.lastCommitTime();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Asserts a 400 validation error whose violations all name {@code field}, each message containing {@code words}. */
  private void assertRefused(String path, String field, String... words) {
    Instant before = store.lastCommitTime();
    HttpResponse<String> r = http.get(path);
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(400);
    JsonNode error = RawHttp.json(r).path("error");
    assertThat(error.path("type").asText()).as(r.body()).isEqualTo("validation_error");
    assertThat(error.path("details")).as(r.body()).isNotEmpty()
        .allSatisfy(d -> assertThat(d.path("field").asText()).as(path + " -> " + r.body()).isEqualTo(field));
    assertThat(error.path("message").asText()).as(path).contains(words);
    assertThat(store.lastCommitTime()).isEqualTo(before);
  }

  private List<String> ids(String path) {
    HttpResponse<String> r = http.get(path);
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
    return RawHttp.json(r).path("results").findValuesAsText("identifier");
  }

  @Test
  void conditionsOrderSelectOffsetAndEscapesAreRead() {
    assertThat(ids("/query?payload_type=study&study_date=gte.2024-01-01&order=study_date.asc"))
        .containsExactly("st-1", "st-3");
    assertThat(ids("/query?payload_type=study&modality=in.(MR,CT)&order=study_date")).containsExactly("st-1", "st-2");
    assertThat(ids("/query?payload_type=study&modality=not.eq.MR&order=identifier.asc")).containsExactly("st-2");
    assertThat(ids("/query?payload_type=study&modality=null.true")).containsExactly("st-3");
    assertThat(ids("/query?payload_type=study&external_uid=in." + enc("(\"s,2\",\"s(3)\")") + "&order=identifier.asc"))
        .containsExactly("st-2", "st-3");
    assertThat(ids("/query?payload_type=study&external_uid=eq." + enc("s,2"))).containsExactly("st-2");
    assertThat(ids("/query?payload_type=study&study_date=between.(2024-01-01,2024-12-31)&study_date=lt.2024-03-01"))
        .containsExactly("st-1");
    assertThat(ids("/query?payload_type=study&order=identifier.asc&offset=1&limit=1")).containsExactly("st-2");
    assertThat(ids("/query?payload_type=study&version=eq.1&order=identifier.asc")).hasSize(3);
    assertThat(ids("/query?payload_type=study&filters=" + enc("{\"or\":[{\"field\":\"modality\",\"op\":\"=\",\"value\":"
        + "\"CT\"},{\"field\":\"modality\",\"op\":\"null\",\"value\":true}]}") + "&order=identifier.asc"))
        .containsExactly("st-2", "st-3");
    JsonNode projected = RawHttp.json(http.get("/query?payload_type=study&select=modality&identifiers=st-1"))
        .path("results").get(0);
    assertThat(projected.fieldNames()).toIterable().containsExactlyInAnyOrder("identifier", "payload_type", "modality");
    assertThat(RawHttp.json(http.get("/query/count?payload_type=study&study_date=lt.2024-01-01&limit=1&offset=5"))
        .path("count").asLong()).isEqualTo(1);
    assertThat(ids("/query?payload_type=study&parent_identifier=ds-1&include_indirect_parents=true")).hasSize(3);
  }

  @Test
  void aRelatedConditionGoesInFilters() {
    assertThat(http.post("/resources/create", "{\"resources\":[{\"identifier\":\"fam-1\",\"payload_type\":\"family\","
        + "\"parent_identifier\":\"ds-1\",\"name\":\"F\"}]}").statusCode()).isEqualTo(200);
    HttpResponse<String> attached = http.post("/links/attach",
        "{\"links\":[{\"relation\":\"member_of\",\"from\":\"pt-1\",\"to\":\"fam-1\"}]}");
    assertThat(attached.statusCode()).as(attached.body()).isEqualTo(200);
    assertThat(ids("/query?payload_type=patient&filters="
        + enc("{\"related\":{\"relation\":\"member_of\",\"to\":\"fam-1\"}}") + "&external_uid=eq.p1"))
        .containsExactly("pt-1");
    assertThat(ids("/query?payload_type=family&filters="
        + enc("{\"related\":{\"relation\":\"member_of\",\"from\":\"pt-1\"}}"))).containsExactly("fam-1");
  }

  @Test
  void malformedParametersAre400NamingTheParameter() {
    assertRefused("/query?payload_type=study&bogus=eq.1", "bogus", "unknown query parameter 'bogus'");
    assertRefused("/query/count?payload_type=study&include_permissions=true", "include_permissions", "unknown");
    assertRefused("/query", "payload_type", "required");
    assertRefused("/query?modality=eq.MR", "payload_type", "required");
    assertRefused("/query?payload_type=nope", "payload_type", "unknown payload type 'nope'");
    assertRefused("/query?payload_type=study&modality=MR", "modality", "modality=eq.MR");
    assertRefused("/query?payload_type=study&modality=is.MR", "modality", "eq, neq, lt");
    assertRefused("/query?payload_type=study&version=eq.one", "version", "'one' is not an integer");
    assertRefused("/query?payload_type=study&modality=in.(MR", "modality", "(a,b,…)");
    assertRefused("/query?payload_type=study&modality=in." + enc("(\"MR)"), "modality", "not closed");
    assertRefused("/query?payload_type=study&modality=null.maybe", "modality", "true or false");
    assertRefused("/query?payload_type=study&limit=ten", "limit", "whole number");
    assertRefused("/query?payload_type=study&limit=1001", "limit", "1000");
    assertRefused("/query?payload_type=study&limit=1&limit=2", "limit", "2 times");
    assertRefused("/query?payload_type=study&offset=10001", "offset", "10000", "cursor");
    assertRefused("/query?payload_type=study&offset=-1", "offset", "-1");
    assertRefused("/query?payload_type=study&order=nope.asc", "order", "nope");
    assertRefused("/query?payload_type=study&order=", "order", "at least one field");
    assertRefused("/query?payload_type=study&select=nope", "select", "nope");
    assertRefused("/query?payload_type=study&include_deleted=yes", "include_deleted", "true or false");
    assertRefused("/query?payload_type=study&as_of=2026-01-01T00:00:00", "as_of", "offset");
    assertRefused("/query?payload_type=study&as_of=2026-01-01&release=r", "release", "not both");
    assertRefused("/query?payload_type=study&filters=" + enc("{\"or\":"), "filters", "JSON");
    assertRefused("/query?payload_type=study&filters=" + enc("{\"field\":\"modality\"}"), "filters.op", "op");
    assertRefused("/query?payload_type=study&modality=in.()", "modality", "empty");
    assertRefused("/query?payload_type=study&cursor=abc", "cursor", "");
    assertRefused("/query/parquet?payload_type=study&study_date=eq.2024-13-01", "study_date", "2024-13-01");
    String cursor = RawHttp.json(http.get("/query?payload_type=study&limit=1")).path("next_cursor").asText();
    assertRefused("/query?payload_type=study&limit=1&offset=1&cursor=" + enc(cursor), "offset", "cursor");
  }

  @Test
  void oneResourceIsReadAsResourcesReadReadsIt() {
    JsonNode posted = RawHttp.json(http.post("/resources/read", "{\"identifiers\":[\"pt-1\"]}")).get(0);
    HttpResponse<String> r = http.get("/resources/pt-1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(RawHttp.json(r)).isEqualTo(posted);
    assertThat(RawHttp.json(r).path("children")).hasSize(3);
    assertThat(RawHttp.json(http.get("/resources/pt-1?exclude_children=true&include_permissions=true")))
        .isEqualTo(RawHttp.json(http.post("/resources/read",
            "{\"identifiers\":[\"pt-1\"],\"exclude_children\":true,\"include_permissions\":true}")).get(0));
    assertThat(r.headers().firstValue(VxDataServer.AS_OF_HEADER)).hasValue(Json.formatInstant(created));

    HttpResponse<String> before = http.get("/resources/pt-1?as_of=2020-01-01");
    assertThat(before.statusCode()).isEqualTo(404);
    assertThat(RawHttp.json(before).at("/error/type").asText()).isEqualTo("not_found");
    assertThat(http.get("/resources/nope").statusCode()).isEqualTo(404);
    assertThat(http.post("/resources/delete", "{\"identifiers\":[\"st-3\"]}").statusCode()).isEqualTo(200);
    assertThat(http.get("/resources/st-3").statusCode()).isEqualTo(404);
    assertThat(http.get("/resources/st-3?as_of=" + enc(Json.formatInstant(created))).statusCode()).isEqualTo(200);
    assertRefused("/resources/pt-1?children=false", "children", "unknown query parameter");
    assertRefused("/resources/pt-1?exclude_children=1", "exclude_children", "true or false");
  }

  @Test
  void finalGetQueriesAreCacheableAndRevalidated() {
    String path = "/query?payload_type=study&modality=eq.MR&as_of=" + enc(Json.formatInstant(created));
    HttpResponse<String> first = http.get(path);
    assertThat(first.headers().firstValue("Cache-Control")).hasValue(Caching.IMMUTABLE);
    String etag = first.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = http.send("GET", path, null, "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    HttpResponse<String> latest = http.get("/query/count?payload_type=study");
    assertThat(latest.headers().firstValue("Cache-Control")).hasValue(Caching.REVALIDATE);
    assertThat(http.get("/resources/pt-1?as_of=" + enc(Json.formatInstant(created))).headers()
        .firstValue("Cache-Control")).hasValue(Caching.IMMUTABLE);
  }

  @Test
  void headOfAParquetExportChecksItAndAnswersNoLength() {
    HttpResponse<String> get = http.get("/query/parquet?payload_type=study&modality=eq.MR");
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).startsWith("PAR1").endsWith("PAR1");

    HttpResponse<String> head = http.send("HEAD", "/query/parquet?payload_type=study&modality=eq.MR", null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).as("no length: a reader fetches the file whole").isEmpty();
    for (String header : List.of("Content-Type", "Content-Disposition", VxDataServer.AS_OF_HEADER)) {
      assertThat(head.headers().firstValue(header)).as(header).isPresent().isEqualTo(get.headers().firstValue(header));
    }
    assertThat(head.headers().firstValue("Content-Type").orElseThrow()).startsWith(ExportController.PARQUET);
    assertThat(head.body()).isEmpty();
    assertThat(http.send("HEAD", "/query/parquet?payload_type=study&modality=zz.MR", null).statusCode()).isEqualTo(400);
  }
}
