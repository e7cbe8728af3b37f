package io.vxdata.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.ValidationException;
import io.vxdata.schema.Values;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A query filter (§6.2): a condition on one field, or {@code and}, {@code or}, {@code not} of
 * filters. Parsed from JSON with {@link #parse(JsonNode)} or built with the static factories;
 * values are checked against the payload type's schema when the query runs.
 */
public sealed interface Filter permits Filter.Condition, Filter.And, Filter.Or, Filter.Not {

  /**
   * {@code field op value}.
   *
   * @param field a payload or metadata field of the queried type
   * @param op the operator
   * @param value the operand: a scalar, a list for {@code in}, {@code not in} and {@code between},
   *     a boolean for {@code null}
   */
  record Condition(String field, Operator op, Object value) implements Filter {
    public Condition {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(op, "op");
    }
  }

  /** Every filter matches; an empty list matches everything. */
  record And(List<Filter> filters) implements Filter {
    public And {
      filters = List.copyOf(filters);
    }
  }

  /** At least one filter matches; an empty list matches nothing. */
  record Or(List<Filter> filters) implements Filter {
    public Or {
      filters = List.copyOf(filters);
    }
  }

  /** The filter does not match (SQL semantics: a comparison with null stays unknown). */
  record Not(Filter filter) implements Filter {
    public Not {
      Objects.requireNonNull(filter, "filter");
    }
  }

  static Filter where(String field, Operator op, Object value) {
    return new Condition(field, op, value);
  }

  static Filter eq(String field, Object value) {
    return new Condition(field, Operator.EQ, value);
  }

  static Filter and(Filter... filters) {
    return new And(List.of(filters));
  }

  static Filter or(Filter... filters) {
    return new Or(List.of(filters));
  }

  static Filter not(Filter filter) {
    return new Not(filter);
  }

  /**
   * Parses the JSON form: {@code {"field":F,"op":OP,"value":V}}, {@code {"and":[...]}},
   * {@code {"or":[...]}}, {@code {"not":F}}, or a list meaning {@code and}.
   *
   * @throws ValidationException naming the path of the malformed part, e.g. {@code filters.and[1].op}
   */
  static Filter parse(JsonNode json) {
    return parse(json, "filters");
  }

  private static Filter parse(JsonNode json, String path) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      throw ValidationException.of(null, path, "a filter is required here");
    }
    if (json.isArray()) {
      return new And(parseList(json, path));
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
      return key.equals("and") ? new And(filters) : new Or(filters);
    }
    if (keys.size() == 1 && keys.contains("not")) {
      return new Not(parse(json.get("not"), path + ".not"));
    }
    for (String key : keys) {
      if (!key.equals("field") && !key.equals("op") && !key.equals("value")) {
        throw ValidationException.of(null, path + "." + key,
            "unknown filter key '%s'; a condition has field, op and value; a group is and, or or not alone", key);
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
    return new Condition(field.asText(), operator, Values.fromJson(json.get("value")));
  }

  private static List<Filter> parseList(JsonNode array, String path) {
    List<Filter> filters = new ArrayList<>();
    Iterator<JsonNode> it = array.elements();
    for (int i = 0; it.hasNext(); i++) {
      filters.add(parse(it.next(), path + "[" + i + "]"));
    }
    return filters;
  }

  /** The JSON form of this filter, as {@link #parse(JsonNode)} reads it. */
  default JsonNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (this instanceof Condition c) {
      ObjectNode node = f.objectNode().put("field", c.field()).put("op", c.op().symbol());
      node.set("value", valueToJson(c.value()));
      return node;
    }
    if (this instanceof Not n) {
      ObjectNode node = f.objectNode();
      node.set("not", n.filter().toJson());
      return node;
    }
    List<Filter> children = this instanceof And a ? a.filters() : ((Or) this).filters();
    ArrayNode list = f.arrayNode();
    children.forEach(child -> list.add(child.toJson()));
    ObjectNode node = f.objectNode();
    node.set(this instanceof And ? "and" : "or", list);
    return node;
  }

  private static JsonNode valueToJson(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value == null) {
      return f.nullNode();
    }
    if (value instanceof List<?> list) {
      ArrayNode array = f.arrayNode();
      list.forEach(v -> array.add(valueToJson(v)));
      return array;
    }
    if (value instanceof Boolean b) {
      return f.booleanNode(b);
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return f.numberNode(((Number) value).longValue());
    }
    if (value instanceof BigDecimal d) {
      return f.numberNode(d);
    }
    if (value instanceof java.math.BigInteger b) {
      return f.numberNode(b);
    }
    if (value instanceof Number n) {
      return f.numberNode(n.doubleValue());
    }
    if (value instanceof LocalDate || value instanceof Instant || value instanceof String) {
      return f.textNode(value.toString());
    }
    if (value instanceof Enum<?> e) {
      return f.textNode(e instanceof io.vxdata.AccessLevel level ? level.wireName() : e.name());
    }
    return f.textNode(value.toString());
  }
}
