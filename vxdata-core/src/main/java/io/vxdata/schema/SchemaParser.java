package io.vxdata.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.AccessLevel;
import io.vxdata.Fields;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.spi.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Parses the supported subset of JSON Schema into {@link PayloadType}s, and writes response schemas. */
final class SchemaParser {

  static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
  static final String PARENT_TYPES = "x-vxdata-parent-types";
  static final String ROOT = "x-vxdata-root";
  static final String INDEX = "x-vxdata-index";

  private static final Pattern FIELD_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Set<String> ROOT_KEYWORDS = Set.of("$schema", "$id", "$comment", "title", "description",
      "type", "properties", "required", "additionalProperties", "examples", PARENT_TYPES, ROOT);
  private static final Set<String> ANNOTATIONS = Set.of("title", "description", "default", "examples", "$comment",
      "deprecated", "readOnly", "writeOnly");
  private static final Set<String> SCALAR_KEYWORDS = Set.of("type", "format", "enum", "minimum", "maximum",
      "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern");
  private static final Set<String> ARRAY_KEYWORDS = Set.of("type", "items", "minItems", "maxItems");

  /** Strict about trailing tokens and duplicate keys, as the HTTP codec is; never reconfigured. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private SchemaParser() {}

  /** Parses a schema given as JSON text; malformed text is a violation on {@code schema}. */
  static PayloadType parse(String typeName, String text) {
    if (text == null) {
      return parse(typeName, (JsonNode) null);
    }
    JsonNode document;
    try {
      document = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new Problems(typeName).fail("schema", "the schema is not well-formed JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr()));
    }
    return parse(typeName, document);
  }

  /** {@code type} with its {@code x-vxdata-parent-types} replaced by {@code parentTypes}, checked again. */
  static PayloadType withParentTypes(PayloadType type, String... parentTypes) {
    ObjectNode copy = tree(type);
    ArrayNode array = copy.putArray(PARENT_TYPES);
    for (String parentType : parentTypes) {
      array.add(parentType);
    }
    return parse(type.name(), copy);
  }

  static PayloadType parse(String typeName, JsonNode document) {
    Problems problems = new Problems(typeName);
    if (document == null || !document.isObject()) {
      throw problems.fail("schema", "a payload schema must be a JSON object");
    }
    document.fieldNames().forEachRemaining(key -> {
      if (!ROOT_KEYWORDS.contains(key)) {
        problems.add(key, "unsupported schema keyword '" + key + "'");
      }
    });
    JsonNode type = document.get("type");
    if (type != null && !"object".equals(type.asText())) {
      problems.add("type", "a payload schema must have type 'object'");
    }
    JsonNode additional = document.get("additionalProperties");
    if (additional != null && !(additional.isBoolean() && !additional.asBoolean())) {
      problems.add("additionalProperties", "payload fields are closed: additionalProperties may only be false");
    }
    Set<String> required = new LinkedHashSet<>();
    JsonNode requiredNode = document.get("required");
    if (requiredNode != null) {
      if (!requiredNode.isArray()) {
        problems.add("required", "must be an array of property names");
      } else {
        requiredNode.forEach(r -> required.add(r.asText()));
      }
    }
    Set<String> parentTypes = new LinkedHashSet<>();
    JsonNode parents = document.get(PARENT_TYPES);
    if (parents != null) {
      if (!parents.isArray()) {
        problems.add(PARENT_TYPES, "must be an array of payload type names");
      } else {
        for (JsonNode p : parents) {
          if (!PayloadType.isValidName(p.asText())) {
            problems.add(PARENT_TYPES, "'" + p.asText() + "' is not a payload type name");
          }
          parentTypes.add(p.asText());
        }
      }
    }
    JsonNode root = document.get(ROOT);
    if (root != null && !root.isBoolean()) {
      problems.add(ROOT, "must be true or false");
    } else if (root != null && root.asBoolean() && !parentTypes.isEmpty()) {
      problems.add(ROOT, "a root type has no parent, so it cannot also name parent types");
    }
    List<PayloadField> fields = new ArrayList<>();
    JsonNode properties = document.get("properties");
    if (properties != null && !properties.isObject()) {
      problems.add("properties", "must be an object");
    } else if (properties != null) {
      for (Map.Entry<String, JsonNode> property : properties.properties()) {
        PayloadField field = parseField(property.getKey(), property.getValue(), required.contains(property.getKey()),
            problems);
        if (field != null) {
          fields.add(field);
        }
      }
    }
    for (String r : required) {
      if (properties == null || !properties.has(r)) {
        problems.add(r, "is required but not a property");
      }
    }
    checkCompositeIndexes(fields, problems);
    problems.throwIfAny();
    return new PayloadType(typeName, fields, parentTypes, root != null && root.asBoolean(), text(document));
  }

  /** The schema of {@code type} as a tree: a fresh copy the caller may change. */
  private static ObjectNode tree(PayloadType type) {
    try {
      return (ObjectNode) JSON.readTree(type.schema());
    } catch (JsonProcessingException | ClassCastException e) {
      throw new IllegalStateException("payload type '" + type.name() + "' holds a schema that is not a JSON object", e);
    }
  }

  /** Compact JSON text, properties in document order. */
  private static String text(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
  }

  private static PayloadField parseField(String name, JsonNode node, boolean required, Problems problems) {
    if (!FIELD_NAME.matcher(name).matches()) {
      problems.add(name, "field names must match [a-z][a-z0-9_]* and have at most 63 characters");
      return null;
    }
    if (Fields.RESERVED.contains(name)) {
      problems.add(name, "is a metadata field name and cannot be a payload field");
      return null;
    }
    if (!node.isObject()) {
      problems.add(name, "a property schema must be an object");
      return null;
    }
    JsonNode index = node.get(INDEX);
    List<String> indexWith = new ArrayList<>();
    if (index != null && index.isArray()) {
      boolean names = true;
      for (JsonNode f : index) {
        names &= f.isTextual();
        indexWith.add(f.asText());
      }
      if (indexWith.isEmpty() || !names) {
        problems.add(name, "'" + INDEX + "' must be true, false, or a non-empty array of the field names that"
            + " follow this one in its index");
        indexWith.clear();
      }
    }
    // Anything else reads as before arrays were understood, so every stored schema still parses.
    boolean indexed = index != null && (index.isArray() || index.asBoolean(false));
    String jsonType = typeOf(node, name, problems);
    if ("array".equals(jsonType)) {
      checkKeywords(node, name, ARRAY_KEYWORDS, problems);
      JsonNode items = node.get("items");
      if (items == null || !items.isObject()) {
        problems.add(name, "an array field needs an 'items' schema");
        return null;
      }
      checkKeywords(items, name, SCALAR_KEYWORDS, problems);
      String itemType = typeOf(items, name, problems);
      if ("array".equals(itemType)) {
        problems.add(name, "arrays of arrays are not supported: payload fields are flat");
        return null;
      }
      FieldType type = scalarType(itemType, items, name, problems);
      if (type == null) {
        return null;
      }
      PayloadField.Constraints item = constraints(items, type, name, problems);
      PayloadField.Constraints c = new PayloadField.Constraints(item.enumValues(), item.minimum(), item.maximum(),
          item.exclusiveMinimum(), item.exclusiveMaximum(), item.minLength(), item.maxLength(), item.pattern(),
          intOrNull(node, "minItems", name, problems), intOrNull(node, "maxItems", name, problems));
      if (!indexWith.isEmpty()) {
        problems.add(name, "a list field cannot lead a composite index");
      }
      return new PayloadField(name, type, true, required, indexed, c);
    }
    checkKeywords(node, name, SCALAR_KEYWORDS, problems);
    FieldType type = scalarType(jsonType, node, name, problems);
    return type == null ? null
        : new PayloadField(name, type, false, required, indexed, constraints(node, type, name, problems), indexWith);
  }

  /**
   * The fields a composite index names after its first must be scalar fields of the type, each once,
   * and not strings: only the first field's strings are bounded to fit an index entry (docs/behaviour.md
   * Limits).
   */
  private static void checkCompositeIndexes(List<PayloadField> fields, Problems problems) {
    for (PayloadField field : fields) {
      Set<String> seen = new LinkedHashSet<>(List.of(field.name()));
      for (String other : field.indexWith()) {
        PayloadField f = fields.stream().filter(x -> x.name().equals(other)).findFirst().orElse(null);
        if (f == null) {
          problems.add(field.name(), "'" + INDEX + "' names '" + other + "', which is not a field of the type");
        } else if (!seen.add(other)) {
          problems.add(field.name(), "'" + INDEX + "' names '" + other + "' twice");
        } else if (f.list() || f.type() == FieldType.STRING) {
          problems.add(field.name(), "'" + INDEX + "' names '" + other + "': the fields after the first of an"
              + " index must be scalars other than strings (dates, date-times, numbers, booleans)");
        }
      }
    }
  }

  private static void checkKeywords(JsonNode node, String field, Set<String> allowed, Problems problems) {
    node.fieldNames().forEachRemaining(key -> {
      if (!allowed.contains(key) && !ANNOTATIONS.contains(key) && !INDEX.equals(key)) {
        problems.add(field, "unsupported schema keyword '" + key + "'");
      }
    });
  }

  /** The non-null JSON type of a property: from {@code type} (possibly {@code [t, "null"]}) or its enum. */
  private static String typeOf(JsonNode node, String field, Problems problems) {
    JsonNode type = node.get("type");
    if (type == null) {
      JsonNode values = node.get("enum");
      if (values != null && values.isArray() && !values.isEmpty()) {
        JsonNode first = values.get(0);
        return first.isTextual() ? "string" : first.isIntegralNumber() ? "integer" : first.isNumber() ? "number"
            : first.isBoolean() ? "boolean" : "unknown";
      }
      problems.add(field, "needs a 'type'");
      return null;
    }
    if (type.isTextual()) {
      return type.asText();
    }
    if (type.isArray()) {
      List<String> nonNull = new ArrayList<>();
      type.forEach(t -> {
        if (!"null".equals(t.asText())) {
          nonNull.add(t.asText());
        }
      });
      if (nonNull.size() == 1) {
        return nonNull.get(0);
      }
    }
    problems.add(field, "'type' must be one type, optionally with \"null\"");
    return null;
  }

  private static FieldType scalarType(String jsonType, JsonNode node, String field, Problems problems) {
    if (jsonType == null) {
      return null;
    }
    String format = node.path("format").asText(null);
    FieldType type = switch (jsonType) {
      case "string" -> "date".equals(format) ? FieldType.DATE
          : "date-time".equals(format) ? FieldType.DATE_TIME : FieldType.STRING;
      case "integer" -> FieldType.INTEGER;
      case "number" -> FieldType.NUMBER;
      case "boolean" -> FieldType.BOOLEAN;
      default -> null;
    };
    if (type == null) {
      problems.add(field, "unsupported type '" + jsonType + "': use string, integer, number, boolean or array");
    } else if (format != null && !"string".equals(jsonType)) {
      problems.add(field, "'format' applies to strings only");
    }
    return type;
  }

  private static PayloadField.Constraints constraints(JsonNode node, FieldType type, String field, Problems problems) {
    List<Object> enumValues = null;
    JsonNode values = node.get("enum");
    if (values != null) {
      if (!values.isArray() || values.isEmpty()) {
        problems.add(field, "'enum' must be a non-empty array");
      } else {
        enumValues = new ArrayList<>();
        for (JsonNode v : values) {
          if (v.isNull()) {
            continue;
          }
          try {
            enumValues.add(Values.coerce(type, plain(v)));
          } catch (IllegalArgumentException e) {
            problems.add(field, "enum value " + v + " does not match the field type: " + e.getMessage());
          }
        }
      }
    }
    Pattern pattern = null;
    if (node.has("pattern")) {
      try {
        pattern = Pattern.compile(node.get("pattern").asText());
      } catch (PatternSyntaxException e) {
        problems.add(field, "invalid 'pattern': " + e.getDescription());
      }
    }
    return new PayloadField.Constraints(enumValues == null ? null : List.copyOf(enumValues),
        decimalOrNull(node, "minimum", field, problems), decimalOrNull(node, "maximum", field, problems),
        decimalOrNull(node, "exclusiveMinimum", field, problems), decimalOrNull(node, "exclusiveMaximum", field, problems),
        intOrNull(node, "minLength", field, problems), intOrNull(node, "maxLength", field, problems), pattern, null, null);
  }

  private static BigDecimal decimalOrNull(JsonNode node, String keyword, String field, Problems problems) {
    JsonNode value = node.get(keyword);
    if (value == null) {
      return null;
    }
    if (!value.isNumber()) {
      problems.add(field, "'" + keyword + "' must be a number");
      return null;
    }
    return value.decimalValue();
  }

  private static Integer intOrNull(JsonNode node, String keyword, String field, Problems problems) {
    JsonNode value = node.get(keyword);
    if (value == null) {
      return null;
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
      problems.add(field, "'" + keyword + "' must be a non-negative integer");
      return null;
    }
    return value.asInt();
  }

  /** The plain Java value of an enum value in a schema: String, Long, Double (or BigDecimal), Boolean, List. */
  private static Object plain(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? (Object) node.asLong() : node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return node.isBigDecimal() ? node.decimalValue() : (Object) node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(n.isNull() ? null : plain(n)));
      return list;
    }
    return node;
  }

  static String responseSchema(PayloadType type) {
    ObjectNode schema = tree(type);
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("$schema", DIALECT);
    root.put("title", type.name());
    if (schema.has("description")) {
      root.set("description", schema.get("description"));
    }
    root.put("type", "object");
    ObjectNode props = root.putObject("properties");
    props.putObject(Fields.IDENTIFIER).put("type", "string").put("minLength", 1).put("maxLength", 255)
        .put("pattern", "^[A-Za-z0-9][A-Za-z0-9._:~-]*$");
    nullable(props.putObject(Fields.PARENT_IDENTIFIER), "string");
    props.putObject(Fields.PAYLOAD_TYPE).put("const", type.name());
    nullable(props.putObject(Fields.LICENSE), "string");
    ArrayNode levels = props.putObject(Fields.ACCESS_LEVEL).putArray("enum");
    for (AccessLevel level : AccessLevel.values()) {
      levels.add(level.wireName());
    }
    props.putObject(Fields.DERIVED_FROM).put("type", "array").putObject("items").put("type", "string");
    props.putObject(Fields.IS_DELETED).put("type", "boolean");
    props.putObject(Fields.VERSION).put("type", "integer").put("minimum", 1);
    props.putObject(Fields.CREATED_AT).put("type", "string").put("format", "date-time");
    props.putObject(Fields.UPDATED_AT).put("type", "string").put("format", "date-time");
    props.putObject(Fields.CREATED_BY).put("type", "string");
    props.putObject(Fields.UPDATED_BY).put("type", "string");
    props.putObject(Fields.CHILDREN).put("type", "array").putObject("items").put("type", "string");
    props.putObject(Fields.CAN_EDIT).put("type", "boolean");
    JsonNode declared = schema.path("properties");
    ArrayNode required = f.arrayNode();
    for (String name : List.of(Fields.IDENTIFIER, Fields.PAYLOAD_TYPE, Fields.ACCESS_LEVEL, Fields.DERIVED_FROM,
        Fields.IS_DELETED, Fields.VERSION, Fields.CREATED_AT, Fields.UPDATED_AT, Fields.CREATED_BY,
        Fields.UPDATED_BY)) {
      required.add(name);
    }
    for (PayloadField field : type.fields()) {
      ObjectNode property = (ObjectNode) declared.get(field.name());
      if (!field.required()) {
        // Stored resources answer unset optional fields with null.
        JsonNode t = property.get("type");
        if (t != null && t.isTextual()) {
          property.putArray("type").add(t.asText()).add("null");
        }
        JsonNode values = property.get("enum");
        if (values instanceof ArrayNode array && !hasNull(array)) {
          array.addNull();
        }
      }
      props.set(field.name(), property);
      if (field.required()) {
        required.add(field.name());
      }
    }
    root.set("required", required);
    root.put("additionalProperties", false);
    if (type.isRoot()) {
      root.put(ROOT, true);
    }
    if (!type.parentTypes().isEmpty()) {
      ArrayNode parents = root.putArray(PARENT_TYPES);
      type.parentTypes().stream().sorted().forEach(parents::add);
    }
    return text(root);
  }

  private static boolean hasNull(ArrayNode array) {
    for (JsonNode value : array) {
      if (value.isNull()) {
        return true;
      }
    }
    return false;
  }

  private static void nullable(ObjectNode property, String type) {
    property.putArray("type").add(type).add("null");
  }

  /** Collects schema problems so one registration reports all of them. */
  private static final class Problems {
    private final String typeName;
    private final List<Violation> violations = new ArrayList<>();

    Problems(String typeName) {
      this.typeName = typeName;
    }

    void add(String field, String message) {
      violations.add(new Violation(null, field, "payload type '" + typeName + "': " + message));
    }

    ValidationException fail(String field, String message) {
      add(field, message);
      return new ValidationException(violations);
    }

    void throwIfAny() {
      if (!violations.isEmpty()) {
        throw new ValidationException(violations);
      }
    }
  }
}
