package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.vxdata.VxData;
import io.vxdata.exports.ExportOptions;
import io.vxdata.exports.Exports;
import io.vxdata.jdbc.TestH2;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /openapi.json}: every route, each with a summary, a description and examples that match its
 * schemas, and payload schemas that are valid JSON Schema 2020-12.
 */
class OpenApiTest {

  /** Every route the server serves, as "METHOD path". */
  static final List<String> ROUTES = List.of("post /resources/create", "post /resources/read",
      "post /resources/update", "post /resources/delete", "post /resources/restore", "post /resources/update-where",
      "post /resources/delete-where",
      "get /resources/{identifier}/history", "get /changes", "post /query",
      "post /query/count", "get /parents/{identifier}", "post /patients/register", "post /patients/resolve",
      "post /studies/register", "post /studies/resolve", "get /datasources/stats", "get /datasources/detailed-stats",
      "get /schemas", "put /schemas/{name}", "get /openapi.json", "get /health", "post /query/parquet",
      "get /s3/config", "post /s3/presign",
      "post /s3/presign/batch", "post /s3/presign/upload-dir", "get /s3/list", "get /s3/parquet", "get /metrics",
      "get /", "get /docs", "get /docs/{file}", "get /whoami", "post /principals", "get /principals",
      "patch /principals/{id}", "post /principals/{id}/tokens", "get /principals/{id}/tokens", "delete /tokens/{id}",
      "get /datasources/{id}/grants", "put /datasources/{id}/grants", "delete /datasources/{id}/grants",
      "get /transactions", "post /releases", "get /releases", "get /releases/{name}", "post /exports", "get /exports",
      "get /exports/{id}", "head /exports/{id}", "delete /exports/{id}", "get /relations", "post /relations",
      "post /links/attach", "post /links/detach", "get /resources/{identifier}", "get /query",
      "get /query/count", "get /query/parquet", "head /query/parquet");
  /** The routes of a server without object storage, exports and metrics. */
  static final List<String> OPTIONAL = List.of("get /s3/config", "post /s3/presign", "post /s3/presign/batch",
      "post /s3/presign/upload-dir", "get /s3/list", "get /s3/parquet", "get /metrics", "post /exports", "get /exports",
      "get /exports/{id}", "head /exports/{id}", "delete /exports/{id}");

  private VxData store;
  private VxDataServer server;
  private EmbeddedS3 objects;
  private ObjectStorage storage;
  private Exports exports;
  private MicrometerMetrics metrics;
  private JsonNode document;

  @BeforeEach
  void start() {
    store = TestH2.openFreshMemoryStore();
    store.registerType(PayloadType.fromJsonSchema("finding", """
        {"type": "object", "properties": {"summary": {"type": "string"}, "tags": {"type": "array",
         "items": {"type": "string"}}}, "required": ["summary"]}"""));
    objects = EmbeddedS3.startInMemory("openapi");
    storage = ObjectStorage.connect(objects.settings());
    metrics = MicrometerMetrics.prometheus();
    exports = Exports.open(store, storage, ExportOptions.defaults());
    server = VxDataServer.start(store, storage, exports, HttpBackend.testServerOptions().withMetrics(metrics));
    HttpResponse<String> r = new RawHttp(server.uri()).get("/openapi.json");
    assertThat(r.statusCode()).isEqualTo(200);
    document = RawHttp.json(r);
  }

  @AfterEach
  void stop() {
    server.close();
    exports.close();
    storage.close();
    objects.close();
    metrics.close();
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
  void aServerWithoutObjectStorageExportsOrMetricsDocumentsNone() {
    try (VxDataServer bare = VxDataServer.start(store, HttpBackend.testServerOptions())) {
      JsonNode bareDocument = RawHttp.json(new RawHttp(bare.uri()).get("/openapi.json"));
      List<String> documented = new ArrayList<>();
      bareDocument.path("paths").properties().forEach(path -> path.getValue().fieldNames()
          .forEachRemaining(method -> documented.add(method + " " + path.getKey())));
      assertThat(documented).containsExactlyInAnyOrderElementsOf(
          ROUTES.stream().filter(r -> !OPTIONAL.contains(r)).toList());
      assertThat(bareDocument.toString()).doesNotContain("x-vxdata-requires");
    }
  }

  @Test
  void infoVersionIsTheBuildsVersion() {
    String built = System.getProperty("vxdata.project.version");
    assertThat(built).as("the build's version (surefire passes it)").isNotBlank().doesNotStartWith("${");
    assertThat(document.at("/info/version").asText()).isEqualTo(built);
  }

  @Test
  void everyOperationHasASummaryADescriptionAndExamples() {
    document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
      String route = method.getKey() + " " + path.getKey();
      JsonNode op = method.getValue();
      assertThat(op.path("summary").asText()).as("%s summary", route).hasSizeGreaterThan(10);
      assertThat(op.path("description").asText()).as("%s description", route).hasSizeGreaterThan(40);
      assertThat(op.path("tags")).as("%s tags", route).hasSize(1);
      JsonNode body = op.path("requestBody").path("content");
      body.properties().forEach(media -> assertThat(examples(media.getValue())).as("%s request %s", route, media.getKey())
          .isNotEmpty());
      List<JsonNode> answers = new ArrayList<>();
      op.path("responses").properties().forEach(response -> {
        if (response.getKey().startsWith("2") || response.getKey().startsWith("3")) {
          resolve(response.getValue()).path("content").properties().forEach(media -> {
            assertThat(examples(media.getValue())).as("%s %s %s", route, response.getKey(), media.getKey()).isNotEmpty();
            answers.addAll(examples(media.getValue()));
          });
        }
      });
      assertThat(answers).as("%s has an example answer", route).isNotEmpty();
    }));
  }

  @Test
  void everyJsonExampleMatchesItsSchema() {
    List<String> checked = new ArrayList<>();
    Map<String, List<String>> problems = new LinkedHashMap<>();
    document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
      String route = method.getKey() + " " + path.getKey();
      List<Map.Entry<String, JsonNode>> media = new ArrayList<>();
      method.getValue().path("requestBody").path("content").properties()
          .forEach(m -> media.add(Map.entry(route + " request", m.getValue())));
      method.getValue().path("responses").properties().forEach(r -> resolve(r.getValue()).path("content").properties()
          .forEach(m -> media.add(Map.entry(route + " " + r.getKey(), m.getValue()))));
      for (Map.Entry<String, JsonNode> m : media) {
        JsonNode schema = m.getValue().path("schema");
        if (schema.path("type").asText().equals("string")) {
          continue; // a text answer (HTML, CSS, Prometheus text, Parquet): nothing to validate
        }
        for (JsonNode example : examples(m.getValue())) {
          var errors = validator(schema).validate(example);
          checked.add(m.getKey());
          if (!errors.isEmpty()) {
            problems.put(m.getKey() + " " + example, errors.stream().map(Object::toString).toList());
          }
        }
      }
    }));
    assertThat(problems).isEmpty();
    assertThat(checked).hasSizeGreaterThan(50);
  }

  @Test
  void sharedPartsAreDescribedOnceAndReferenced() {
    JsonNode components = document.path("components");
    for (String schema : List.of("AsOf", "Filter", "Operator", "Cursor", "Error")) {
      assertThat(components.path("schemas").path(schema).path("description").asText()).as(schema).hasSizeGreaterThan(100);
    }
    assertThat(components.at("/schemas/Operator/enum")).extracting(JsonNode::asText).containsExactly("=", "!=", "<", "<=",
        ">", ">=", "between", "in", "not in", "like", "ilike", "regex", "null", "contains");
    String paths = document.path("paths").toString();
    assertThat(paths).contains("\"#/components/parameters/AsOf\"", "\"#/components/responses/BadRequest\"",
        "\"#/components/headers/ReadAt\"", "\"#/components/schemas/AsOf\"");
    assertThat(paths).as("error bodies are not repeated in the operations").doesNotContain("\"validation_error\"");
    assertThat(components.at("/schemas/QueryRequest/properties/filters/$ref").asText()).isEqualTo("#/components/schemas/Filter");
    assertThat(components.at("/schemas/QueryRequest/properties/cursor/$ref").asText()).isEqualTo("#/components/schemas/Cursor");
    assertThat(components.at("/schemas/QueryRequest/properties/as_of/$ref").asText()).isEqualTo("#/components/schemas/AsOf");
  }

  @Test
  void everyRouteIsServed() {
    RawHttp http = new RawHttp(server.uri());
    for (String route : ROUTES) {
      String[] parts = route.split(" ");
      String path = parts[1].replace("{identifier}", "x").replace("{file}", "swagger-ui.css").replace("{id}", "x").replace("{name}", "x");
      HttpResponse<String> r = parts[0].equals("get") ? http.get(path)
          : http.send(parts[0].toUpperCase(java.util.Locale.ROOT), path,
              parts[0].equals("delete") || parts[0].equals("head") ? null : "{}");
      assertThat(r.statusCode()).as(route).isNotEqualTo(405).isLessThan(500);
      if (r.statusCode() == 404 && !parts[0].equals("head")) {
        assertThat(RawHttp.json(r).at("/error/type").asText()).as(route).isNotEqualTo("route_not_found");
      }
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
        "/resources/update-where", "/resources/delete-where", "/patients/register", "/studies/register")) {
      JsonNode ok = document.at("/paths/" + write.replace("/", "~1") + "/post/responses/200");
      JsonNode schema = resolve(ok.at("/content/application~1json/schema"));
      assertThat(resolve(schema.at("/properties/committed_at")).path("format").asText()).as(write).isEqualTo("date-time");
      assertThat(schema.path("required")).as(write).extracting(JsonNode::asText).contains("committed_at");
      assertThat(resolve(ok.at("/headers/VxData-As-Of")).path("description").asText()).as(write).contains("committed at");
    }
    for (String lookup : List.of("/patients/resolve", "/studies/resolve")) {
      JsonNode ok = document.at("/paths/" + lookup.replace("/", "~1") + "/post/responses/200");
      assertThat(resolve(ok.at("/content/application~1json/schema")).path("properties").has("committed_at")).as(lookup)
          .isFalse();
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

  /** A node, or what its {@code $ref} points at in the document. */
  private JsonNode resolve(JsonNode node) {
    JsonNode target = node;
    while (target.has("$ref")) {
      target = document.at(target.get("$ref").asText().substring(1));
    }
    return target;
  }

  /** The examples of a media type object: its {@code example}, or the values of its {@code examples}. */
  private static List<JsonNode> examples(JsonNode media) {
    List<JsonNode> examples = new ArrayList<>();
    if (media.has("example")) {
      examples.add(media.get("example"));
    }
    media.path("examples").forEach(e -> examples.add(e.path("value")));
    return examples;
  }

  /** A validator of {@code schema}, whose {@code #/components/...} references resolve in the document. */
  private Schema validator(JsonNode schema) {
    com.fasterxml.jackson.databind.node.ObjectNode root = Json.mapper().createObjectNode();
    root.set("components", document.path("components"));
    root.putArray("allOf").add(schema);
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(root);
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
