package io.vxdata.exports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.AsOf;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.json.Json;
import io.vxdata.json.QueryJson;
import io.vxdata.query.QueryRequest;
import io.vxdata.spi.Instants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Export jobs as JSON (docs/behaviour.md §14.5): the body of {@code POST /exports}, the status of
 * {@code GET /exports/{id}} and the manifest. The job table keeps requests and manifests in these forms.
 */
public final class ExportJson {

  private static final Set<String> REQUEST_KEYS = Set.of("query", "format", "as_of", Json.RELEASE, "since",
      "force");

  private ExportJson() {}

  /**
   * Reads the body of {@code POST /exports}: {@code {query, format?, as_of? or release?, since?, force?}}, where
   * {@code query} is a query body or a list of them and {@code format} is {@code parquet} (the default)
   * or {@code ndjson}.
   *
   * @throws ValidationException naming the key at fault ({@code query.filters}, {@code query[1].payload_type}, ...)
   */
  public static ExportRequest requestFromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw ValidationException.of(null, null, "an export request must be a JSON object, not %s", describe(json));
    }
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!REQUEST_KEYS.contains(key)) {
        throw ValidationException.of(null, key, "unknown key '%s' in an export request; allowed: %s", key,
            REQUEST_KEYS.stream().sorted().toList());
      }
    }
    JsonNode query = json.get("query");
    List<QueryRequest> queries = new ArrayList<>();
    if (query == null || query.isNull()) {
      throw ValidationException.of(null, "query", "is required: a query, or a list of queries of distinct payload types");
    } else if (query.isObject()) {
      queries.add(query(query, "query"));
    } else if (query.isArray()) {
      if (query.size() > ExportRequest.MAX_QUERIES) {
        throw ValidationException.of(null, "query", "lists %d queries; at most %d", query.size(),
            ExportRequest.MAX_QUERIES);
      }
      for (int i = 0; i < query.size(); i++) {
        queries.add(query(query.get(i), query.size() == 1 ? "query" : "query[" + i + "]"));
      }
    } else {
      throw ValidationException.of(null, "query", "must be a query object or a list of them, not %s", describe(query));
    }
    String format = text(json, "format");
    String asOf = text(json, "as_of");
    String release = text(json, Json.RELEASE);
    if (asOf != null && release != null) {
      throw ValidationException.of(null, Json.RELEASE, "give either as_of or release, not both");
    }
    String since = text(json, "since");
    JsonNode force = json.get("force");
    if (force != null && !force.isNull() && !force.isBoolean()) {
      throw ValidationException.of(null, "force", "must be true or false, not %s", describe(force));
    }
    return new ExportRequest(queries, format == null ? ExportFormat.PARQUET : ExportFormat.parse(format),
        release != null ? AsOf.release(release) : asOf == null ? AsOf.latest() : AsOf.parse(asOf), since == null ? null : Instants.parse(since, "since"),
        force != null && force.asBoolean());
  }

  private static QueryRequest query(JsonNode node, String prefix) {
    if (node == null || !node.isObject()) {
      throw ValidationException.of(null, prefix, "must be a query object, not %s", describe(node));
    }
    try {
      return QueryJson.fromJson(node);
    } catch (ValidationException e) {
      throw prefixed(e, prefix);
    }
  }

  /** {@code e} with each field named within {@code prefix}: {@code query[1].filters}, say. */
  static ValidationException prefixed(ValidationException e, String prefix) {
    return new ValidationException(e.violations().stream().map(v -> new Violation(v.identifier(),
        v.field() == null ? prefix : prefix + "." + v.field(), v.message())).toList());
  }

  private static String text(JsonNode json, String key) {
    JsonNode value = json.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ValidationException.of(null, key, "must be a string, not %s", describe(value));
    }
    return value.textValue();
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isNull()) {
      return "null";
    }
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The JSON of a request, as {@link #requestFromJson} reads it back (one query as an object, several as a list). */
  public static ObjectNode toJson(ExportRequest request) {
    ObjectNode node = Json.mapper().createObjectNode();
    if (request.queries().size() == 1) {
      node.set("query", QueryJson.toJson(request.queries().get(0)));
    } else {
      ArrayNode list = node.putArray("query");
      request.queries().forEach(q -> list.add(QueryJson.toJson(q)));
    }
    node.put("format", request.format().wireName());
    Json.putAsOf(node, request.asOf());
    if (request.since() != null) {
      node.put("since", Json.formatInstant(request.since()));
    }
    if (request.force()) {
      node.put("force", true);
    }
    return node;
  }

  /** The JSON of a manifest; outputs without a URL leave it out (the stored form). */
  public static ObjectNode toJson(ExportManifest manifest) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("transaction_time", Json.formatInstant(manifest.transactionTime()));
    node.set("request", toJson(manifest.request()));
    node.set("output", outputs(manifest.output()));
    node.set("deleted", outputs(manifest.deleted()));
    return node;
  }

  private static ArrayNode outputs(List<ExportOutput> outputs) {
    ArrayNode list = Json.mapper().createArrayNode();
    for (ExportOutput o : outputs) {
      ObjectNode item = list.addObject().put("payload_type", o.payloadType());
      if (o.url() != null) {
        item.put("url", o.url());
      }
      item.put("path", o.path()).put("rows", o.rows()).put("bytes", o.bytes()).put("sha256", o.sha256());
    }
    return list;
  }

  /** Reads a manifest as {@link #toJson(ExportManifest)} wrote it. */
  public static ExportManifest manifestFromJson(JsonNode json) {
    return new ExportManifest(Json.parseInstant(json.path("transaction_time").asText(), "transaction_time"),
        requestFromJson(json.get("request")), outputsFromJson(json.path("output")),
        outputsFromJson(json.path("deleted")));
  }

  private static List<ExportOutput> outputsFromJson(JsonNode list) {
    List<ExportOutput> outputs = new ArrayList<>();
    for (JsonNode o : list) {
      outputs.add(new ExportOutput(o.path("payload_type").asText(), o.path("path").asText(),
          o.hasNonNull("url") ? o.get("url").asText() : null, o.path("rows").asLong(), o.path("bytes").asLong(),
          o.path("sha256").asText()));
    }
    return outputs;
  }

  /**
   * The answer of {@code GET /exports/{id}}: {@code id}, {@code status}, {@code principal_id},
   * {@code transaction_time}, the times, {@code progress {rows_done, rows_total, eta_seconds}},
   * {@code error} and, once finished, {@code manifest}.
   */
  public static ObjectNode toJson(ExportStatus s) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("id", s.id()).put("status", s.state().wireName()).put("principal_id", s.principalId());
    node.put("transaction_time", Json.formatInstant(s.transactionTime()));
    node.put("submitted_at", Json.formatInstant(s.submittedAt()));
    putTime(node, "started_at", s.startedAt());
    putTime(node, "finished_at", s.finishedAt());
    ObjectNode progress = node.putObject("progress").put("rows_done", s.rowsDone()).put("rows_total", s.rowsTotal());
    if (s.eta() == null) {
      progress.putNull("eta_seconds");
    } else {
      progress.put("eta_seconds", Math.max(0, s.eta().toSeconds()));
    }
    if (s.error() == null) {
      node.putNull("error");
    } else {
      node.put("error", s.error());
    }
    if (s.manifest() != null) {
      node.set("manifest", toJson(s.manifest()));
    }
    if (s.reused()) {
      node.put("reused", true);
    }
    return node;
  }

  /** Reads a status as {@link #toJson(ExportStatus)} wrote it. */
  public static ExportStatus statusFromJson(JsonNode json) {
    JsonNode progress = json.path("progress");
    return new ExportStatus(json.path("id").asText(), json.path("principal_id").asText(),
        ExportState.parse(json.path("status").asText()), progress.path("rows_done").asLong(),
        progress.path("rows_total").asLong(), progress.hasNonNull("eta_seconds")
            ? java.time.Duration.ofSeconds(progress.get("eta_seconds").asLong()) : null,
        time(json, "transaction_time"), time(json, "submitted_at"), time(json, "started_at"),
        time(json, "finished_at"), json.hasNonNull("error") ? json.get("error").asText() : null,
        json.hasNonNull("manifest") ? manifestFromJson(json.get("manifest")) : null, json.path("reused").asBoolean());
  }

  /** The answer of {@code GET /exports}: {@code exports} (statuses), {@code next_cursor}, {@code limit}. */
  public static ObjectNode toJson(ExportPage page) {
    ObjectNode node = Json.mapper().createObjectNode();
    ArrayNode jobs = node.putArray("exports");
    page.exports().forEach(s -> jobs.add(toJson(s)));
    if (page.nextCursor() == null) {
      node.putNull("next_cursor");
    } else {
      node.put("next_cursor", page.nextCursor());
    }
    return node.put("limit", page.limit());
  }

  /** Reads a page as {@link #toJson(ExportPage)} wrote it. */
  public static ExportPage pageFromJson(JsonNode json) {
    List<ExportStatus> jobs = new ArrayList<>();
    json.path("exports").forEach(s -> jobs.add(statusFromJson(s)));
    return new ExportPage(jobs, json.hasNonNull("next_cursor") ? json.get("next_cursor").asText() : null,
        json.path("limit").asInt());
  }

  private static Instant time(JsonNode json, String key) {
    return json.hasNonNull(key) ? Json.parseInstant(json.get(key).asText(), key) : null;
  }

  private static void putTime(ObjectNode node, String key, Instant time) {
    if (time == null) {
      node.putNull(key);
    } else {
      node.put(key, Json.formatInstant(time));
    }
  }
}
