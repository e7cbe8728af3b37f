package io.vxdata.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.HistoryEntry;
import io.vxdata.HistoryPage;
import io.vxdata.Resource;
import io.vxdata.ValidationException;
import io.vxdata.schema.PayloadType;
import io.vxdata.relation.LinkChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The history of one resource (docs/behaviour.md §14.1) as JSON, the answer of
 * {@code GET /resources/{identifier}/history}:
 * {@code {"versions": [{"version", "valid_from", "valid_to", "updated_by", "changed_fields",
 * "resource": {...}}...], "links": [{"transaction_time", "operation", "link": {"relation", "from", "to"},
 * "by"}...], "next_cursor", "limit"}}, both lists newest first. The version itself is nested under
 * {@code resource}, as reads return resources, so that no payload field can clash with the keys
 * around it.
 */
public final class HistoryJson {

  static final String VERSIONS = "versions";
  static final String VERSION = "version";
  static final String VALID_FROM = "valid_from";
  static final String VALID_TO = "valid_to";
  static final String UPDATED_BY = "updated_by";
  static final String CHANGED_FIELDS = "changed_fields";
  static final String RESOURCE = "resource";
  static final String LINKS = "links";
  static final String TRANSACTION_TIME = "transaction_time";
  static final String OPERATION = ChangesJson.OPERATION;
  static final String LINK = "link";
  static final String BY = "by";
  static final String NEXT_CURSOR = "next_cursor";
  static final String LIMIT = "limit";

  private HistoryJson() {}

  /** The JSON of a page of history. */
  public static ObjectNode toJson(HistoryPage page) {
    ObjectNode node = Json.nodes().objectNode();
    ArrayNode versions = node.putArray(VERSIONS);
    for (HistoryEntry e : page.versions()) {
      ObjectNode v = versions.addObject();
      v.put(VERSION, e.version());
      v.put(VALID_FROM, Json.formatInstant(e.validFrom()));
      Json.putNullable(v, VALID_TO, e.validTo() == null ? null : Json.formatInstant(e.validTo()));
      Json.putNullable(v, UPDATED_BY, e.updatedBy());
      v.set(CHANGED_FIELDS, Json.strings(e.changedFields()));
      v.set(RESOURCE, ResourceJson.toJson(e.resource()));
    }
    ArrayNode links = node.putArray(LINKS);
    for (LinkChange c : page.links()) {
      ObjectNode l = links.addObject();
      l.put(TRANSACTION_TIME, Json.formatInstant(c.transactionTime()));
      l.put(OPERATION, c.operation().wireName());
      l.set(LINK, RelationJson.toJson(c.link()));
      Json.putNullable(l, BY, c.by());
    }
    Json.putNullable(node, NEXT_CURSOR, page.nextCursor());
    node.put(LIMIT, page.limit());
    return node;
  }

  /**
   * Reads a page as {@link #toJson(HistoryPage)} wrote it.
   *
   * @param asOf the time the page was read at (the HTTP {@code VxData-As-Of} header)
   * @param types looks up payload types by name, see {@link ResourceJson#fromJson}
   * @throws ValidationException if the JSON is not such a page
   */
  public static HistoryPage pageFromJson(JsonNode json, Instant asOf, Function<String, PayloadType> types) {
    Members m = Members.object(json, "a history page", "", null);
    JsonNode versions = m.required(VERSIONS);
    if (!versions.isArray()) {
      throw new ValidationException("expected a JSON array of versions, not %s", Members.describe(versions));
    }
    List<HistoryEntry> entries = new ArrayList<>(versions.size());
    for (JsonNode v : versions) {
      Members e = Members.object(v, "a version", VERSIONS + ".", null);
      Resource resource = ResourceJson.fromJson(e.required(RESOURCE), types);
      Instant validFrom = e.instant(VALID_FROM);
      List<String> changed = e.strings(CHANGED_FIELDS);
      entries.add(new HistoryEntry(resource.withChildren(java.util.Optional.empty()),
          validFrom == null ? resource.updatedAt() : validFrom, e.instant(VALID_TO),
          changed == null ? List.of() : changed));
    }
    List<LinkChange> links = new ArrayList<>();
    JsonNode linksJson = m.get(LINKS);
    if (linksJson != null && !linksJson.isArray()) {
      throw new ValidationException("expected a JSON array of link changes, not %s", Members.describe(linksJson));
    }
    if (linksJson != null) {
      for (JsonNode c : linksJson) {
        Members e = Members.object(c, "a link change", LINKS + ".", null);
        links.add(new LinkChange(e.instant(TRANSACTION_TIME), ChangesJson.operation(e, true),
            RelationJson.linkFromJson(e.required(LINK), LINKS + "." + LINK + "."), e.string(BY)));
      }
    }
    Integer limit = m.integer(LIMIT);
    return new HistoryPage(entries, links, m.string(NEXT_CURSOR), limit == null ? entries.size() + links.size() : limit,
        asOf);
  }
}
