package io.vxdata.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.ValidationException;
import io.vxdata.relation.Cardinality;
import io.vxdata.relation.Link;
import io.vxdata.relation.RelationType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON of relations and links (docs/behaviour.md §15.1), both ways: a relation
 * {@code {name, source_type, target_type, targets_per_source, sources_per_target}}, a link
 * {@code {relation, from, to}}, and the bodies of {@code POST /links/attach} and {@code /links/detach},
 * {@code {"links": [link…]}}. Requests are read strictly: an unknown key or a wrong type is a
 * {@link ValidationException} naming the member.
 */
public final class RelationJson {

  private static final Set<String> RELATION_KEYS = Set.of("name", "source_type", "target_type", "targets_per_source",
      "sources_per_target");
  private static final Set<String> LINK_KEYS = Set.of("relation", "from", "to");

  private RelationJson() {}

  /** {@code {"name", "source_type", "target_type", "targets_per_source", "sources_per_target"}}. */
  public static ObjectNode toJson(RelationType r) {
    return Json.nodes().objectNode().put("name", r.name()).put("source_type", r.sourceType())
        .put("target_type", r.targetType()).put("targets_per_source", r.targetsPerSource().wireName())
        .put("sources_per_target", r.sourcesPerTarget().wireName());
  }

  /** Reads a relation strictly, as {@link #toJson(RelationType)} writes it. */
  public static RelationType fromJson(JsonNode json) {
    Members m = Members.of(json, "a relation", "", RELATION_KEYS);
    return new RelationType(m.requiredString("name"), m.requiredString("source_type"), m.requiredString("target_type"),
        cardinality(m, "targets_per_source"), cardinality(m, "sources_per_target"));
  }

  private static Cardinality cardinality(Members m, String key) {
    try {
      return Cardinality.parse(m.requiredString(key));
    } catch (IllegalArgumentException e) {
      throw m.fail(key, e.getMessage());
    }
  }

  /** {@code {"relations": [relation…]}}, by name. */
  public static ObjectNode typesToJson(Map<String, RelationType> types) {
    ObjectNode node = Json.nodes().objectNode();
    ArrayNode list = node.putArray("relations");
    types.values().stream().sorted(java.util.Comparator.comparing(RelationType::name))
        .forEach(r -> list.add(toJson(r)));
    return node;
  }

  /** Reads {@link #typesToJson(Map)}. */
  public static Map<String, RelationType> typesFromJson(JsonNode json) {
    Members m = Members.object(json, "a list of relations", "", null);
    Map<String, RelationType> types = new java.util.LinkedHashMap<>();
    m.required("relations").forEach(r -> {
      RelationType type = fromJson(r);
      types.put(type.name(), type);
    });
    return types;
  }

  /** {@code {"relation", "from", "to"}}. */
  public static ObjectNode toJson(Link l) {
    return Json.nodes().objectNode().put("relation", l.relation()).put("from", l.from()).put("to", l.to());
  }

  /** A JSON array of links. */
  public static ArrayNode toJson(List<Link> links) {
    ArrayNode array = Json.nodes().arrayNode();
    links.forEach(l -> array.add(toJson(l)));
    return array;
  }

  /** Reads one link strictly; {@code prefix} names it in messages, e.g. {@code links[2]}. */
  public static Link linkFromJson(JsonNode json, String prefix) {
    Members m = Members.of(json, "a link", prefix, LINK_KEYS);
    String relation = m.requiredString("relation");
    String from = m.requiredString("from");
    String to = m.requiredString("to");
    try {
      return new Link(relation, from, to);
    } catch (ValidationException e) {
      // Name the item: the record names only its own field.
      throw ValidationException.of(e.violations().get(0).identifier(), m.name(e.violations().get(0).field()), "%s",
          e.violations().get(0).message());
    }
  }

  /** Reads a list of links as written by {@link #toJson(List)}. */
  public static List<Link> linksFromJson(JsonNode array, String prefix) {
    if (array == null || !array.isArray()) {
      throw ValidationException.of(null, prefix, "must be a list of links {relation, from, to}, not %s",
          Members.describe(array));
    }
    List<Link> links = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      links.add(linkFromJson(array.get(i), prefix + "[" + i + "]"));
    }
    return links;
  }

  /** The body of {@code POST /links/attach} and {@code /links/detach}: {@code {"links": [link…]}}. */
  public static ObjectNode linksRequestToJson(List<Link> links) {
    ObjectNode node = Json.nodes().objectNode();
    node.set("links", toJson(links));
    return node;
  }

  /** Reads the body of {@code POST /links/attach} or {@code /links/detach} strictly. */
  public static List<Link> linksRequestFromJson(JsonNode json) {
    Members m = Members.of(json, "the request body", "", Set.of("links"));
    return linksFromJson(m.required("links"), "links");
  }
}
