package io.vxdata.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.DatasourceDetails;
import io.vxdata.DatasourceStats;
import io.vxdata.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Datasource statistics (docs/behaviour.md §7) as JSON: the lists of {@code /datasources/stats} and {@code /detailed-stats}. */
public final class StatsJson {

  private StatsJson() {}

  /** {@code [{datasource_id, name, patients, studies, artefacts, resources}…]}. */
  public static ArrayNode statsToJson(List<DatasourceStats> stats) {
    ArrayNode array = Json.nodes().arrayNode();
    for (DatasourceStats s : stats) {
      ObjectNode node = array.addObject();
      node.put("datasource_id", s.datasourceId());
      Json.putNullable(node, "name", s.name());
      node.put("patients", s.patients()).put("studies", s.studies()).put("artefacts", s.artefacts())
          .put("resources", s.resources());
    }
    return array;
  }

  /** Reads what {@link #statsToJson(List)} wrote. */
  public static List<DatasourceStats> statsFromJson(JsonNode json) {
    List<DatasourceStats> out = new ArrayList<>();
    for (JsonNode node : array(json)) {
      Members m = Members.object(node, "a datasource's stats", "", null);
      out.add(new DatasourceStats(m.requiredString("datasource_id"), m.string("name"), count(m, "patients"),
          count(m, "studies"), count(m, "artefacts"), count(m, "resources")));
    }
    return out;
  }

  /**
   * {@code [{datasource_id, name, types: {<payload_type>: {active, deleted}}, versions,
   * first_created_at, last_updated_at, artefact_size_bytes}…]}.
   */
  public static ArrayNode detailsToJson(List<DatasourceDetails> details) {
    ArrayNode array = Json.nodes().arrayNode();
    for (DatasourceDetails d : details) {
      ObjectNode node = array.addObject();
      node.put("datasource_id", d.datasourceId());
      Json.putNullable(node, "name", d.name());
      ObjectNode types = node.putObject("types");
      d.types().forEach((type, c) -> types.putObject(type).put("active", c.active()).put("deleted", c.deleted()));
      node.put("versions", d.versions());
      Json.putNullable(node, "first_created_at", d.firstCreatedAt() == null ? null : Json.formatInstant(d.firstCreatedAt()));
      Json.putNullable(node, "last_updated_at", d.lastUpdatedAt() == null ? null : Json.formatInstant(d.lastUpdatedAt()));
      node.put("artefact_size_bytes", d.artefactSizeBytes());
    }
    return array;
  }

  /** Reads what {@link #detailsToJson(List)} wrote. */
  public static List<DatasourceDetails> detailsFromJson(JsonNode json) {
    List<DatasourceDetails> out = new ArrayList<>();
    for (JsonNode node : array(json)) {
      Members m = Members.object(node, "a datasource's details", "", null);
      Map<String, DatasourceDetails.TypeCounts> types = new LinkedHashMap<>();
      JsonNode typesNode = m.required("types");
      for (Map.Entry<String, JsonNode> e : typesNode.properties()) {
        Members c = Members.object(e.getValue(), "type counts", "types." + e.getKey(), null);
        types.put(e.getKey(), new DatasourceDetails.TypeCounts(count(c, "active"), count(c, "deleted")));
      }
      out.add(new DatasourceDetails(m.requiredString("datasource_id"), m.string("name"), types,
          count(m, "versions"), m.instant("first_created_at"), m.instant("last_updated_at"),
          count(m, "artefact_size_bytes")));
    }
    return out;
  }

  private static long count(Members m, String key) {
    Long value = m.longValue(key);
    if (value == null) {
      throw m.fail(key, "is required");
    }
    return value;
  }

  private static JsonNode array(JsonNode json) {
    if (json == null || !json.isArray()) {
      throw new ValidationException("expected a JSON array of datasources, not %s", Members.describe(json));
    }
    return json;
  }
}
