package io.vxdata.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.Cascade;
import io.vxdata.NewResource;
import io.vxdata.AsOf;
import io.vxdata.ReadOptions;
import io.vxdata.Registration;
import io.vxdata.ResourceUpdate;
import io.vxdata.ValidationException;
import io.vxdata.WriteResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request bodies of the resource and registration routes (see the API surface), written by the
 * client and read strictly by the server: an unknown key or a wrong JSON type is a
 * {@link ValidationException} naming the key.
 */
public final class RequestJson {

  private RequestJson() {}

  /**
   * {@code POST /resources/read}: {@code {identifiers, as_of? | release?, exclude_children?, include_permissions?,
   * include_links?}}.
   *
   * @param identifiers the identifiers to read, in order
   * @param options when to read and whether to list children
   */
  public record Read(List<String> identifiers, ReadOptions options) {
    private static final Set<String> KEYS = Set.of("identifiers", "as_of", Json.RELEASE, "exclude_children",
        "include_permissions", "include_links");

    /** The JSON body; {@code as_of}, {@code exclude_children} and {@code include_permissions} only when set. */
    public ObjectNode toJson() {
      ObjectNode node = Json.nodes().objectNode();
      node.set("identifiers", Json.strings(identifiers));
      Json.putAsOf(node, options.asOf());
      if (options.excludeChildren()) {
        node.put("exclude_children", true);
      }
      if (options.includePermissions()) {
        node.put("include_permissions", true);
      }
      if (options.includeLinks()) {
        node.put("include_links", true);
      }
      return node;
    }

    /** Reads the body strictly. */
    public static Read fromJson(JsonNode json) {
      Members m = Members.of(json, "the request body", "", KEYS);
      List<String> ids = m.requiredStrings("identifiers");
      AsOf asOf = m.asOf("as_of", Json.RELEASE);
      boolean exclude = Boolean.TRUE.equals(m.bool("exclude_children"));
      boolean permissions = Boolean.TRUE.equals(m.bool("include_permissions"));
      boolean links = Boolean.TRUE.equals(m.bool("include_links"));
      return new Read(ids, new ReadOptions(asOf, exclude, permissions, links));
    }
  }

  /** {@code POST /resources/create}: {@code {resources: [AnyCreate…]}}. */
  public static ObjectNode createToJson(List<NewResource> resources) {
    ObjectNode node = Json.nodes().objectNode();
    var array = node.putArray("resources");
    resources.forEach(r -> array.add(ResourceJson.toJson(r)));
    return node;
  }

  /** Reads a create body strictly; each resource object is read by {@link ResourceJson#newResourceFromJson}. */
  public static List<NewResource> createFromJson(JsonNode json) {
    Members m = Members.of(json, "the request body", "", Set.of("resources"));
    JsonNode resources = m.required("resources");
    if (!resources.isArray()) {
      throw m.fail("resources", "must be a list of resources, not " + Members.describe(resources));
    }
    List<NewResource> out = new ArrayList<>(resources.size());
    resources.forEach(r -> out.add(ResourceJson.newResourceFromJson(r)));
    return out;
  }

  /** {@code POST /resources/update}: {@code {updates: {<identifier>: AnyUpdate}}}. */
  public static ObjectNode updateToJson(Map<String, ResourceUpdate> updates) {
    ObjectNode node = Json.nodes().objectNode();
    ObjectNode map = node.putObject("updates");
    updates.forEach((id, update) -> map.set(id, ResourceJson.toJson(update, id)));
    return node;
  }

  /** Reads an update body strictly, keeping the order of the identifiers. */
  public static Map<String, ResourceUpdate> updateFromJson(JsonNode json) {
    Members m = Members.of(json, "the request body", "", Set.of("updates"));
    JsonNode updates = m.required("updates");
    if (!updates.isObject()) {
      throw m.fail("updates", "must be an object of identifier to update, not " + Members.describe(updates));
    }
    Map<String, ResourceUpdate> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : updates.properties()) {
      out.put(e.getKey(), ResourceJson.updateFromJson(e.getValue(), e.getKey()));
    }
    return out;
  }

  /**
   * {@code POST /resources/delete}: {@code {identifiers, cascade?=true}}.
   *
   * @param identifiers the resources to tombstone
   * @param cascade whether their active subtrees go too
   */
  public record Delete(List<String> identifiers, Cascade cascade) {
    private static final Set<String> KEYS = Set.of("identifiers", "cascade");

    /** The JSON body; {@code cascade} only when it is not the default. */
    public ObjectNode toJson() {
      ObjectNode node = Json.nodes().objectNode();
      node.set("identifiers", Json.strings(identifiers));
      if (cascade == Cascade.RESTRICT) {
        node.put("cascade", false);
      }
      return node;
    }

    /** Reads the body strictly. */
    public static Delete fromJson(JsonNode json) {
      Members m = Members.of(json, "the request body", "", KEYS);
      List<String> ids = m.requiredStrings("identifiers");
      Boolean cascade = m.bool("cascade");
      return new Delete(ids, Boolean.FALSE.equals(cascade) ? Cascade.RESTRICT : Cascade.CASCADE);
    }
  }

  /** {@code POST /resources/restore}: {@code {identifiers}}. */
  public static ObjectNode identifiersToJson(List<String> identifiers) {
    ObjectNode node = Json.nodes().objectNode();
    node.set("identifiers", Json.strings(identifiers));
    return node;
  }

  /** Reads a {@code {identifiers}} body strictly. */
  public static List<String> identifiersFromJson(JsonNode json) {
    return Members.of(json, "the request body", "", Set.of("identifiers")).requiredStrings("identifiers");
  }

  /** {@code POST /resources/update-where}: {@code {payload_type, filter, set: {fields}, expect_at_most}}. */
  public static ObjectNode updateWhereToJson(io.vxdata.UpdateWhere request) {
    ObjectNode node = whereToJson(request.payloadType(), request.filter(), request.expectAtMost());
    ObjectNode set = node.putObject("set");
    request.set().forEach((field, value) -> set.set(field, Json.value(value)));
    return node;
  }

  /** Reads an update-where body strictly; {@code filter}, {@code set} and {@code expect_at_most} are required. */
  public static io.vxdata.UpdateWhere updateWhereFromJson(JsonNode json) {
    Members m = Members.of(json, "the request body", "", Set.of("payload_type", "filter", "set", "expect_at_most"));
    JsonNode set = m.required("set");
    if (!set.isObject()) {
      throw m.fail("set", "must be an object of field to value, not " + Members.describe(set));
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    set.properties().forEach(e -> fields.put(e.getKey(), Json.plainValue(e.getValue())));
    return new io.vxdata.UpdateWhere(m.string("payload_type"), FilterJson.parse(m.required("filter"), "filter"), fields,
        expectAtMost(m));
  }

  /** {@code POST /resources/delete-where}: {@code {payload_type, filter, cascade?=true, expect_at_most}}. */
  public static ObjectNode deleteWhereToJson(io.vxdata.DeleteWhere request) {
    ObjectNode node = whereToJson(request.payloadType(), request.filter(), request.expectAtMost());
    if (request.cascade() == Cascade.RESTRICT) {
      node.put("cascade", false);
    }
    return node;
  }

  /** Reads a delete-where body strictly; {@code filter} and {@code expect_at_most} are required. */
  public static io.vxdata.DeleteWhere deleteWhereFromJson(JsonNode json) {
    Members m = Members.of(json, "the request body", "", Set.of("payload_type", "filter", "cascade", "expect_at_most"));
    Boolean cascade = m.bool("cascade");
    return new io.vxdata.DeleteWhere(m.string("payload_type"), FilterJson.parse(m.required("filter"), "filter"),
        Boolean.FALSE.equals(cascade) ? Cascade.RESTRICT : Cascade.CASCADE, expectAtMost(m));
  }

  private static ObjectNode whereToJson(String payloadType, io.vxdata.query.Filter filter, long expectAtMost) {
    ObjectNode node = Json.nodes().objectNode();
    Json.putNullable(node, "payload_type", payloadType);
    if (filter != null) {
      node.set("filter", FilterJson.toJson(filter));
    }
    node.put("expect_at_most", expectAtMost);
    return node;
  }

  private static long expectAtMost(Members m) {
    Long value = m.longValue("expect_at_most");
    if (value == null) {
      throw m.fail("expect_at_most", "is required: the most resources the filter may match");
    }
    return value;
  }

  /**
   * The bodies of {@code /patients/register|resolve} ({@code {datasource_id, external_uid}}) and
   * {@code /studies/register|resolve} ({@code {patient_identifier, external_uid}}).
   *
   * @param parentKey {@code datasource_id} or {@code patient_identifier}
   * @param parent the datasource or patient identifier
   * @param externalUid the external uid
   */
  public record RegistrationKey(String parentKey, String parent, String externalUid) {
    /** The key naming the datasource of a patient registration. */
    public static final String DATASOURCE_ID = "datasource_id";
    /** The key naming the patient of a study registration. */
    public static final String PATIENT_IDENTIFIER = "patient_identifier";

    /** The JSON body. */
    public ObjectNode toJson() {
      ObjectNode node = Json.nodes().objectNode();
      Json.putNullable(node, parentKey, parent);
      Json.putNullable(node, "external_uid", externalUid);
      return node;
    }

    /** Reads the body strictly; both keys are required strings. */
    public static RegistrationKey fromJson(JsonNode json, String parentKey) {
      Members m = Members.of(json, "the request body", "", Set.of(parentKey, "external_uid"));
      return new RegistrationKey(parentKey, m.requiredString(parentKey), m.requiredString("external_uid"));
    }
  }

  /**
   * One item of the list form of {@code /patients/register} and {@code /studies/register}:
   * {@code {<datasource_id | patient_identifier>, external_uid, …other fields}}.
   *
   * @param parent the datasource or patient identifier
   * @param externalUid the external uid
   * @param fields the other fields (payload fields, {@code license}, {@code access_level},
   *     {@code derived_from}), as plain values
   */
  public record RegistrationItem(String parent, String externalUid, Map<String, Object> fields) {}

  /** The list form of a registration body: one object per item, the key first. */
  public static com.fasterxml.jackson.databind.node.ArrayNode registrationItemsToJson(String parentKey,
      List<RegistrationItem> items) {
    var array = Json.nodes().arrayNode();
    for (RegistrationItem item : items) {
      ObjectNode node = array.addObject();
      Json.putNullable(node, parentKey, item.parent());
      Json.putNullable(node, "external_uid", item.externalUid());
      item.fields().forEach((field, value) -> node.set(field, Json.value(value)));
    }
    return array;
  }

  /**
   * Reads the list form of a registration body strictly: a JSON array of objects, each with
   * {@code parentKey} and {@code external_uid} as strings; problems name the item ({@code [3].external_uid}).
   */
  public static List<RegistrationItem> registrationItemsFromJson(JsonNode json, String parentKey) {
    if (json == null || !json.isArray()) {
      throw ValidationException.of(null, null, "a batch registration is a JSON list of items, not %s",
          Members.describe(json));
    }
    List<RegistrationItem> items = new ArrayList<>(json.size());
    for (int i = 0; i < json.size(); i++) {
      Members m = Members.object(json.get(i), "an item", "[" + i + "]", null);
      Map<String, Object> fields = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : json.get(i).properties()) {
        if (!e.getKey().equals(parentKey) && !e.getKey().equals("external_uid")) {
          fields.put(e.getKey(), Json.plainValue(e.getValue()));
        }
      }
      items.add(new RegistrationItem(m.requiredString(parentKey), m.requiredString("external_uid"), fields));
    }
    return items;
  }

  /** A batch registration answer {@code {"identifiers": […], "committed_at": …}}. */
  public static ObjectNode registeredBatch(io.vxdata.RegistrationBatch batch) {
    ObjectNode node = Json.nodes().objectNode();
    node.set("identifiers", Json.strings(batch.identifiers()));
    return node.put(COMMITTED_AT, Json.formatInstant(batch.committedAt()));
  }

  /** Reads a batch registration answer. */
  public static io.vxdata.RegistrationBatch registeredBatchFromJson(JsonNode json) {
    List<String> ids = Members.object(json, "a registration answer", "", null).requiredStrings("identifiers");
    return new io.vxdata.RegistrationBatch(ids, committedAtFromJson(json));
  }

  /** A count answer such as {@code {"created": 3}}. */
  public static ObjectNode count(String key, long count) {
    return Json.nodes().objectNode().put(key, count);
  }

  /**
   * Reads a count answer such as {@code {"created": 3}}.
   *
   * @throws ValidationException if the key is missing or not an integer
   */
  public static long countFromJson(JsonNode json, String key) {
    Long value = Members.object(json, "a count", "", null).longValue(key);
    if (value == null) {
      throw ValidationException.of(null, key, "is missing from the answer %s", json);
    }
    return value;
  }

  /** The member of every write answer stating the time the write committed at (docs/behaviour.md §12.4). */
  public static final String COMMITTED_AT = "committed_at";

  /** A write answer such as {@code {"created": 3, "committed_at": "2026-01-02T03:04:05.123456Z"}}. */
  public static ObjectNode written(String key, WriteResult result) {
    return count(key, result.count()).put(COMMITTED_AT, Json.formatInstant(result.committedAt()));
  }

  /**
   * Reads a write answer such as {@code {"created": 3, "committed_at": …}}.
   *
   * @throws ValidationException if a member is missing or of the wrong type
   */
  public static WriteResult writtenFromJson(JsonNode json, String key) {
    long count = countFromJson(json, key);
    return new WriteResult(Math.toIntExact(count), committedAtFromJson(json));
  }

  /** A registration answer {@code {"identifier": …, "committed_at": …}}. */
  public static ObjectNode registered(Registration registration) {
    return identifier(registration.identifier())
        .put(COMMITTED_AT, Json.formatInstant(registration.committedAt()));
  }

  /** Reads a registration answer. */
  public static Registration registeredFromJson(JsonNode json) {
    return new Registration(identifierFromJson(json), committedAtFromJson(json));
  }

  private static Instant committedAtFromJson(JsonNode json) {
    Instant at = Members.object(json, "a write answer", "", null).instant(COMMITTED_AT);
    if (at == null) {
      throw ValidationException.of(null, COMMITTED_AT, "is missing from the answer %s", json);
    }
    return at;
  }

  /** An identifier answer {@code {"identifier": …}}. */
  public static ObjectNode identifier(String identifier) {
    return Json.nodes().objectNode().put("identifier", identifier);
  }

  /** Reads an identifier answer. */
  public static String identifierFromJson(JsonNode json) {
    return Members.object(json, "an identifier answer", "", null).requiredString("identifier");
  }

  /** A JSON array of strings. */
  public static com.fasterxml.jackson.databind.node.ArrayNode strings(List<String> values) {
    return Json.strings(values);
  }

  /** Reads a JSON array of strings, e.g. the answer of {@code GET /parents/{identifier}}. */
  public static List<String> stringsFromJson(JsonNode json) {
    ObjectNode wrapper = Json.nodes().objectNode();
    wrapper.set("answer", json);
    return Members.object(wrapper, "an answer", "", null).requiredStrings("answer");
  }
}
