package io.vxdata.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.AccessLevel;
import io.vxdata.query.Filter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * The JSON form of a filter, as the HTTP API writes it: one writer for the wire codec and for stores
 * that fingerprint a query by it (a cursor then keeps its fingerprint whoever wrote the filter).
 */
public final class FilterNodes {

  private FilterNodes() {}

  /**
   * {@code {"field", "op", "value"}}, {@code {"related": {"relation", "to"|"from"}}}, {@code {"not": …}},
   * or {@code {"and"|"or": […]}}.
   */
  public static JsonNode toJson(Filter filter) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (filter instanceof Filter.Condition c) {
      ObjectNode node = f.objectNode().put("field", c.field()).put("op", c.op().symbol());
      node.set("value", valueToJson(c.value()));
      return node;
    }
    if (filter instanceof Filter.Related r) {
      ObjectNode related = f.objectNode().put("relation", r.relation());
      if (r.to() != null) {
        related.put("to", r.to());
      } else {
        related.put("from", r.from());
      }
      ObjectNode node = f.objectNode();
      node.set("related", related);
      return node;
    }
    if (filter instanceof Filter.Not n) {
      ObjectNode node = f.objectNode();
      node.set("not", toJson(n.filter()));
      return node;
    }
    List<Filter> children = filter instanceof Filter.And a ? a.filters() : ((Filter.Or) filter).filters();
    ArrayNode list = f.arrayNode();
    children.forEach(child -> list.add(toJson(child)));
    ObjectNode node = f.objectNode();
    node.set(filter instanceof Filter.And ? "and" : "or", list);
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
    if (value instanceof BigInteger b) {
      return f.numberNode(b);
    }
    if (value instanceof Number n) {
      return f.numberNode(n.doubleValue());
    }
    if (value instanceof AccessLevel level) {
      return f.textNode(level.wireName());
    }
    if (value instanceof Enum<?> e) {
      return f.textNode(e.name());
    }
    return f.textNode(value.toString());
  }
}
