package io.vxdata.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.ChangeEntry;
import io.vxdata.ChangeOperation;
import io.vxdata.ChangesPage;
import io.vxdata.ValidationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of the change feed (docs/behaviour.md §14.2) as JSON, the answer of {@code GET /changes}:
 * {@code {"changes": [{"transaction_time", "identifier", "payload_type", "operation", "version",
 * "parent_identifier"}...], "next", "done", "limit"}}; a link change (operation {@code attached} or
 * {@code detached}) is {@code {"transaction_time", "operation", "link": {"relation", "from", "to"}}}.
 */
public final class ChangesJson {

  static final String CHANGES = "changes";
  static final String TRANSACTION_TIME = "transaction_time";
  static final String IDENTIFIER = "identifier";
  static final String PAYLOAD_TYPE = "payload_type";
  static final String OPERATION = "operation";
  static final String VERSION = "version";
  static final String PARENT_IDENTIFIER = "parent_identifier";
  static final String LINK = "link";
  static final String NEXT = "next";
  static final String DONE = "done";
  static final String LIMIT = "limit";

  private ChangesJson() {}

  /** The JSON of a page. */
  public static ObjectNode toJson(ChangesPage page) {
    ObjectNode node = Json.nodes().objectNode();
    ArrayNode changes = node.putArray(CHANGES);
    for (ChangeEntry e : page.changes()) {
      ObjectNode c = changes.addObject();
      c.put(TRANSACTION_TIME, Json.formatInstant(e.transactionTime()));
      if (e.isLinkChange()) {
        c.put(OPERATION, e.operation().wireName());
        c.set(LINK, RelationJson.toJson(e.link()));
        continue;
      }
      c.put(IDENTIFIER, e.identifier());
      c.put(PAYLOAD_TYPE, e.payloadType());
      c.put(OPERATION, e.operation().wireName());
      c.put(VERSION, e.version());
      Json.putNullable(c, PARENT_IDENTIFIER, e.parentIdentifier());
    }
    node.put(NEXT, page.next());
    node.put(DONE, page.done());
    node.put(LIMIT, page.limit());
    return node;
  }

  /**
   * The {@code operation} of an entry, of a link change only when {@code link}.
   *
   * @throws ValidationException naming it if it is none
   */
  static ChangeOperation operation(Members entry, boolean link) {
    try {
      ChangeOperation operation = ChangeOperation.ofWireName(entry.requiredString(OPERATION));
      if (!link || operation.isLinkChange()) {
        return operation;
      }
    } catch (IllegalArgumentException unknown) {
      // Said below.
    }
    throw entry.fail(OPERATION, link ? "is not an operation of a link" : "is not an operation of the change feed");
  }

  /**
   * Reads a page as {@link #toJson(ChangesPage)} wrote it.
   *
   * @param asOf the time the page was read at (the HTTP {@code VxData-As-Of} header)
   * @throws ValidationException if the JSON is not such a page
   */
  public static ChangesPage pageFromJson(JsonNode json, Instant asOf) {
    Members m = Members.object(json, "a page of changes", "", null);
    JsonNode changes = m.required(CHANGES);
    if (!changes.isArray()) {
      throw new ValidationException("expected a JSON array of changes, not %s", Members.describe(changes));
    }
    List<ChangeEntry> entries = new ArrayList<>(changes.size());
    for (JsonNode c : changes) {
      Members e = Members.object(c, "a change", CHANGES + ".", null);
      ChangeOperation operation = operation(e, false);
      if (operation.isLinkChange()) {
        entries.add(ChangeEntry.ofLink(e.instant(TRANSACTION_TIME), operation,
            RelationJson.linkFromJson(e.required(LINK), CHANGES + "." + LINK + ".")));
        continue;
      }
      Long version = e.longValue(VERSION);
      entries.add(ChangeEntry.ofVersion(e.instant(TRANSACTION_TIME), e.requiredString(IDENTIFIER),
          e.requiredString(PAYLOAD_TYPE), operation, version == null ? 0 : version, e.string(PARENT_IDENTIFIER)));
    }
    Boolean done = m.bool(DONE);
    Integer limit = m.integer(LIMIT);
    return new ChangesPage(entries, m.requiredString(NEXT), done != null && done,
        limit == null ? entries.size() : limit, asOf);
  }
}
