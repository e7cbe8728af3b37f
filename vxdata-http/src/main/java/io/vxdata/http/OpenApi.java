package io.vxdata.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.json.Json;
import io.vxdata.json.RequestJson;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI 3.1 document of the server ({@code GET /openapi.json}): every route, its body and
 * answer, and the response schema of every registered payload type under
 * {@code components.schemas.<payload_type>} (OpenAPI 3.1 schemas are JSON Schema 2020-12, so the
 * documents of {@code /schemas} are embedded as they are).
 */
final class OpenApi {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String REF = "#/components/schemas/";

  private OpenApi() {}

  /** Which time an answer's {@code VxData-As-Of} header states, if any. */
  private enum Stamp { READ, COMMIT, NONE }

  static ObjectNode document(Map<String, String> payloadSchemas, boolean objectStorage) {
    ObjectNode doc = F.objectNode();
    doc.put("openapi", "3.1.0");
    doc.putObject("info").put("title", "VxData").put("version", "0.1.0")
        .put("description", "A bitemporal catalog of hierarchical, typed resources. Every read answers with the "
            + "VxData-As-Of header: the transaction time it read at; every write with the time it committed at, "
            + "in that header and in committed_at.");
    doc.put("jsonSchemaDialect", "https://json-schema.org/draft/2020-12/schema");
    ObjectNode paths = doc.putObject("paths");

    post(paths, "/resources/create", "Create resources (all or nothing)", "Resources",
        object().set("properties", F.objectNode().set("resources", arrayOf(ref("AnyCreate")))), required("resources"),
        writeAnswer(countAnswer("created")), Stamp.COMMIT);
    post(paths, "/resources/read", "Read resources in input order; missing and deleted ones are skipped", "Resources",
        readBody(), null, arrayOf(ref("AnyResponse")), Stamp.READ);
    post(paths, "/resources/update", "Partial updates; is_deleted deletes (true) or restores (false)", "Resources",
        object().set("properties", F.objectNode().set("updates", object().set("additionalProperties", ref("AnyUpdate")))),
        required("updates"), writeAnswer(countAnswer("updated")), Stamp.COMMIT);
    post(paths, "/resources/delete", "Tombstone resources, with cascade their active subtree", "Resources",
        identifiersBody().put("additionalProperties", false), null, writeAnswer(countAnswer("deleted")), Stamp.COMMIT);
    ((ObjectNode) paths.path("/resources/delete").path("post").path("requestBody").path("content")
        .path("application/json").path("schema").path("properties")).putObject("cascade").put("type", "boolean")
        .put("default", true);
    post(paths, "/resources/restore", "Restore tombstoned resources and what their delete cascaded to", "Resources",
        identifiersBody().put("additionalProperties", false), null, writeAnswer(countAnswer("restored")),
        Stamp.COMMIT);
    post(paths, "/query", "One page of a query", "Query", ref("QueryRequest"), null, ref("QueryPage"), Stamp.READ);
    post(paths, "/query/count", "The number of resources a query matches", "Query", ref("QueryRequest"), null,
        countAnswer("count"), Stamp.READ);
    ObjectNode parquet = paths.putObject("/query/parquet").putObject("post");
    parquet.put("summary", "Every row of a query as one Parquet file, streamed; limit caps rows, cursor ignored")
        .put("operationId", "postQueryParquet").putArray("tags").add("Query");
    parquet.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
        .set("schema", ref("QueryRequest"));
    responses(parquet, null, Stamp.READ);
    ObjectNode file = (ObjectNode) parquet.path("responses").path("200");
    file.putObject("content").putObject("application/octet-stream").putObject("schema").put("type", "string")
        .put("contentMediaType", "application/vnd.apache.parquet");
    ((ObjectNode) file.path("headers")).putObject("Content-Disposition").put("description",
        "attachment; filename=\"<payload_type>-<as_of>.parquet\"").putObject("schema").put("type", "string");
    get(paths, "/parents/{identifier}", "Ancestor identifiers, nearest first", "Lineage",
        new String[] {"identifier:path", "as_of:query"}, arrayOf(string()));
    for (String[] route : new String[][] {
        {"/patients/register", "datasource_id", "Register a patient; the server allocates its identifier"},
        {"/patients/resolve", "datasource_id", "The identifier of a registered patient"},
        {"/studies/register", "patient_identifier", "Register a study; the server allocates its identifier"},
        {"/studies/resolve", "patient_identifier", "The identifier of a registered study"}}) {
      ObjectNode body = object();
      body.putObject("properties").<ObjectNode>set(route[1], string()).set("external_uid", string());
      body.set("required", F.arrayNode().add(route[1]).add("external_uid"));
      body.put("additionalProperties", false);
      ObjectNode answer = object();
      answer.putObject("properties").set("identifier", string());
      answer.set("required", F.arrayNode().add("identifier"));
      boolean register = route[0].endsWith("/register");
      post(paths, route[0], route[2], "Registration", body, null, register ? writeAnswer(answer) : answer,
          register ? Stamp.COMMIT : Stamp.NONE);
    }
    get(paths, "/datasources/stats", "Active counts per datasource", "Stats", new String[] {"as_of:query"},
        arrayOf(ref("DatasourceStats")));
    get(paths, "/datasources/detailed-stats", "Detailed breakdown of one datasource, or of all", "Stats",
        new String[] {"datasource_id:query", "as_of:query"}, arrayOf(ref("DatasourceDetails")));
    get(paths, "/schemas", "The JSON Schema of every payload type, metadata fields included", "Schemas",
        new String[0], object().set("additionalProperties", object()));
    get(paths, "/openapi.json", "This document", "Schemas", new String[0], object());
    get(paths, "/health", "200 once the server is ready", "Schemas", new String[0], object());
    if (objectStorage) {
      objectStorage(paths);
    }

    ObjectNode components = doc.putObject("components");
    ObjectNode schemas = components.putObject("schemas");
    Map<String, String> sorted = new TreeMap<>(payloadSchemas);
    ArrayNode any = F.arrayNode();
    ObjectNode mapping = F.objectNode();
    sorted.forEach((name, schema) -> {
      schemas.set(name, Json.parse(schema));
      any.add(ref(name));
      mapping.put(name, REF + name);
    });
    ObjectNode anyResponse = schemas.putObject("AnyResponse");
    anyResponse.set("oneOf", any);
    anyResponse.putObject("discriminator").put("propertyName", "payload_type").set("mapping", mapping);
    schemas.set("AnyCreate", object().put("description", "Metadata (identifier, payload_type, parent_identifier, "
        + "license, access_level, derived_from) and the payload fields of the type, side by side.")
        .<ObjectNode>set("properties", F.objectNode().<ObjectNode>set("identifier", string())
            .<ObjectNode>set("payload_type", string()).<ObjectNode>set("parent_identifier", nullable("string"))
            .<ObjectNode>set("license", nullable("string")).<ObjectNode>set("access_level", accessLevel())
            .set("derived_from", arrayOf(string())))
        .set("required", F.arrayNode().add("identifier").add("payload_type")));
    schemas.set("AnyUpdate", object().put("description", "The fields to change; null clears a nullable field; "
        + "derived_from replaces the list; is_deleted true deletes with cascade, false restores.")
        .set("properties", F.objectNode().<ObjectNode>set("parent_identifier", nullable("string"))
            .<ObjectNode>set("license", nullable("string")).<ObjectNode>set("access_level", accessLevel())
            .<ObjectNode>set("derived_from", arrayOf(string()))
            .set("is_deleted", F.objectNode().put("type", "boolean"))));
    schemas.set("QueryRequest", queryRequest());
    ObjectNode page = object();
    page.putObject("properties").<ObjectNode>set("results", arrayOf(ref("AnyResponse")))
        .<ObjectNode>set("next_cursor", nullable("string")).set("limit", F.objectNode().put("type", "integer"));
    page.set("required", F.arrayNode().add("results").add("next_cursor").add("limit"));
    schemas.set("QueryPage", page);
    schemas.set("DatasourceStats", statsSchema());
    schemas.set("DatasourceDetails", detailsSchema());
    schemas.set("Error", errorSchema());
    return doc;
  }

  /** The §9 routes. */
  private static void objectStorage(ObjectNode paths) {
    ObjectNode config = object();
    config.putObject("properties").<ObjectNode>set("s3_endpoint", string()).set("s3_bucket", string());
    get(paths, "/s3/config", "The object storage endpoint and bucket", "Object storage", new String[0], config);
    ObjectNode presigned = object();
    presigned.putObject("properties").<ObjectNode>set("url", string()).set("path", string());
    ObjectNode item = object();
    item.putObject("properties").<ObjectNode>set("path", string().put("description", "s3://bucket/key, for downloads"))
        .<ObjectNode>set("filename", string().put("description", "for uploads"))
        .set("group", string().put("pattern", "^[A-Za-z0-9._-]+$").put("description", "for uploads"));
    item.put("additionalProperties", false);
    ObjectNode direction = F.objectNode();
    direction.putArray("enum").add("upload").add("download");
    ObjectNode one = item.deepCopy();
    ((ObjectNode) one.get("properties")).set("direction", direction);
    one.set("required", F.arrayNode().add("direction"));
    post(paths, "/s3/presign", "A presigned URL: an upload gets a fresh key under group/", "Object storage", one, null,
        presigned, Stamp.NONE);
    ObjectNode batch = object();
    batch.putObject("properties").<ObjectNode>set("direction", direction).set("items", arrayOf(item));
    ObjectNode urls = object();
    urls.putObject("properties").set("urls", arrayOf(presigned));
    post(paths, "/s3/presign/batch", "Presigned URLs for several items, in order", "Object storage", batch,
        required("direction", "items"), urls, Stamp.NONE);
    ObjectNode dir = object();
    dir.putObject("properties").<ObjectNode>set("group", string()).set("relpaths", arrayOf(string()));
    ObjectNode dirAnswer = object();
    dirAnswer.putObject("properties").<ObjectNode>set("root", string()).set("items", arrayOf(presigned));
    post(paths, "/s3/presign/upload-dir", "One fresh prefix group/<subdir>/ and a presigned PUT per relative path",
        "Object storage", dir, required("group", "relpaths"), dirAnswer, Stamp.NONE);
    ObjectNode keys = object();
    keys.putObject("properties").set("keys", arrayOf(string()));
    get(paths, "/s3/list", "Every object key under an s3://bucket/key prefix", "Object storage",
        new String[] {"prefix:query"}, keys);
    ObjectNode preview = object();
    preview.putObject("properties").<ObjectNode>set("columns", arrayOf(string()))
        .<ObjectNode>set("schema", object().set("additionalProperties", string()))
        .<ObjectNode>set("total_rows", F.objectNode().put("type", "integer"))
        .<ObjectNode>set("returned_rows", F.objectNode().put("type", "integer"))
        .<ObjectNode>set("offset", F.objectNode().put("type", "integer"))
        .set("data", arrayOf(object()));
    get(paths, "/s3/parquet", "Rows of a Parquet object, reading only its footer and the row groups needed",
        "Object storage", new String[] {"path:query", "limit:query", "offset:query"}, preview);
  }

  // -----------------------------------------------------------------------------------------------

  private static void post(ObjectNode paths, String path, String summary, String tag, ObjectNode body,
      ArrayNode required, ObjectNode answer, Stamp stamp) {
    if (required != null) {
      body.set("required", required);
      body.put("additionalProperties", false);
    }
    ObjectNode op = paths.putObject(path).putObject("post");
    op.put("summary", summary).putArray("tags").add(tag);
    op.put("operationId", operationId("post", path));
    op.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
        .set("schema", body);
    responses(op, answer, stamp);
  }

  private static void get(ObjectNode paths, String path, String summary, String tag, String[] params,
      ObjectNode answer) {
    ObjectNode op = paths.putObject(path).putObject("get");
    op.put("summary", summary).putArray("tags").add(tag);
    op.put("operationId", operationId("get", path));
    boolean read = false;
    ArrayNode parameters = op.putArray("parameters");
    for (String p : params) {
      String[] parts = p.split(":");
      read |= parts[0].equals("as_of");
      ObjectNode param = parameters.addObject().put("name", parts[0]).put("in", parts[1])
          .put("required", parts[1].equals("path"));
      param.set("schema", string());
      if (parts[0].equals("as_of")) {
        param.put("description", "ISO 8601 date-time with offset, or a date (start of that day, UTC)");
      }
    }
    responses(op, answer, read ? Stamp.READ : Stamp.NONE);
  }

  private static void responses(ObjectNode op, ObjectNode answer, Stamp stamp) {
    ObjectNode responses = op.putObject("responses");
    ObjectNode ok = responses.putObject("200").put("description", "OK");
    if (answer != null) {
      ok.putObject("content").putObject("application/json").set("schema", answer);
    }
    if (stamp != Stamp.NONE) {
      String says = stamp == Stamp.READ ? "The transaction time the read was made at"
          : "The transaction time the write committed at (committed_at); the last commit time if it changed nothing";
      ok.putObject("headers").putObject(VxDataServer.AS_OF_HEADER).put("description", says)
          .putObject("schema").put("type", "string").put("format", "date-time");
    }
    for (String[] e : new String[][] {{"400", "Invalid request, malformed JSON or conflict"},
        {"404", "A named resource or registration does not exist, or no such route"},
        {"413", "Request body over the server's limit"}, {"500", "Internal error"}}) {
      responses.putObject(e[0]).put("description", e[1]).putObject("content").putObject("application/json")
          .set("schema", ref("Error"));
    }
  }

  private static String operationId(String method, String path) {
    StringBuilder sb = new StringBuilder(method);
    for (String part : path.replaceAll("[{}.]", "").split("[/-]")) {
      if (!part.isEmpty()) {
        sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return sb.toString();
  }

  private static ObjectNode readBody() {
    ObjectNode body = identifiersBody();
    ((ObjectNode) body.get("properties")).<ObjectNode>set("as_of", asOf())
        .set("exclude_children", F.objectNode().put("type", "boolean").put("default", false));
    body.put("additionalProperties", false);
    return body;
  }

  private static ObjectNode identifiersBody() {
    ObjectNode body = object();
    body.putObject("properties").set("identifiers", arrayOf(string()));
    body.set("required", F.arrayNode().add("identifiers"));
    return body;
  }

  private static ObjectNode queryRequest() {
    ObjectNode q = object();
    ObjectNode p = q.putObject("properties");
    p.set("payload_type", string());
    p.set("filters", F.objectNode().put("description", "Condition {field, op, value}, {and: [...]}, {or: [...]}, "
        + "{not: ...} or a list meaning and (§6.2)"));
    p.set("parent_identifier", nullable("string"));
    p.set("include_indirect_parents", F.objectNode().put("type", "boolean").put("default", false));
    p.set("identifiers", arrayOf(string()));
    p.set("select_columns", arrayOf(string()));
    p.set("sort_by", stringOrList().put("default", "created_at"));
    p.set("sort_order", stringOrList().put("default", "desc"));
    p.set("cursor", nullable("string"));
    p.set("limit", F.objectNode().put("type", "integer").put("minimum", 1).put("maximum", 1000).put("default", 100));
    p.set("as_of", asOf());
    q.set("required", F.arrayNode().add("payload_type"));
    q.put("additionalProperties", false);
    return q;
  }

  private static ObjectNode statsSchema() {
    ObjectNode s = object();
    ObjectNode p = s.putObject("properties");
    p.set("datasource_id", string());
    p.set("name", nullable("string"));
    for (String n : new String[] {"patients", "studies", "artefacts", "resources"}) {
      p.set(n, F.objectNode().put("type", "integer"));
    }
    return s;
  }

  private static ObjectNode detailsSchema() {
    ObjectNode s = object();
    ObjectNode p = s.putObject("properties");
    p.set("datasource_id", string());
    p.set("name", nullable("string"));
    ObjectNode counts = object();
    counts.putObject("properties").<ObjectNode>set("active", F.objectNode().put("type", "integer"))
        .set("deleted", F.objectNode().put("type", "integer"));
    p.set("types", object().set("additionalProperties", counts));
    p.set("versions", F.objectNode().put("type", "integer"));
    p.set("first_created_at", nullable("string").put("format", "date-time"));
    p.set("last_updated_at", nullable("string").put("format", "date-time"));
    p.set("artefact_size_bytes", F.objectNode().put("type", "integer"));
    return s;
  }

  private static ObjectNode errorSchema() {
    ObjectNode detail = object();
    detail.putObject("properties").<ObjectNode>set("identifier", nullable("string"))
        .<ObjectNode>set("field", nullable("string")).set("message", string());
    ObjectNode error = object();
    error.putObject("properties").<ObjectNode>set("status", F.objectNode().put("type", "integer"))
        .<ObjectNode>set("type", string()).<ObjectNode>set("message", string()).set("details", arrayOf(detail));
    error.set("required", F.arrayNode().add("status").add("type").add("message").add("details"));
    ObjectNode root = object();
    root.putObject("properties").set("error", error);
    root.set("required", F.arrayNode().add("error"));
    return root;
  }

  /** A write's answer: its count and {@code committed_at} (§12.4). */
  private static ObjectNode writeAnswer(ObjectNode answer) {
    ((ObjectNode) answer.get("properties")).set(RequestJson.COMMITTED_AT, committedAt());
    ((ArrayNode) answer.get("required")).add(RequestJson.COMMITTED_AT);
    return answer;
  }

  private static ObjectNode committedAt() {
    return string().put("format", "date-time").put("description", "The transaction time the write committed at, "
        + "UTC with microseconds; the last commit time if the write changed nothing. Also the VxData-As-Of header.");
  }

  private static ObjectNode countAnswer(String key) {
    ObjectNode answer = object();
    answer.putObject("properties").set(key, F.objectNode().put("type", "integer"));
    answer.set("required", F.arrayNode().add(key));
    return answer;
  }

  private static ArrayNode required(String... keys) {
    ArrayNode array = F.arrayNode();
    for (String k : keys) {
      array.add(k);
    }
    return array;
  }

  private static ObjectNode object() {
    return F.objectNode().put("type", "object");
  }

  private static ObjectNode string() {
    return F.objectNode().put("type", "string");
  }

  private static ObjectNode nullable(String type) {
    ObjectNode node = F.objectNode();
    node.putArray("type").add(type).add("null");
    return node;
  }

  private static ObjectNode stringOrList() {
    ObjectNode node = F.objectNode();
    node.putArray("oneOf").add(string()).add(arrayOf(string()));
    return node;
  }

  private static ObjectNode accessLevel() {
    ObjectNode node = F.objectNode();
    node.putArray("enum").add("public").add("internal").add("confidential").add("restricted");
    return node;
  }

  private static ObjectNode asOf() {
    return string().put("description", "ISO 8601 date-time with offset, or a date (start of that day, UTC)");
  }

  private static ObjectNode arrayOf(ObjectNode items) {
    ObjectNode node = F.objectNode().put("type", "array");
    node.set("items", items);
    return node;
  }

  private static ObjectNode ref(String name) {
    return F.objectNode().put("$ref", REF + name);
  }
}
