package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.NewResource;
import io.vxdata.VxData;
import io.vxdata.jdbc.TestH2;
import io.vxdata.jdbc.TestPostgres;
import io.vxdata.s3.EmbeddedS3;
import io.vxdata.s3.ObjectStorage;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One regression test per class of odd input that used to reach the database and come back as 500
 * (or as Jetty's HTML page), on both databases: each asserts a 400 (or Jetty's status) with the JSON
 * error body naming the problem.
 */
class InputLimitsTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private VxData store;
  private EmbeddedS3 objects;
  private ObjectStorage storage;
  private VxDataServer server;
  private RawHttp http;

  private void start(String backend) {
    store = backend.equals("h2") ? TestH2.openFreshMemoryStore()
        : TestPostgres.openFreshStore();
    objects = EmbeddedS3.startInMemory("vxdata");
    storage = ObjectStorage.connect(objects.settings());
    server = VxDataServer.start(store, storage, HttpBackend.testServerOptions());
    http = new RawHttp(server.uri());
    store.create(List.of(NewResource.builder("datasource", "ds-1").set("name", "DS").build(),
        NewResource.builder("patient", "pt-1").parent("ds-1").set("datasource_id", "ds-1")
            .set("external_uid", "MRN-1").build(),
        NewResource.builder("study", "st-1").parent("pt-1").set("external_uid", "S-1").set("modality", "MR")
            .build()));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
      storage.close();
      objects.close();
      store.close();
    }
  }

  /** Asserts the docs/behaviour.md §10 error body with {@code status} and returns its message. */
  private static String error(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode error = RawHttp.json(r).path("error");
    assertThat(error.path("status").asInt()).isEqualTo(status);
    assertThat(error.path("details").isArray()).isTrue();
    return error.path("message").asText();
  }

  private static String error(RawSocket.Answer r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/json");
    JsonNode error = io.vxdata.json.Json.parse(r.body()).path("error");
    assertThat(error.path("status").asInt()).isEqualTo(status);
    assertThat(error.path("details").isArray()).isTrue();
    return error.path("message").asText();
  }

  private static String query(String payloadType, JsonNode filters) {
    ObjectNode q = F.objectNode().put("payload_type", payloadType);
    q.set("filters", filters);
    return q.toString();
  }

  private static ObjectNode condition(String field, String op, Object value) {
    ObjectNode c = F.objectNode().put("field", field).put("op", op);
    c.set("value", io.vxdata.json.Json.mapper().valueToTree(value));
    return c;
  }

  private static String createStudy(String id, String field, Object value) {
    ObjectNode r = F.objectNode().put("identifier", id).put("payload_type", "study").put("parent_identifier", "pt-1")
        .put("external_uid", "E-" + id);
    r.set(field, io.vxdata.json.Json.mapper().valueToTree(value));
    ObjectNode body = F.objectNode();
    body.putArray("resources").add(r);
    return body.toString();
  }

  private static ArrayNode strings(String prefix, int count) {
    ArrayNode a = F.arrayNode();
    for (int i = 0; i < count; i++) {
      a.add(prefix + i);
    }
    return a;
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void textFromTheRequestIsNeverReadAsAFormatString(String backend) {
    start(backend);
    assertThat(error(http.get("/parents/%25Z%25%7C'"), 400)).contains("'%Z%|''");
    assertThat(error(http.post("/patients/resolve", "{\"datasource_id\":\"x%Z\",\"external_uid\":\"u\"}"), 400))
        .contains("'x%Z' is not a valid identifier");
    assertThat(error(http.post("/studies/register", "{\"patient_identifier\":\"%s%n%d\",\"external_uid\":\"u\"}"),
        400)).contains("'%s%n%d' is not a valid identifier");
    assertThat(error(http.post("/query", query("study", condition("modality", "%|", "MR"))), 400))
        .contains("unknown operator '%|'");
    assertThat(error(http.post("/query/count", "{\"payload_type\":\"study\",\"identifiers\":[\"%'\"]}"), 400))
        .contains("'%'' is not a valid identifier");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void nulAndUnpairedSurrogatesAreRejectedBeforeSql(String backend) {
    start(backend);
    assertThat(error(http.post("/resources/create", createStudy("st-nul", "description", "a\u0000b")), 400))
        .contains("description", "NUL");
    assertThat(error(http.post("/query", query("study", condition("modality", "=", "M\u0000R"))), 400))
        .contains("modality", "NUL");
    assertThat(error(http.post("/patients/resolve", "{\"datasource_id\":\"ds-1\",\"external_uid\":\"a\\u0000\"}"),
        400)).contains("external_uid", "NUL");
    // The escape, not the character: an HTTP client would send a lone surrogate as '?'.
    assertThat(error(http.post("/query", "{\"payload_type\":\"study\",\"filters\":{\"field\":\"modality\","
        + "\"op\":\"regex\",\"value\":\"\\ud800\"}}"), 400)).contains("unpaired surrogate");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void patternsAreCheckedInTheSyntaxEveryBackendShares(String backend) {
    start(backend);
    assertThat(error(http.post("/query", query("study", condition("modality", "like", "M\\"))), 400))
        .contains("ends in the escape character");
    assertThat(error(http.post("/query", query("study", condition("modality", "ilike", "%\\\\\\"))), 400))
        .contains("ends in the escape character");
    for (String javaOnly : List.of("M++", "(?<n>M)", "\\p{L}", "x(?i)m", "\\bMR", "M{1,300}", "[[:alpha:]]")) {
      assertThat(error(http.post("/query", query("study", condition("modality", "regex", javaOnly))), 400))
          .as(javaOnly).contains("regular expression");
    }
    // What the subset keeps means the same on both databases.
    HttpResponse<String> r = http.post("/query/count", query("study",
        condition("modality", "regex", "^(?:M|C)[A-Z]{1}$")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(RawHttp.json(r).path("count").asLong()).isEqualTo(1);
    r = http.post("/query/count", query("study", condition("modality", "like", "M\\%")));
    assertThat(RawHttp.json(r).path("count").asLong()).as(r.body()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void sizesPastADatabaseLimitAre400NamingTheField(String backend) {
    start(backend);
    // An index entry larger than a B-tree page holds.
    assertThat(error(http.post("/resources/create", createStudy("st-long", "external_uid", "é".repeat(3000))), 400))
        .contains("external_uid", "2000 bytes");
    assertThat(error(http.post("/patients/register", "{\"datasource_id\":\"ds-1\",\"external_uid\":\""
        + "x".repeat(2001) + "\"}"), 400)).contains("external_uid", "2000 bytes");
    // More identifiers than H2's ARRAY takes (65,536), on every route that binds them as one array.
    ArrayNode ids = strings("id-", 70_000);
    ObjectNode read = F.objectNode();
    read.set("identifiers", ids);
    for (String route : List.of("/resources/read", "/resources/delete", "/resources/restore")) {
      assertThat(error(http.post(route, read.toString()), 400)).as(route).contains("identifiers", "at most 50,000");
    }
    ObjectNode scoped = F.objectNode().put("payload_type", "study");
    scoped.set("identifiers", ids);
    assertThat(error(http.post("/query/parquet", scoped.toString()), 400)).contains("identifiers", "at most 10,000");
    ObjectNode updates = F.objectNode();
    for (int i = 0; i < 50_001; i++) {
      updates.putObject("id-" + i).put("license", "MIT");
    }
    assertThat(error(http.post("/resources/update", F.objectNode().set("updates", updates).toString()), 400))
        .contains("updates", "at most 50,000");
    // More bind parameters than PostgreSQL takes (65,535): one per condition, in several branches.
    ArrayNode conditions = F.arrayNode();
    for (int i = 0; i < 40_000; i++) {
      conditions.add(condition("modality", "!=", "v" + i));
    }
    assertThat(error(http.post("/query", query("study", conditions)), 400)).contains("filters", "at most 200");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void numbersOutOfTheDatabaseRangeAre400(String backend) {
    start(backend);
    assertThat(error(http.get("/datasources/stats?as_of=%2B99999-01-01T00:00:00Z"), 400))
        .contains("as_of", "years 1 and 9999");
    assertThat(error(http.get("/datasources/detailed-stats?as_of=-4714-01-01T00:00:00Z"), 400))
        .contains("as_of", "years 1 and 9999");
    assertThat(error(http.post("/resources/create", createStudy("st-date", "study_date", "+99999-01-01")), 400))
        .contains("study_date", "years 1 and 9999");
    assertThat(error(http.post("/query", query("study", condition("created_at", ">", "+294277-01-01T00:00:00Z"))),
        400)).contains("created_at", "years 1 and 9999");
    assertThat(error(http.post("/query", query("artefact", condition("size_bytes", "=", new java.math.BigDecimal("1e400")))), 400))
        .contains("size_bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void theWorkOneRequestMayCauseIsBounded(String backend) {
    start(backend);
    ArrayNode conditions = F.arrayNode();
    for (String field : List.of("modality", "description", "external_uid")) {
      conditions.add(condition(field, "in", strings("v", 10_000)));
    }
    assertThat(error(http.post("/query", query("study", conditions)), 400)).contains("filters",
        "at most 20,000 filter values per request, not 30,000");
    JsonNode deep = condition("modality", "=", "MR");
    for (int i = 0; i < 40; i++) {
      deep = F.objectNode().set("not", deep);
    }
    assertThat(error(http.post("/query", query("study", deep)), 400)).contains("filters", "deeper than 32");
    ObjectNode dir = F.objectNode().put("group", "g");
    dir.set("relpaths", strings("f-", 100_000));
    assertThat(error(http.post("/s3/presign/upload-dir", dir.toString()), 400)).contains("relpaths",
        "at most 1,000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2"})
  void everyErrorJettyAnswersItselfIsTheJsonBody(String backend) {
    start(backend);
    java.net.URI base = server.uri();
    String host = "Host: " + base.getHost() + ":" + base.getPort();
    assertThat(error(RawSocket.send(base, "GET /%2e%2e/ HTTP/1.1\r\n" + host, null), 400)).isNotBlank();
    assertThat(error(RawSocket.send(base, "GET /parents/%ff HTTP/1.1\r\n" + host, null), 400)).isNotBlank();
    assertThat(error(RawSocket.send(base, "GET /health HTTP/1.1\r\n" + host + "\r\nno colon", null), 400))
        .isNotBlank();
    assertThat(error(RawSocket.send(base, "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\n" + host, null), 414))
        .contains("URI");
    assertThat(error(RawSocket.send(base, "GET /health HTTP/1.1\r\n" + host + "\r\nX-Big: " + "b".repeat(100_000),
        null), 431)).contains("headers");
    assertThat(error(RawSocket.send(base, "GET /nowhere HTTP/1.1\r\n" + host, null), 404)).contains("route");
    assertThat(error(RawSocket.send(base, "PUT /query HTTP/1.1\r\n" + host, new byte[0]), 405)).contains("/query");
  }
}
