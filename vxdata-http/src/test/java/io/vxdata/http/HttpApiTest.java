package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.VxData;
import io.vxdata.jdbc.TestH2;
import io.vxdata.json.Json;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the conformance kit cannot see through the client: statuses, error bodies and headers on the wire. */
class HttpApiTest {

  private static final long MAX_BODY = 4096;

  private VxData store;
  private VxDataServer server;
  private RawHttp http;

  @BeforeEach
  void start() {
    store = TestH2.openFreshMemoryStore();
    server = VxDataServer.start(store, HttpBackend.testServerOptions()
        .withMaxBodyBytes(MAX_BODY));
    http = new RawHttp(server.uri());
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private void createDatasource(String id) {
    HttpResponse<String> r = http.post("/resources/create",
        "{\"resources\":[{\"identifier\":\"" + id + "\",\"payload_type\":\"datasource\",\"name\":\"DS " + id + "\"}]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(RawHttp.json(r).path("created").asInt()).isEqualTo(1);
  }

  /** Asserts the error envelope of docs/behaviour.md §10 and returns its {@code error} object. */
  private static JsonNode assertError(HttpResponse<String> r, int status, String type, String... mentioned) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode error = RawHttp.json(r).path("error");
    assertThat(error.path("status").asInt()).isEqualTo(status);
    assertThat(error.path("type").asText()).isEqualTo(type);
    assertThat(error.path("message").asText()).isNotBlank();
    if (mentioned.length > 0) {
      assertThat(error.path("message").asText()).contains(mentioned);
    }
    assertThat(error.path("details").isArray()).isTrue();
    assertThat(r.body()).doesNotContain("\tat ", "Exception", "io.vxdata.", "org.eclipse");
    return error;
  }

  @Test
  void resourcesAreFlatSnakeCaseJsonWithMicrosecondTimestamps() {
    createDatasource("ds-1");
    HttpResponse<String> r = http.post("/resources/read", "{\"identifiers\":[\"ds-1\"]}");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode ds = RawHttp.json(r).get(0);
    List<String> keys = new java.util.ArrayList<>();
    ds.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("identifier", "parent_identifier", "payload_type", "license", "access_level",
        "derived_from", "is_deleted", "version", "created_at", "updated_at", "created_by", "updated_by", "name",
        "description", "site", "children");
    assertThat(ds.path("access_level").asText()).isEqualTo("internal");
    assertThat(ds.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    assertThat(ds.path("description").isNull()).isTrue();

    JsonNode without = RawHttp.json(http.post("/resources/read",
        "{\"identifiers\":[\"ds-1\"],\"exclude_children\":true}")).get(0);
    assertThat(without.has("children")).isFalse();
  }

  @Test
  void canEditComesOnlyWhenAskedAfterTheOtherKeys() {
    createDatasource("ds-1");
    JsonNode asked = RawHttp.json(http.post("/resources/read",
        "{\"identifiers\":[\"ds-1\"],\"include_permissions\":true}")).get(0);
    List<String> keys = new java.util.ArrayList<>();
    asked.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).endsWith("children", "can_edit");
    assertThat(asked.path("can_edit").isBoolean()).isTrue();
    JsonNode page = RawHttp.json(http.post("/query",
        "{\"payload_type\":\"datasource\",\"select_columns\":[\"name\"],\"include_permissions\":true}"));
    assertThat(page.path("results").get(0).path("can_edit").isBoolean()).isTrue();
    assertThat(RawHttp.json(http.post("/query", "{\"payload_type\":\"datasource\"}")).path("results").get(0)
        .has("can_edit")).isFalse();
    assertThat(RawHttp.json(http.post("/resources/read", "{\"identifiers\":[\"ds-1\"]}")).get(0).has("can_edit"))
        .isFalse();
  }

  @Test
  void validationErrorIs400WithViolationsNamingIdentifierAndField() {
    HttpResponse<String> r = http.post("/resources/create",
        "{\"resources\":[{\"identifier\":\"ds-1\",\"payload_type\":\"datasource\",\"colour\":\"red\"}]}");

    JsonNode error = assertError(r, 400, "validation_error", "ds-1");
    assertThat(error.path("details")).anySatisfy(d -> {
      assertThat(d.path("identifier").asText()).isEqualTo("ds-1");
      assertThat(d.path("field").asText()).isEqualTo("colour");
      assertThat(d.path("message").asText()).isNotBlank();
    });
  }

  @Test
  void unknownResourceIs404NotFound() {
    JsonNode error = assertError(http.post("/resources/update", "{\"updates\":{\"nope\":{\"name\":\"x\"}}}"), 404,
        "not_found", "nope");
    assertThat(error.path("details").get(0).path("identifier").asText()).isEqualTo("nope");
    assertError(http.get("/parents/nope"), 404, "not_found", "nope");
    assertError(http.get("/resources/nope/history"), 404, "not_found", "nope");
    assertError(http.post("/patients/resolve", "{\"datasource_id\":\"ds-x\",\"external_uid\":\"u\"}"), 404,
        "not_found");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "truncated object    | /resources/read   | {\"identifiers\": [\"a\"",
      "not JSON            | /resources/read   | identifiers=a",
      "trailing garbage    | /query            | {\"payload_type\":\"datasource\"} x",
      "duplicate key       | /resources/read   | {\"identifiers\":[],\"identifiers\":[]}",
      "empty body          | /resources/create | ''"})
  void malformedJsonIs400BadRequest(String name, String path, String body) {
    assertError(http.post(path, body), 400, "bad_request");
    assertThat(http.get("/health").statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "read envelope       | /resources/read     | {\"identifiers\":[],\"typo\":1}                       | typo",
      "delete envelope     | /resources/delete   | {\"identifiers\":[],\"cascades\":false}               | cascades",
      "restore envelope    | /resources/restore  | {\"identifiers\":[],\"as_of\":\"2024-01-01\"}          | as_of",
      "create envelope     | /resources/create   | {\"resources\":[],\"dry_run\":true}                   | dry_run",
      "update envelope     | /resources/update   | {\"updates\":{},\"x\":1}                              | x",
      "query               | /query              | {\"payload_type\":\"datasource\",\"sortby\":\"name\"}  | sortby",
      "count               | /query/count        | {\"payload_type\":\"datasource\",\"page\":2}           | page",
      "count, permissions  | /query/count        | {\"payload_type\":\"datasource\",\"include_permissions\":true} | include_permissions",
      "export, permissions | /query/parquet      | {\"payload_type\":\"datasource\",\"include_permissions\":true} | include_permissions",
      "registration        | /patients/register  | {\"datasource_id\":\"d\",\"external_uid\":\"u\",\"sex\":\"F\"} | sex"})
  void unknownKeysInRequestBodiesAre400NamingTheKey(String name, String path, String body, String key) {
    JsonNode error = assertError(http.post(path, body), 400, "validation_error", "'" + key + "'");
    assertThat(error.path("details").get(0).path("field").asText()).isEqualTo(key);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "identifiers not a list   | /resources/read   | {\"identifiers\":\"a\"}                          | identifiers",
      "identifier not a string  | /resources/read   | {\"identifiers\":[\"a\",2]}                       | identifiers[1]",
      "exclude_children string  | /resources/read   | {\"identifiers\":[],\"exclude_children\":\"yes\"} | exclude_children",
      "include_permissions str  | /resources/read   | {\"identifiers\":[],\"include_permissions\":\"yes\"} | include_permissions",
      "include_permissions num  | /query            | {\"payload_type\":\"datasource\",\"include_permissions\":1} | include_permissions",
      "as_of without offset     | /resources/read   | {\"identifiers\":[],\"as_of\":\"2024-01-01T00:00\"} | as_of",
      "cascade number           | /resources/delete | {\"identifiers\":[],\"cascade\":0}               | cascade",
      "resources not a list     | /resources/create | {\"resources\":{}}                              | resources",
      "access_level unknown     | /resources/create | {\"resources\":[{\"identifier\":\"a\",\"payload_type\":\"datasource\",\"name\":\"n\",\"access_level\":\"secret\"}]} | access_level",
      "identifier a number      | /resources/create | {\"resources\":[{\"identifier\":1,\"payload_type\":\"datasource\"}]} | identifier",
      "version given on create  | /resources/create | {\"resources\":[{\"identifier\":\"a\",\"payload_type\":\"datasource\",\"version\":3}]} | version",
      "update not an object     | /resources/update | {\"updates\":{\"a\":[1]}}                        | updates.a",
      "limit a string           | /query            | {\"payload_type\":\"datasource\",\"limit\":\"ten\"} | limit",
      "limit a fraction         | /query            | {\"payload_type\":\"datasource\",\"limit\":1.5}   | limit",
      "sort_order unknown       | /query            | {\"payload_type\":\"datasource\",\"sort_order\":\"up\"} | sort_order",
      "sort lists differ        | /query            | {\"payload_type\":\"datasource\",\"sort_by\":[\"a\",\"b\",\"c\"],\"sort_order\":[\"asc\",\"desc\"]} | sort_order",
      "filter malformed         | /query/count      | {\"payload_type\":\"datasource\",\"filters\":{\"field\":\"name\"}} | filters.op",
      "external_uid missing     | /studies/register | {\"patient_identifier\":\"p\"}                    | external_uid"})
  void wrongJsonTypesAre400NamingTheField(String name, String path, String body, String field) {
    JsonNode error = assertError(http.post(path, body), 400, "validation_error", field);
    assertThat(error.path("details").get(0).path("field").asText()).isEqualTo(field);
  }

  @Test
  void historyIsAPageOfVersionsEachWithTheResourceNested() {
    createDatasource("ds-1");
    assertThat(http.post("/resources/update", "{\"updates\":{\"ds-1\":{\"site\":\"north\"}}}").statusCode())
        .isEqualTo(200);
    HttpResponse<String> r = http.get("/resources/ds-1/history?limit=1");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("VxData-As-Of")).isPresent();
    JsonNode page = RawHttp.json(r);
    List<String> keys = new java.util.ArrayList<>();
    page.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("versions", "links", "next_cursor", "limit");
    assertThat(page.path("links").isArray()).isTrue();
    assertThat(page.path("links")).isEmpty();
    JsonNode v = page.path("versions").get(0);
    List<String> entryKeys = new java.util.ArrayList<>();
    v.fieldNames().forEachRemaining(entryKeys::add);
    assertThat(entryKeys).containsExactly("version", "valid_from", "valid_to", "updated_by", "changed_fields",
        "resource");
    assertThat(v.path("version").asLong()).isEqualTo(2);
    assertThat(v.path("valid_to").isNull()).isTrue();
    assertThat(v.path("changed_fields").get(0).asText()).isEqualTo("site");
    assertThat(v.path("resource").path("site").asText()).isEqualTo("north");
    assertThat(v.path("resource").has("children")).isFalse();
    String cursor = page.path("next_cursor").asText();
    JsonNode older = RawHttp.json(http.get("/resources/ds-1/history?limit=1&cursor="
        + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
    assertThat(older.path("versions").get(0).path("version").asLong()).isEqualTo(1);
    assertThat(older.path("next_cursor").isNull()).isTrue();
  }

  @Test
  void wrongQueryParametersAre400() {
    assertError(http.get("/datasources/stats?as_of=yesterday"), 400, "validation_error", "as_of");
    assertError(http.get("/datasources/stats?asof=2024-01-01"), 400, "validation_error", "asof");
    assertError(http.get("/parents/x?as_of=2024-01-01&as_of=2024-01-02"), 400, "validation_error", "as_of");
    assertError(http.post("/query", "{\"payload_type\":\"artefact\",\"updated_since\":\"yesterday\"}"), 400,
        "validation_error", "updated_since");
    assertError(http.post("/query/count", "{\"payload_type\":\"artefact\",\"include_deleted\":\"yes\"}"), 400,
        "validation_error", "include_deleted");
    assertError(http.get("/resources/x/history?limit=ten"), 400, "validation_error", "limit");
    assertError(http.get("/resources/x/history?limit=0"), 400, "validation_error", "limit");
    assertError(http.get("/resources/x/history?cursor=abc"), 400, "validation_error", "cursor");
    assertError(http.get("/resources/x/history?since=2024-01-01"), 400, "validation_error", "since");
  }

  @Test
  void bodyOverTheLimitIs413AndTheServerKeepsServing() {
    String big = "{\"identifiers\":[\"" + "a".repeat((int) MAX_BODY) + "\"]}";

    assertError(http.post("/resources/read", big), 413, "payload_too_large", String.valueOf(MAX_BODY));
    assertThat(http.post("/resources/read", "{\"identifiers\":[]}").statusCode()).isEqualTo(200);
  }

  @Test
  void aBodyOverTheLimitIsRefusedOnItsContentLengthBeforeTheClientSendsIt() {
    byte[] big = ("{\"identifiers\":[\"" + "a".repeat((int) MAX_BODY) + "\"]}").getBytes(StandardCharsets.UTF_8);
    java.net.URI base = server.uri();

    RawSocket.Answer answer = RawSocket.sendExpectingContinue(base, "POST /resources/read HTTP/1.1\r\nHost: "
        + base.getHost() + ":" + base.getPort() + "\r\nContent-Type: application/json", big);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.continued()).as("the server asked for a body it refuses").isFalse();
    assertThat(answer.body()).contains("payload_too_large", String.valueOf(MAX_BODY));
  }

  @Test
  void unknownRouteIs404AndWrongMethodIs405() {
    assertError(http.get("/no/such/route"), 404, "route_not_found", "/no/such/route");
    assertError(http.post("/resources/frobnicate/now", "{}"), 404, "route_not_found");
    // GET /resources/{identifier} (docs/behaviour.md §15.4) matches this path: POST is the wrong method there,
    // and GET /resources/read reads a resource whose identifier is "read".
    assertError(http.post("/resources/frobnicate", "{}"), 405, "method_not_allowed", "/resources/frobnicate");
    assertError(http.get("/resources/read"), 404, "not_found", "'read'");
    assertError(http.get("/patients/register"), 405, "method_not_allowed", "/patients/register");
  }

  @Test
  void anUnexpectedFailureIs500WithAGenericMessageAndTheServerKeepsServing() {
    store.close(); // every store call now fails inside the store

    JsonNode error = assertError(http.post("/resources/read", "{\"identifiers\":[\"a\"]}"), 500, "internal_error",
        "internal server error");
    assertThat(error.path("details")).isEmpty();
    assertThat(http.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void everyReadAnswersWithTheTimeItReadAt() {
    createDatasource("ds-1");
    Instant t1 = store.lastCommitTime();
    createDatasource("ds-2");
    Instant t2 = store.lastCommitTime();
    String latest = Json.formatInstant(t2);
    String earlier = Json.formatInstant(t1);

    assertAsOf(http.post("/resources/read", "{\"identifiers\":[\"ds-1\"]}"), latest);
    assertAsOf(http.post("/resources/read", "{\"identifiers\":[\"ds-2\"],\"as_of\":\"" + earlier + "\"}"), earlier);
    assertAsOf(http.post("/query", "{\"payload_type\":\"datasource\"}"), latest);
    assertAsOf(http.post("/query", "{\"payload_type\":\"datasource\",\"as_of\":\"" + earlier + "\"}"), earlier);
    assertAsOf(http.post("/query/count", "{\"payload_type\":\"datasource\"}"), latest);
    assertAsOf(http.get("/parents/ds-1"), latest);
    assertAsOf(http.get("/parents/ds-1?as_of=" + earlier), earlier);
    assertAsOf(http.get("/datasources/stats"), latest);
    assertAsOf(http.get("/datasources/detailed-stats?datasource_id=ds-1"), latest);
    assertAsOf(http.get("/datasources/detailed-stats?as_of=2024-01-01"), "2024-01-01T00:00:00.000000Z");
    // A time after the last commit reads the latest state, and the header says so.
    String future = "2200-01-01T00:00:00Z"; // before 2262: later as_of years overflow the store's query fingerprint (ArithmeticException, a 500)
    assertAsOf(http.post("/resources/read", "{\"identifiers\":[\"ds-2\"],\"as_of\":\"" + future + "\"}"), latest);
    assertAsOf(http.post("/query", "{\"payload_type\":\"datasource\",\"as_of\":\"" + future + "\"}"), latest);
    assertAsOf(http.post("/query/count", "{\"payload_type\":\"datasource\",\"as_of\":\"" + future + "\"}"), latest);
    assertAsOf(http.get("/parents/ds-1?as_of=" + future), latest);
    assertAsOf(http.get("/datasources/stats?as_of=2200-01-01"), latest);

    assertThat(RawHttp.json(http.post("/resources/read", "{\"identifiers\":[\"ds-2\"],\"as_of\":\"" + earlier + "\"}")))
        .isEmpty();
    assertThat(RawHttp.json(http.post("/query/count", "{\"payload_type\":\"datasource\",\"as_of\":\"" + earlier
        + "\"}")).path("count").asLong()).isEqualTo(1);
  }

  private static void assertAsOf(HttpResponse<String> r, String expected) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue(VxDataServer.AS_OF_HEADER)).as("VxData-As-Of of %s", r.uri()).hasValue(expected);
  }

  @Test
  void writesAnswerTheirCountAndCommitTimeInBodyAndHeader() {
    createDatasource("ds-1");
    JsonNode updated = assertWritten(http.post("/resources/update",
        "{\"updates\":{\"ds-1\":{\"site\":\"x\",\"description\":null}}}"), "updated", 1);
    JsonNode ds = RawHttp.json(http.post("/resources/read", "{\"identifiers\":[\"ds-1\"]}")).get(0);
    assertThat(updated.path("committed_at").asText()).isEqualTo(ds.path("updated_at").asText());
    assertWritten(http.post("/resources/delete", "{\"identifiers\":[\"ds-1\"]}"), "deleted", 1);
    String restoredAt = assertWritten(http.post("/resources/restore", "{\"identifiers\":[\"ds-1\"]}"), "restored", 1)
        .path("committed_at").asText();

    // A write that changes nothing answers the last commit time.
    JsonNode noop = assertWritten(http.post("/resources/update", "{\"updates\":{\"ds-1\":{\"site\":\"x\"}}}"),
        "updated", 0);
    assertThat(noop.path("committed_at").asText()).isEqualTo(restoredAt);
    assertThat(assertWritten(http.post("/resources/create", "{\"resources\":[]}"), "created", 0)
        .path("committed_at").asText()).isEqualTo(restoredAt);

    String key = "{\"datasource_id\":\"ds-1\",\"external_uid\":\"u1\"}";
    JsonNode patient = assertWritten(http.post("/patients/register", key), "identifier", -1);
    String id = patient.path("identifier").asText();
    JsonNode read = RawHttp.json(http.post("/resources/read", "{\"identifiers\":[\"" + id + "\"]}")).get(0);
    assertThat(patient.path("committed_at").asText()).isEqualTo(read.path("created_at").asText());
    JsonNode study = assertWritten(http.post("/studies/register",
        "{\"patient_identifier\":\"" + id + "\",\"external_uid\":\"s1\"}"), "identifier", -1);
    assertThat(Instant.parse(study.path("committed_at").asText())).isAfter(Instant.parse(read.path("created_at")
        .asText()));

    HttpResponse<String> resolved = http.post("/patients/resolve", key);
    assertThat(resolved.body()).isEqualTo("{\"identifier\":\"" + id + "\"}");
    assertThat(resolved.headers().firstValue(VxDataServer.AS_OF_HEADER)).isEmpty();
    assertThat(RawHttp.json(http.get("/parents/" + id))).containsExactly(Json.mapper().getNodeFactory()
        .textNode("ds-1"));
    JsonNode stats = RawHttp.json(http.get("/datasources/stats")).get(0);
    assertThat(stats.path("datasource_id").asText()).isEqualTo("ds-1");
    assertThat(stats.path("patients").asInt()).isEqualTo(1);
  }

  /**
   * Asserts a write answer: exactly {@code key} (the count, unless {@code count < 0}) and
   * {@code committed_at} in the wire format, the same time in {@code VxData-As-Of}.
   */
  private static JsonNode assertWritten(HttpResponse<String> r, String key, int count) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = RawHttp.json(r);
    List<String> keys = new java.util.ArrayList<>();
    body.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).as(r.body()).containsExactly(key, "committed_at");
    if (count >= 0) {
      assertThat(body.path(key).asInt()).as(r.body()).isEqualTo(count);
    }
    String committedAt = body.path("committed_at").asText();
    assertThat(committedAt).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    assertThat(r.headers().firstValue(VxDataServer.AS_OF_HEADER)).hasValue(committedAt);
    return body;
  }

  @Test
  void selectColumnsAnswersExactlyTheNamedFieldsPlusIdentifierAndPayloadType() {
    createDatasource("ds-1");
    http.post("/resources/create", "{\"resources\":[{\"identifier\":\"a-1\",\"payload_type\":\"artefact\","
        + "\"parent_identifier\":\"ds-1\",\"license\":\"MIT\",\"size_bytes\":11,\"role\":\"image\"}]}");

    JsonNode sized = RawHttp.json(http.post("/query", "{\"payload_type\":\"artefact\","
        + "\"select_columns\":[\"size_bytes\"]}")).path("results").get(0);
    assertThat(keys(sized)).containsExactly("identifier", "payload_type", "size_bytes");
    assertThat(sized.path("size_bytes").asLong()).isEqualTo(11);

    JsonNode withMetadata = RawHttp.json(http.post("/query", "{\"payload_type\":\"artefact\","
        + "\"select_columns\":[\"size_bytes\",\"license\",\"version\"]}")).path("results").get(0);
    assertThat(keys(withMetadata)).containsExactlyInAnyOrder("identifier", "payload_type", "size_bytes", "license",
        "version");
    assertThat(withMetadata.path("license").asText()).isEqualTo("MIT");
    assertThat(withMetadata.path("version").asInt()).isEqualTo(1);
  }

  private static List<String> keys(JsonNode object) {
    List<String> keys = new java.util.ArrayList<>();
    object.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void healthAnswers200() {
    HttpResponse<String> r = http.get("/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(RawHttp.json(r).path("status").asText()).isEqualTo("ok");
  }
}
