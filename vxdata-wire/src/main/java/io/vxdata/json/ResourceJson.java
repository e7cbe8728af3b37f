package io.vxdata.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.AccessLevel;
import io.vxdata.Fields;
import io.vxdata.NewResource;
import io.vxdata.Resource;
import io.vxdata.relation.Link;
import io.vxdata.ResourceUpdate;
import io.vxdata.ValidationException;
import io.vxdata.schema.PayloadField;
import io.vxdata.schema.PayloadType;
import io.vxdata.spi.Values;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Resources as flat JSON objects (docs/behaviour.md §2.1): metadata and payload fields side by side, snake_case,
 * {@code children} only when the read listed them, {@code can_edit} only when it was asked for
 * (docs/behaviour.md §13.4), timestamps in the {@link Json#formatInstant wire
 * format}, dates as {@code yyyy-mm-dd}, {@code access_level} by its wire name.
 */
public final class ResourceJson {

  /** Metadata keys a create body may carry besides payload fields. */
  private static final Set<String> CREATE_METADATA = Set.of(Fields.IDENTIFIER, Fields.PAYLOAD_TYPE,
      Fields.PARENT_IDENTIFIER, Fields.LICENSE, Fields.ACCESS_LEVEL, Fields.DERIVED_FROM);

  private ResourceJson() {}

  /**
   * The JSON object of a resource as reads return it; a {@linkplain Resource#project projected}
   * resource has only the fields it carries.
   */
  public static ObjectNode toJson(Resource r) {
    ObjectNode node = Json.nodes().objectNode();
    node.put(Fields.IDENTIFIER, r.identifier());
    if (r.has(Fields.PARENT_IDENTIFIER)) {
      Json.putNullable(node, Fields.PARENT_IDENTIFIER, r.parentIdentifier());
    }
    node.put(Fields.PAYLOAD_TYPE, r.payloadType());
    if (r.has(Fields.LICENSE)) {
      Json.putNullable(node, Fields.LICENSE, r.license());
    }
    if (r.has(Fields.ACCESS_LEVEL)) {
      node.put(Fields.ACCESS_LEVEL, r.accessLevel().wireName());
    }
    if (r.has(Fields.DERIVED_FROM)) {
      node.set(Fields.DERIVED_FROM, Json.strings(r.derivedFrom()));
    }
    if (r.has(Fields.IS_DELETED)) {
      node.put(Fields.IS_DELETED, r.isDeleted());
    }
    if (r.has(Fields.VERSION)) {
      node.put(Fields.VERSION, r.version());
    }
    if (r.has(Fields.CREATED_AT)) {
      Json.putNullable(node, Fields.CREATED_AT, r.createdAt() == null ? null : Json.formatInstant(r.createdAt()));
    }
    if (r.has(Fields.UPDATED_AT)) {
      Json.putNullable(node, Fields.UPDATED_AT, r.updatedAt() == null ? null : Json.formatInstant(r.updatedAt()));
    }
    if (r.has(Fields.CREATED_BY)) {
      Json.putNullable(node, Fields.CREATED_BY, r.createdBy());
    }
    if (r.has(Fields.UPDATED_BY)) {
      Json.putNullable(node, Fields.UPDATED_BY, r.updatedBy());
    }
    r.payload().forEach((field, value) -> node.set(field, Json.value(value)));
    r.children().ifPresent(children -> node.set(Fields.CHILDREN, Json.strings(children)));
    r.canEdit().ifPresent(canEdit -> node.put(Fields.CAN_EDIT, canEdit));
    r.links().ifPresent(links -> node.set(Fields.LINKS, RelationJson.toJson(links)));
    return node;
  }

  /** A JSON array of resources, in order. */
  public static ArrayNode toJson(List<Resource> resources) {
    ArrayNode array = Json.nodes().arrayNode();
    resources.forEach(r -> array.add(toJson(r)));
    return array;
  }

  /**
   * Writes the JSON object of {@link #toJson(Resource)} straight to {@code g}: the same text, key for
   * key, without building the tree.
   */
  public static void write(JsonGenerator g, Resource r) throws IOException {
    g.writeStartObject();
    g.writeStringField(Fields.IDENTIFIER, r.identifier());
    if (r.has(Fields.PARENT_IDENTIFIER)) {
      writeNullable(g, Fields.PARENT_IDENTIFIER, r.parentIdentifier());
    }
    g.writeStringField(Fields.PAYLOAD_TYPE, r.payloadType());
    if (r.has(Fields.LICENSE)) {
      writeNullable(g, Fields.LICENSE, r.license());
    }
    if (r.has(Fields.ACCESS_LEVEL)) {
      g.writeStringField(Fields.ACCESS_LEVEL, r.accessLevel().wireName());
    }
    if (r.has(Fields.DERIVED_FROM)) {
      writeStrings(g, Fields.DERIVED_FROM, r.derivedFrom());
    }
    if (r.has(Fields.IS_DELETED)) {
      g.writeBooleanField(Fields.IS_DELETED, r.isDeleted());
    }
    if (r.has(Fields.VERSION)) {
      g.writeNumberField(Fields.VERSION, r.version());
    }
    if (r.has(Fields.CREATED_AT)) {
      writeNullable(g, Fields.CREATED_AT, r.createdAt() == null ? null : Json.formatInstant(r.createdAt()));
    }
    if (r.has(Fields.UPDATED_AT)) {
      writeNullable(g, Fields.UPDATED_AT, r.updatedAt() == null ? null : Json.formatInstant(r.updatedAt()));
    }
    if (r.has(Fields.CREATED_BY)) {
      writeNullable(g, Fields.CREATED_BY, r.createdBy());
    }
    if (r.has(Fields.UPDATED_BY)) {
      writeNullable(g, Fields.UPDATED_BY, r.updatedBy());
    }
    for (Map.Entry<String, Object> e : r.payload().entrySet()) {
      g.writeFieldName(e.getKey());
      Json.writeValue(g, e.getValue());
    }
    if (r.children().isPresent()) {
      writeStrings(g, Fields.CHILDREN, r.children().get());
    }
    if (r.canEdit().isPresent()) {
      g.writeBooleanField(Fields.CAN_EDIT, r.canEdit().get());
    }
    if (r.links().isPresent()) {
      g.writeArrayFieldStart(Fields.LINKS);
      for (Link l : r.links().get()) {
        g.writeStartObject();
        g.writeStringField("relation", l.relation());
        g.writeStringField("from", l.from());
        g.writeStringField("to", l.to());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /** Writes the JSON array of {@link #toJson(List)} straight to {@code g}. */
  public static void write(JsonGenerator g, List<Resource> resources) throws IOException {
    g.writeStartArray();
    for (Resource r : resources) {
      write(g, r);
    }
    g.writeEndArray();
  }

  private static void writeNullable(JsonGenerator g, String key, String value) throws IOException {
    if (value == null) {
      g.writeNullField(key);
    } else {
      g.writeStringField(key, value);
    }
  }

  private static void writeStrings(JsonGenerator g, String key, List<String> values) throws IOException {
    g.writeArrayFieldStart(key);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  /**
   * Reads a resource as {@link #toJson(Resource)} wrote it, converting payload values to the
   * canonical Java types of its payload type ({@link Long}, {@link Double}, {@link Boolean},
   * {@link java.time.LocalDate}, {@link java.time.Instant}, lists of those). Payload fields keep the
   * type's order; fields absent from the JSON (a query's {@code select_columns}) are left out. A key
   * the type does not know is kept with its plain JSON value.
   *
   * @param types looks up payload types by name; may return {@code null} for an unknown one, whose
   *     payload values are then kept as plain JSON values
   * @throws ValidationException if the JSON is not a resource object
   */
  public static Resource fromJson(JsonNode json, Function<String, PayloadType> types) {
    Members m = Members.object(json, "a resource", "", null);
    String identifier = m.requiredString(Fields.IDENTIFIER);
    m = Members.object(json, "a resource", "", identifier);
    String payloadType = m.requiredString(Fields.PAYLOAD_TYPE);
    String accessLevel = m.string(Fields.ACCESS_LEVEL);
    List<String> derivedFrom = m.strings(Fields.DERIVED_FROM);
    Boolean deleted = m.bool(Fields.IS_DELETED);
    Long version = m.longValue(Fields.VERSION);
    PayloadType type = types.apply(payloadType);
    Map<String, Object> payload = new LinkedHashMap<>();
    if (type != null) {
      for (PayloadField field : type.fields()) {
        if (json.has(field.name())) {
          payload.put(field.name(), canonical(field, json.get(field.name()), identifier));
        }
      }
    }
    for (Map.Entry<String, JsonNode> e : json.properties()) {
      if (!Fields.RESERVED.contains(e.getKey()) && !e.getKey().equals(Fields.LINKS) && !payload.containsKey(e.getKey())) {
        payload.put(e.getKey(), Json.plainValue(e.getValue()));
      }
    }
    return new Resource(identifier, m.string(Fields.PARENT_IDENTIFIER), payloadType, m.string(Fields.LICENSE),
        accessLevel == null ? AccessLevel.DEFAULT : parseAccessLevel(accessLevel, identifier),
        derivedFrom == null ? List.of() : derivedFrom, deleted != null && deleted, version == null ? 0 : version,
        m.instant(Fields.CREATED_AT), m.instant(Fields.UPDATED_AT), m.string(Fields.CREATED_BY),
        m.string(Fields.UPDATED_BY), payload,
        Optional.ofNullable(m.strings(Fields.CHILDREN)), Optional.empty(), Optional.ofNullable(m.bool(Fields.CAN_EDIT)),
        Optional.ofNullable(m.get(Fields.LINKS)).map(links -> RelationJson.linksFromJson(links, Fields.LINKS)));
  }

  /**
   * Reads the JSON text of an array of resources straight into resources, without a tree: the same
   * resources as {@link #listFromJson(JsonNode, Function)} of the parsed text, and for text that is not
   * such an array, or holds a value that path rejects, the same exception (that path then reads it).
   *
   * @throws MalformedJsonException if the text is not one well-formed JSON value
   * @throws ValidationException if it is not an array of resources
   */
  public static List<Resource> listFromJson(byte[] json, Function<String, PayloadType> types) {
    List<Resource> read = StreamingReader.resources(json, types);
    return read != null ? read : listFromJson(Json.parse(json), types);
  }

  /** Reads a JSON array of resources; see {@link #fromJson(JsonNode, Function)}. */
  public static List<Resource> listFromJson(JsonNode json, Function<String, PayloadType> types) {
    if (json == null || !json.isArray()) {
      throw new ValidationException("expected a JSON array of resources, not %s", Members.describe(json));
    }
    List<Resource> out = new java.util.ArrayList<>(json.size());
    json.forEach(node -> out.add(fromJson(node, types)));
    return out;
  }

  private static Object canonical(PayloadField field, JsonNode node, String identifier) {
    Object plain = Json.plainValue(node);
    if (plain == null) {
      return null;
    }
    try {
      return field.list() ? Values.coerceList(field.type(), plain) : Values.coerce(field.type(), plain);
    } catch (IllegalArgumentException e) {
      throw ValidationException.of(identifier, field.name(), "%s", e.getMessage());
    }
  }

  private static AccessLevel parseAccessLevel(String text, String identifier) {
    try {
      return AccessLevel.parse(text);
    } catch (IllegalArgumentException e) {
      throw ValidationException.of(identifier, Fields.ACCESS_LEVEL, "%s", e.getMessage());
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Create

  /** The JSON object of a resource to create (AnyCreate): metadata and payload side by side. */
  public static ObjectNode toJson(NewResource r) {
    ObjectNode node = Json.nodes().objectNode();
    node.put(Fields.IDENTIFIER, r.identifier());
    node.put(Fields.PAYLOAD_TYPE, r.payloadType());
    if (r.parentIdentifier() != null) {
      node.put(Fields.PARENT_IDENTIFIER, r.parentIdentifier());
    }
    if (r.license() != null) {
      node.put(Fields.LICENSE, r.license());
    }
    node.put(Fields.ACCESS_LEVEL, r.accessLevel().wireName());
    if (!r.derivedFrom().isEmpty()) {
      node.set(Fields.DERIVED_FROM, Json.strings(r.derivedFrom()));
    }
    r.payload().forEach((field, value) -> node.set(field, payloadValue(r.identifier(), field, value)));
    return node;
  }

  /**
   * Reads a resource to create (AnyCreate). The metadata keys are type-checked here; every other key
   * is a payload field, passed on with its plain JSON value for the store to validate against the
   * payload type.
   *
   * @throws ValidationException naming the identifier and field if a metadata key has the wrong JSON
   *     type, or a key the store assigns ({@code version}, {@code created_at}, …) is given
   */
  public static NewResource newResourceFromJson(JsonNode json) {
    Members first = Members.object(json, "a resource to create", "", null);
    JsonNode idNode = first.get(Fields.IDENTIFIER);
    String identifier = idNode != null && idNode.isTextual() ? idNode.asText() : null;
    Members m = Members.object(json, "a resource to create", "", identifier);
    String id = m.string(Fields.IDENTIFIER);
    String payloadType = m.string(Fields.PAYLOAD_TYPE);
    String accessLevel = m.string(Fields.ACCESS_LEVEL);
    Map<String, Object> payload = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : json.properties()) {
      String key = e.getKey();
      if (CREATE_METADATA.contains(key)) {
        continue;
      }
      if (Fields.RESERVED.contains(key)) {
        throw m.fail(key, "is assigned by the store and cannot be given when creating a resource");
      }
      payload.put(key, Json.plainValue(e.getValue()));
    }
    return new NewResource(id, payloadType, m.string(Fields.PARENT_IDENTIFIER), m.string(Fields.LICENSE),
        accessLevel == null ? null : parseAccessLevel(accessLevel, identifier), m.strings(Fields.DERIVED_FROM),
        payload);
  }

  // -----------------------------------------------------------------------------------------------
  // Update

  /** The JSON object of an update (AnyUpdate): the changed fields, {@code null} clearing one. */
  public static ObjectNode toJson(ResourceUpdate update, String identifier) {
    ObjectNode node = Json.nodes().objectNode();
    update.changes().forEach((field, value) -> node.set(field, payloadValue(identifier, field, value)));
    return node;
  }

  /**
   * Reads an update (AnyUpdate). Every key is passed on with its plain JSON value, an explicit
   * {@code null} clearing the field; the store validates names and values.
   *
   * @throws ValidationException naming the identifier if the update is not a JSON object
   */
  public static ResourceUpdate updateFromJson(JsonNode json, String identifier) {
    Members.object(json, "an update", "updates." + identifier, identifier);
    Map<String, Object> changes = new LinkedHashMap<>();
    json.properties().forEach(e -> changes.put(e.getKey(), Json.plainValue(e.getValue())));
    return new ResourceUpdate(changes);
  }

  private static JsonNode payloadValue(String identifier, String field, Object value) {
    try {
      return Json.value(value);
    } catch (IllegalArgumentException e) {
      throw ValidationException.of(identifier, field, "%s", e.getMessage());
    }
  }
}
