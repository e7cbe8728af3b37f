package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.AccessLevel;
import io.vxdata.access.Grant;
import io.vxdata.access.Principal;
import io.vxdata.access.Role;
import io.vxdata.json.Json;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The write routes of batch registration and of payload types on the wire: what the conformance kit
 * cannot see through the client — statuses, which member an error names, the list and single forms side
 * by side, and the documents a new type changes ({@code /schemas}, {@code /openapi.json} and their ETags).
 */
class WriteRoutesTest extends H2ServerTest {

  private static final String NOTE = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},"
      + "\"additionalProperties\":false}";

  /** Asserts a 4xx error of {@code status} whose first violation names {@code field}, and that nothing was written. */
  private void assertRefused(int status, HttpResponse<String> r, String field, Instant before) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode error = RawHttp.json(r).path("error");
    assertThat(error.path("details").get(0).path("field").asText()).as(r.body()).isEqualTo(field);
    assertThat(store.lastCommitTime()).as("nothing written").isEqualTo(before);
  }

  private void createDatasource() {
    HttpResponse<String> r = http.post("/resources/create", "{\"resources\":[{\"identifier\":\"ds-1\","
        + "\"payload_type\":\"datasource\",\"name\":\"A\"}]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void registerTakesOneKeyOrAListOfItems() {
    createDatasource();
    HttpResponse<String> one = http.post("/patients/register", "{\"datasource_id\":\"ds-1\",\"external_uid\":\"m-1\"}");
    assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
    assertThat(RawHttp.json(one).path("identifier").asText()).startsWith("pt-");

    HttpResponse<String> many = http.post("/patients/register", "[{\"datasource_id\":\"ds-1\",\"external_uid\":\"m-2\","
        + "\"sex\":\"F\"},{\"datasource_id\":\"ds-1\",\"external_uid\":\"m-3\",\"birth_year\":1980}]");
    assertThat(many.statusCode()).as(many.body()).isEqualTo(200);
    JsonNode answer = RawHttp.json(many);
    assertThat(answer.path("identifiers")).hasSize(2);
    assertThat(answer.path("committed_at").asText()).isEqualTo(many.headers().firstValue(Json.AS_OF_HEADER).orElseThrow());
    assertThat(store.resolvePatient("ds-1", "m-3")).isEqualTo(answer.path("identifiers").get(1).asText());

    String patient = answer.path("identifiers").get(0).asText();
    HttpResponse<String> studies = http.post("/studies/register", "[{\"patient_identifier\":\"" + patient
        + "\",\"external_uid\":\"acc-1\",\"modality\":\"CT\"}]");
    assertThat(studies.statusCode()).as(studies.body()).isEqualTo(200);
    assertThat(store.resolveStudy(patient, "acc-1")).isEqualTo(RawHttp.json(studies).path("identifiers").get(0).asText());
  }

  @Test
  void aMalformedBatchIs400NamingTheItemAndWritesNothing() {
    createDatasource();
    Instant before = store.lastCommitTime();
    assertRefused(400, http.post("/patients/register", "[{\"datasource_id\":\"ds-1\",\"external_uid\":\"a\"},7]"),
        "[1]", before);
    assertRefused(400, http.post("/patients/register", "[{\"datasource_id\":\"ds-1\"}]"), "[0].external_uid", before);
    assertRefused(400, http.post("/patients/register", "[{\"datasource_id\":\"ds-1\",\"external_uid\":3}]"),
        "[0].external_uid", before);
    assertRefused(400, http.post("/patients/register", "[{\"datasource_id\":\"ds-1\",\"external_uid\":\"a\"},"
        + "{\"datasource_id\":\"ds-1\",\"external_uid\":\"b\",\"sex\":\"nope\"}]"), "[1].sex", before);
    assertRefused(400, http.post("/patients/register", "[{\"datasource_id\":\"ds-1\",\"external_uid\":\"a\","
        + "\"identifier\":\"mine\"}]"), "[0].identifier", before);
    assertRefused(404, http.post("/patients/register", "[{\"datasource_id\":\"ds-1\",\"external_uid\":\"a\"},"
        + "{\"datasource_id\":\"ds-9\",\"external_uid\":\"b\"}]"), "[1].datasource_id", before);
    assertRefused(400, http.post("/studies/register", "[{\"patient_identifier\":\"ds-1\",\"external_uid\":\"a\"}]"),
        "[0].patient_identifier", before);
  }

  @Test
  void putSchemaRegistersAndEvolvesATypeAndTheDocumentsFollow() {
    String schemasTag = http.get("/schemas").headers().firstValue("ETag").orElseThrow();
    String documentTag = http.get("/openapi.json").headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> r = http.send("PUT", "/schemas/note", NOTE);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(RawHttp.json(r).path("note").path("properties").has("a")).isTrue();
    assertThat(store.payloadTypes().get("note").fieldNames()).containsExactly("a");
    HttpResponse<String> schemas = http.get("/schemas");
    assertThat(RawHttp.json(schemas).has("note")).isTrue();
    assertThat(schemas.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(schemasTag);
    HttpResponse<String> document = http.get("/openapi.json");
    assertThat(RawHttp.json(document).at("/components/schemas/note/properties/a").isMissingNode()).isFalse();
    assertThat(document.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(documentTag);

    HttpResponse<String> evolved = http.send("PUT", "/schemas/note", "{\"type\":\"object\",\"properties\":{"
        + "\"a\":{\"type\":\"string\"},\"b\":{\"type\":\"integer\"}},\"additionalProperties\":false}");
    assertThat(evolved.statusCode()).as(evolved.body()).isEqualTo(200);
    assertThat(store.payloadTypes().get("note").fieldNames()).containsExactly("a", "b");
  }

  @Test
  void aBadSchemaIs400NamingWhatIsWrongAndChangesNothing() {
    assertThat(http.send("PUT", "/schemas/note", NOTE).statusCode()).isEqualTo(200);
    Instant before = store.lastCommitTime();
    String schemas = http.get("/schemas").body();

    assertRefused(400, http.send("PUT", "/schemas/note", "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":"
        + "\"integer\"}}}"), "a", before);
    assertRefused(400, http.send("PUT", "/schemas/note", "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":"
        + "\"string\"},\"c\":{\"type\":\"string\"}},\"required\":[\"c\"]}"), "c", before);
    assertRefused(400, http.send("PUT", "/schemas/other", "{\"type\":\"object\",\"oneOf\":[]}"), "oneOf", before);
    assertRefused(400, http.send("PUT", "/schemas/other", "{\"type\":\"object\",\"properties\":{\"x\":"
        + "{\"type\":\"object\"}}}"), "x", before);
    assertRefused(400, http.send("PUT", "/schemas/other", "[1]"), "schema", before);
    assertRefused(400, http.send("PUT", "/schemas/Bad-Name", NOTE), "name", before);
    HttpResponse<String> malformed = http.send("PUT", "/schemas/other", "{\"type\":");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(RawHttp.json(malformed).at("/error/type").asText()).isEqualTo(io.vxdata.json.ErrorJson.BAD_REQUEST);

    assertThat(http.get("/schemas").body()).isEqualTo(schemas);
    assertThat(store.payloadTypes()).doesNotContainKey("other");
  }

  @Test
  void putSchemaIs403ForANonAdminWhateverItsBody() {
    store.access().createPrincipal(Principal.of("ed", "Ed", AccessLevel.RESTRICTED));
    store.create(java.util.List.of(io.vxdata.testkit.Fixtures.datasource("ds-1")));
    store.access().grant(new Grant("ds-1", "ed", Role.OWNER));
    String token = store.access().issueToken("ed", null).secret();
    Instant before = store.lastCommitTime();

    assertRefused403(http.send("PUT", "/schemas/note", NOTE, "Authorization", "Bearer " + token));
    assertRefused403(http.send("PUT", "/schemas/note", "[1]", "Authorization", "Bearer " + token));

    assertThat(store.payloadTypes()).doesNotContainKey("note");
    assertThat(store.lastCommitTime()).isEqualTo(before);
  }

  @Test
  void writesByFilterAnswerTheirCountsAndRefuseMalformedBodiesNamingTheMember() {
    createDatasource();
    String patient = store.registerPatient("ds-1", "m-1").identifier();
    store.registerStudies(java.util.List.of(io.vxdata.StudyRegistration.of(patient, "a").with("modality", "CT"),
        io.vxdata.StudyRegistration.of(patient, "b").with("modality", "CT")));
    Instant before = store.lastCommitTime();
    String ct = "\"filter\":{\"field\":\"modality\",\"op\":\"=\",\"value\":\"CT\"}";

    assertRefused(400, http.post("/resources/update-where", "{\"payload_type\":\"study\",\"set\":{\"modality\":\"MR\"},"
        + "\"expect_at_most\":5}"), "filter", before);
    assertRefused(400, http.post("/resources/update-where", "{\"payload_type\":\"study\",\"filter\":[],"
        + "\"set\":{\"modality\":\"MR\"},\"expect_at_most\":5}"), "filter", before);
    assertRefused(400, http.post("/resources/update-where", "{\"payload_type\":\"study\",\"filter\":{\"field\":"
        + "\"modality\",\"op\":\"~\",\"value\":1},\"set\":{\"modality\":\"MR\"},\"expect_at_most\":5}"), "filter.op", before);
    assertRefused(400, http.post("/resources/update-where", "{\"payload_type\":\"study\"," + ct
        + ",\"set\":{\"modality\":\"MR\"}}"), "expect_at_most", before);
    assertRefused(400, http.post("/resources/update-where", "{\"payload_type\":\"study\"," + ct
        + ",\"set\":[1],\"expect_at_most\":5}"), "set", before);
    assertRefused(400, http.post("/resources/update-where", "{\"payload_type\":\"study\"," + ct
        + ",\"set\":{\"study_date\":\"soon\"},\"expect_at_most\":5}"), "set.study_date", before);
    assertRefused(400, http.post("/resources/update-where", "{\"payload_type\":\"study\"," + ct
        + ",\"set\":{\"modality\":\"MR\"},\"expect_at_most\":1}"), "expect_at_most", before);
    assertRefused(400, http.post("/resources/delete-where", "{\"payload_type\":\"study\"," + ct
        + ",\"expect_at_most\":1}"), "expect_at_most", before);
    assertRefused(400, http.post("/resources/delete-where", "{\"payload_type\":\"study\"," + ct
        + ",\"cascade\":\"yes\",\"expect_at_most\":5}"), "cascade", before);
    assertRefused(400, http.post("/resources/delete-where", "{\"payload_type\":\"study\"," + ct
        + ",\"expect_at_most\":5,\"set\":{}}"), "set", before);

    HttpResponse<String> updated = http.post("/resources/update-where", "{\"payload_type\":\"study\"," + ct
        + ",\"set\":{\"modality\":\"MR\"},\"expect_at_most\":2}");
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    assertThat(RawHttp.json(updated).path("updated").asInt()).isEqualTo(2);
    assertThat(RawHttp.json(updated).path("committed_at").asText())
        .isEqualTo(updated.headers().firstValue(Json.AS_OF_HEADER).orElseThrow());
    HttpResponse<String> deleted = http.post("/resources/delete-where", "{\"payload_type\":\"study\",\"filter\":"
        + "{\"field\":\"modality\",\"op\":\"=\",\"value\":\"MR\"},\"cascade\":false,\"expect_at_most\":2}");
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    assertThat(RawHttp.json(deleted).path("deleted").asInt()).isEqualTo(2);
  }

  private static void assertRefused403(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(RawHttp.json(r).at("/error/type").asText()).isEqualTo("forbidden");
  }
}
