package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.vxdata.VxData;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.json.Json;
import io.vxdata.s3.EmbeddedS3;
import io.vxdata.s3.ObjectStorage;
import io.vxdata.schema.PayloadType;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /openapi.json}: every route, and payload schemas that are valid JSON Schema 2020-12. */
class OpenApiTest {

  /** Every route the server serves, as "METHOD path". */
  static final List<String> ROUTES = List.of("post /resources/create", "post /resources/read",
      "post /resources/update", "post /resources/delete", "post /resources/restore", "post /query",
      "post /query/count", "get /parents/{identifier}", "post /patients/register", "post /patients/resolve",
      "post /studies/register", "post /studies/resolve", "get /datasources/stats", "get /datasources/detailed-stats",
      "get /schemas", "get /openapi.json", "get /health", "post /query/parquet", "get /s3/config", "post /s3/presign",
      "post /s3/presign/batch", "post /s3/presign/upload-dir", "get /s3/list", "get /s3/parquet");

  private VxData store;
  private VxDataServer server;
  private EmbeddedS3 objects;
  private ObjectStorage storage;
  private JsonNode document;

  @BeforeEach
  void start() {
    store = VxDataStore.open(VxDataStore.h2Memory("openapi-" + UUID.randomUUID()));
    store.registerType(PayloadType.fromJsonSchema("finding", """
        {"type": "object", "properties": {"summary": {"type": "string"}, "tags": {"type": "array",
         "items": {"type": "string"}}}, "required": ["summary"]}"""));
    objects = EmbeddedS3.startInMemory("openapi");
    storage = ObjectStorage.connect(objects.settings());
    server = VxDataServer.start(store, storage, HttpBackend.testServerOptions());
    HttpResponse<String> r = new RawHttp(server.uri()).get("/openapi.json");
    assertThat(r.statusCode()).isEqualTo(200);
    document = RawHttp.json(r);
  }

  @AfterEach
  void stop() {
    server.close();
    storage.close();
    objects.close();
    store.close();
  }

  @Test
  void documentsEveryRouteAndNothingElse() {
    assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
    List<String> documented = new ArrayList<>();
    document.path("paths").properties().forEach(path -> path.getValue().fieldNames()
        .forEachRemaining(method -> documented.add(method + " " + path.getKey())));

    assertThat(documented).containsExactlyInAnyOrderElementsOf(ROUTES);
  }

  @Test
  void everyRouteIsServed() {
    RawHttp http = new RawHttp(server.uri());
    for (String route : ROUTES) {
      String[] parts = route.split(" ");
      String path = parts[1].replace("{identifier}", "x");
      HttpResponse<String> r = parts[0].equals("get") ? http.get(path) : http.post(path, "{}");
      assertThat(r.statusCode()).as(route).isNotEqualTo(405).isLessThan(500);
      assertThat(r.body()).as(route).doesNotContain("route_not_found");
    }
  }

  @Test
  void everyReferenceResolvesAndEveryReadDocumentsTheAsOfHeader() {
    List<String> refs = new ArrayList<>();
    collectRefs(document, refs);
    assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(document.at(ref.substring(1)).isMissingNode())
        .as(ref).isFalse());
    for (String read : List.of("/resources/read", "/query", "/query/count")) {
      assertThat(document.at("/paths/" + read.replace("/", "~1") + "/post/responses/200/headers/VxData-As-Of")
          .isMissingNode()).as(read).isFalse();
    }
  }

  @Test
  void everyWriteDocumentsCommittedAtInItsBodyAndHeader() {
    for (String write : List.of("/resources/create", "/resources/update", "/resources/delete", "/resources/restore",
        "/patients/register", "/studies/register")) {
      JsonNode ok = document.at("/paths/" + write.replace("/", "~1") + "/post/responses/200");
      JsonNode schema = ok.at("/content/application~1json/schema");
      assertThat(schema.at("/properties/committed_at/format").asText()).as(write).isEqualTo("date-time");
      assertThat(schema.path("required")).as(write).extracting(JsonNode::asText).contains("committed_at");
      assertThat(ok.at("/headers/VxData-As-Of/description").asText()).as(write).contains("committed at");
    }
    for (String lookup : List.of("/patients/resolve", "/studies/resolve")) {
      JsonNode ok = document.at("/paths/" + lookup.replace("/", "~1") + "/post/responses/200");
      assertThat(ok.at("/content/application~1json/schema/properties").has("committed_at")).as(lookup).isFalse();
    }
  }

  @Test
  void embedsEveryPayloadSchemaAsAValidJsonSchema202012Document() {
    Schema metaSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    JsonNode schemas = document.path("components").path("schemas");
    Map<String, List<String>> problems = new LinkedHashMap<>();
    for (String type : store.schemas().keySet()) {
      JsonNode schema = schemas.get(type);
      assertThat(schema).as("components.schemas.%s", type).isEqualTo(Json.parse(store.schemas().get(type)));
      var errors = metaSchema.validate(schema);
      if (!errors.isEmpty()) {
        problems.put(type, errors.stream().map(Object::toString).toList());
      }
    }
    for (Iterator<String> it = schemas.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      var errors = metaSchema.validate(schemas.get(name));
      if (!errors.isEmpty()) {
        problems.put(name, errors.stream().map(Object::toString).toList());
      }
    }
    assertThat(problems).isEmpty();
    assertThat(schemas.has("finding")).isTrue();
  }

  @Test
  void aResourceOnTheWireValidatesAgainstItsEmbeddedSchema() {
    RawHttp http = new RawHttp(server.uri());
    http.post("/resources/create", "{\"resources\":[{\"identifier\":\"ds-1\",\"payload_type\":\"datasource\","
        + "\"name\":\"n\"},{\"identifier\":\"f-1\",\"payload_type\":\"finding\",\"parent_identifier\":\"ds-1\","
        + "\"summary\":\"s\",\"tags\":[\"a\"]}]}");
    JsonNode resources = RawHttp.json(http.post("/resources/read", "{\"identifiers\":[\"ds-1\",\"f-1\"]}"));
    assertThat(resources).hasSize(2);
    for (JsonNode r : resources) {
      Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(document.path("components").path("schemas").get(r.path("payload_type").asText()));
      assertThat(schema.validate(r)).as(r.toString()).isEmpty();
    }
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        if (e.getKey().equals("$ref")) {
          refs.add(e.getValue().asText());
        } else {
          collectRefs(e.getValue(), refs);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, refs));
    }
  }
}
