package io.vxdata.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.ValidationException;
import io.vxdata.query.Filter;
import io.vxdata.query.Operator;
import io.vxdata.spi.FilterNodes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The JSON form of a {@link Filter} (docs/behaviour.md §6.2): {@code {"field":F,"op":OP,"value":V}},
 * {@code {"related":{"relation":R,"to"|"from":ID}}} (§15.1),
 * {@code {"and":[...]}}, {@code {"or":[...]}}, {@code {"not":F}}, or a list meaning {@code and}.
 * Values are checked against the payload type's schema when the query runs, not here.
 */
public final class FilterJson {

  private FilterJson() {}

  /**
   * Parses the JSON form of a filter.
   *
   * @throws ValidationException naming the path of the malformed part, e.g. {@code filters.and[1].op}
   */
  public static Filter parse(JsonNode json) {
    return parse(json, "filters");
  }

  static Filter parse(JsonNode json, String path) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      throw ValidationException.of(null, path, "a filter is required here");
    }
    if (json.isArray()) {
      return new Filter.And(parseList(json, path));
    }
    if (!json.isObject()) {
      throw ValidationException.of(null, path, "a filter must be an object or a list, not %s", json);
    }
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    if (keys.size() == 1 && (keys.contains("and") || keys.contains("or"))) {
      String key = keys.get(0);
      JsonNode list = json.get(key);
      if (!list.isArray()) {
        throw ValidationException.of(null, path + "." + key, "must be a list of filters");
      }
      List<Filter> filters = parseList(list, path + "." + key);
      return key.equals("and") ? new Filter.And(filters) : new Filter.Or(filters);
    }
    if (keys.size() == 1 && keys.contains("not")) {
      return new Filter.Not(parse(json.get("not"), path + ".not"));
    }
    if (keys.size() == 1 && keys.contains("related")) {
      return related(json.get("related"), path + ".related");
    }
    for (String key : keys) {
      if (!key.equals("field") && !key.equals("op") && !key.equals("value")) {
        throw ValidationException.of(null, path + "." + key,
            "unknown filter key '%s'; a condition has field, op and value; a link condition is related alone;"
                + " a group is and, or or not alone", key);
      }
    }
    JsonNode field = json.get("field");
    if (field == null || !field.isTextual()) {
      throw ValidationException.of(null, path + ".field", "a condition needs a field name (a string)");
    }
    JsonNode op = json.get("op");
    if (op == null || !op.isTextual()) {
      throw ValidationException.of(null, path + ".op", "a condition needs an op (a string)");
    }
    Operator operator;
    try {
      operator = Operator.parse(op.asText());
    } catch (IllegalArgumentException e) {
      throw ValidationException.of(null, path + ".op", "%s", e.getMessage());
    }
    if (!json.has("value")) {
      throw ValidationException.of(null, path + ".value", "a condition needs a value");
    }
    return new Filter.Condition(field.asText(), operator, Json.plainValue(json.get("value")));
  }

  /** {@code {"relation": R, "to": ID}} or {@code {"relation": R, "from": ID}} (docs/behaviour.md §15.1). */
  private static Filter related(JsonNode json, String path) {
    if (json == null || !json.isObject()) {
      throw ValidationException.of(null, path, "must be an object {relation, to or from}, not %s", json);
    }
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      if (!key.equals("relation") && !key.equals("to") && !key.equals("from")) {
        throw ValidationException.of(null, path + "." + key, "unknown key '%s'; related takes relation and to or from",
            key);
      }
    }
    JsonNode relation = json.get("relation");
    if (relation == null || !relation.isTextual()) {
      throw ValidationException.of(null, path + ".relation", "a relation name (a string) is required");
    }
    JsonNode to = json.get("to");
    JsonNode from = json.get("from");
    if ((to == null) == (from == null)) {
      throw ValidationException.of(null, path, "needs exactly one of to (the target) and from (the source)");
    }
    JsonNode end = to != null ? to : from;
    if (!end.isTextual()) {
      throw ValidationException.of(null, path + (to != null ? ".to" : ".from"), "must be an identifier (a string)");
    }
    return to != null ? Filter.relatedTo(relation.asText(), end.asText())
        : Filter.relatedFrom(relation.asText(), end.asText());
  }

  private static List<Filter> parseList(JsonNode array, String path) {
    List<Filter> filters = new ArrayList<>();
    Iterator<JsonNode> it = array.elements();
    for (int i = 0; it.hasNext(); i++) {
      filters.add(parse(it.next(), path + "[" + i + "]"));
    }
    return filters;
  }

  /** The JSON form of {@code filter}, as {@link #parse(JsonNode)} reads it. */
  public static JsonNode toJson(Filter filter) {
    return FilterNodes.toJson(filter);
  }
}
