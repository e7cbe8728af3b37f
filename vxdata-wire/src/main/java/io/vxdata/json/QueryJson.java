package io.vxdata.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.Resource;
import io.vxdata.ValidationException;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.Scope;
import io.vxdata.query.SortKey;
import io.vxdata.query.SortOrder;
import io.vxdata.schema.PayloadType;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Queries (docs/behaviour.md §6, with {@code include_deleted} and {@code updated_since} of §14.3) as JSON: the {@code QueryRequest} body of {@code POST /query} and
 * {@code /query/count}, and the {@code {results, next_cursor, limit}} page.
 *
 * <p>{@code sort_by} is a field or a list of fields, {@code sort_order} {@code asc}/{@code desc} or a
 * list of them: one order applies to every field, a list gives one order per field (same length).
 */
public final class QueryJson {

  static final String PAYLOAD_TYPE = "payload_type";
  static final String FILTERS = "filters";
  static final String PARENT_IDENTIFIER = "parent_identifier";
  static final String INCLUDE_INDIRECT_PARENTS = "include_indirect_parents";
  static final String IDENTIFIERS = "identifiers";
  static final String SELECT_COLUMNS = "select_columns";
  static final String SORT_BY = "sort_by";
  static final String SORT_ORDER = "sort_order";
  static final String CURSOR = "cursor";
  static final String LIMIT = "limit";
  static final String OFFSET = "offset";
  static final String AS_OF = "as_of";
  static final String RELEASE = Json.RELEASE;
  static final String INCLUDE_DELETED = "include_deleted";
  static final String UPDATED_SINCE = "updated_since";
  static final String INCLUDE_PERMISSIONS = "include_permissions";

  /** Every key a QueryRequest body of {@code /query/count} and the Parquet export may hold. */
  public static final Set<String> REQUEST_KEYS = Set.of(PAYLOAD_TYPE, FILTERS, PARENT_IDENTIFIER,
      INCLUDE_INDIRECT_PARENTS, IDENTIFIERS, SELECT_COLUMNS, SORT_BY, SORT_ORDER, CURSOR, LIMIT, OFFSET, AS_OF,
      RELEASE, INCLUDE_DELETED, UPDATED_SINCE);

  /** Every key a {@code POST /query} body may hold: {@link #REQUEST_KEYS} and {@code include_permissions}. */
  public static final Set<String> PAGE_REQUEST_KEYS = with(REQUEST_KEYS, INCLUDE_PERMISSIONS);

  private static final String DEFAULT_SORT_FIELD = "created_at";

  private QueryJson() {}

  private static Set<String> with(Set<String> keys, String key) {
    Set<String> all = new java.util.HashSet<>(keys);
    all.add(key);
    return Set.copyOf(all);
  }

  /** The JSON body of a query; absent parts are left out. */
  public static ObjectNode toJson(QueryRequest q) {
    ObjectNode node = Json.nodes().objectNode();
    node.put(PAYLOAD_TYPE, q.payloadType());
    if (q.filter() != null) {
      node.set(FILTERS, FilterJson.toJson(q.filter()));
    }
    if (q.parentIdentifier() != null) {
      node.put(PARENT_IDENTIFIER, q.parentIdentifier());
    }
    if (q.scope() == Scope.DESCENDANTS) {
      node.put(INCLUDE_INDIRECT_PARENTS, true);
    }
    if (q.identifiers() != null) {
      node.set(IDENTIFIERS, Json.strings(q.identifiers()));
    }
    if (q.selectColumns() != null) {
      node.set(SELECT_COLUMNS, Json.strings(q.selectColumns()));
    }
    if (!q.sort().isEmpty()) {
      ArrayNode by = node.putArray(SORT_BY);
      ArrayNode order = node.putArray(SORT_ORDER);
      for (SortKey key : q.sort()) {
        by.add(key.field());
        order.add(key.order().wireName());
      }
    }
    if (q.cursor() != null) {
      node.put(CURSOR, q.cursor());
    }
    if (q.limit() != null) {
      node.put(LIMIT, q.limit());
    }
    if (q.offset() != null) {
      node.put(OFFSET, q.offset());
    }
    Json.putAsOf(node, q.asOf());
    if (q.includeDeleted()) {
      node.put(INCLUDE_DELETED, true);
    }
    if (q.updatedSince() != null) {
      node.put(UPDATED_SINCE, Json.formatInstant(q.updatedSince()));
    }
    if (q.includePermissions()) {
      node.put(INCLUDE_PERMISSIONS, true);
    }
    return node;
  }

  /**
   * Reads a QueryRequest body.
   *
   * @throws ValidationException naming the key for an unknown key, a wrong JSON type, a malformed
   *     filter, {@code as_of} or {@code updated_since}, or {@code sort_by} and {@code sort_order} lists of different lengths
   */
  public static QueryRequest fromJson(JsonNode json) {
    return fromJson(json, REQUEST_KEYS);
  }

  /**
   * Reads the body of {@code POST /query}: a QueryRequest that may also hold {@code include_permissions}
   * (docs/behaviour.md §13.4), which {@link #fromJson(JsonNode)} (count, export) rejects as an unknown key.
   *
   * @throws ValidationException as {@link #fromJson(JsonNode)}, and naming {@code include_permissions} when it
   *     is not a boolean
   */
  public static QueryRequest pageRequestFromJson(JsonNode json) {
    return fromJson(json, PAGE_REQUEST_KEYS);
  }

  private static QueryRequest fromJson(JsonNode json, Set<String> keys) {
    Members m = Members.of(json, "a query", "", keys);
    JsonNode filters = m.get(FILTERS);
    Boolean indirect = m.bool(INCLUDE_INDIRECT_PARENTS);
    return new QueryRequest(m.string(PAYLOAD_TYPE), filters == null ? null : FilterJson.parse(filters),
        m.string(PARENT_IDENTIFIER), Boolean.TRUE.equals(indirect) ? Scope.DESCENDANTS : Scope.CHILDREN,
        m.strings(IDENTIFIERS), m.strings(SELECT_COLUMNS), sort(m), m.string(CURSOR), m.integer(LIMIT),
        m.integer(OFFSET), m.asOf(AS_OF, RELEASE), Boolean.TRUE.equals(m.bool(INCLUDE_DELETED)), m.time(UPDATED_SINCE),
        Boolean.TRUE.equals(m.bool(INCLUDE_PERMISSIONS)));
  }

  private static List<SortKey> sort(Members m) {
    List<String> by = m.stringOrStrings(SORT_BY);
    List<String> orders = m.stringOrStrings(SORT_ORDER);
    if (by == null && orders == null) {
      return List.of();
    }
    if (by == null) {
      by = List.of(DEFAULT_SORT_FIELD);
    }
    if (by.isEmpty()) {
      throw m.fail(SORT_BY, "must name at least one field");
    }
    List<SortOrder> parsed = new ArrayList<>();
    if (orders != null) {
      for (int i = 0; i < orders.size(); i++) {
        try {
          parsed.add(SortOrder.parse(orders.get(i)));
        } catch (IllegalArgumentException e) {
          throw m.fail(orders.size() == 1 ? SORT_ORDER : SORT_ORDER + "[" + i + "]", e.getMessage());
        }
      }
    }
    if (parsed.size() > 1 && parsed.size() != by.size()) {
      throw m.fail(SORT_ORDER, "has " + parsed.size() + " entries but sort_by has " + by.size()
          + "; give one order for all fields or one per field");
    }
    List<SortKey> keys = new ArrayList<>(by.size());
    for (int i = 0; i < by.size(); i++) {
      SortOrder order = parsed.isEmpty() ? SortOrder.DESC : parsed.size() == 1 ? parsed.get(0) : parsed.get(i);
      keys.add(new SortKey(by.get(i), order));
    }
    return keys;
  }

  /** The JSON of a page: {@code {results, next_cursor, limit}}. */
  public static ObjectNode toJson(QueryPage page) {
    ObjectNode node = Json.nodes().objectNode();
    node.set("results", ResourceJson.toJson(page.results()));
    Json.putNullable(node, "next_cursor", page.nextCursor());
    node.put(LIMIT, page.limit());
    return node;
  }

  /**
   * Writes the JSON of {@link #toJson(QueryPage)} straight to {@code g}: the same text, without
   * building the tree.
   */
  public static void write(JsonGenerator g, QueryPage page) throws IOException {
    g.writeStartObject();
    g.writeFieldName("results");
    ResourceJson.write(g, page.results());
    if (page.nextCursor() == null) {
      g.writeNullField("next_cursor");
    } else {
      g.writeStringField("next_cursor", page.nextCursor());
    }
    g.writeNumberField(LIMIT, page.limit());
    g.writeEndObject();
  }

  /**
   * Reads the JSON text of a page straight into resources, without a tree: the same page as
   * {@link #pageFromJson(JsonNode, Instant, List, Function)} of the parsed text, and the same exception
   * for text that path rejects (it then reads it).
   *
   * @throws MalformedJsonException if the text is not one well-formed JSON value
   */
  public static QueryPage pageFromJson(byte[] json, Instant asOf, List<String> selectColumns,
      Function<String, PayloadType> types) {
    QueryPage page = StreamingReader.page(json, asOf, types);
    if (page == null) {
      return pageFromJson(Json.parse(json), asOf, selectColumns, types);
    }
    if (selectColumns == null) {
      return page;
    }
    return new QueryPage(page.results().stream().map(r -> r.project(selectColumns)).toList(), page.nextCursor(),
        page.limit(), asOf);
  }

  /**
   * Reads a page as {@link #toJson(QueryPage)} wrote it.
   *
   * @param asOf the time the page was read at (the HTTP {@code VxData-As-Of} header)
   * @param selectColumns the request's {@code select_columns}, or {@code null}: with them, every
   *     result is {@linkplain Resource#project projected} to them, as the server projected it
   * @param types looks up payload types by name, see {@link ResourceJson#fromJson}
   */
  public static QueryPage pageFromJson(JsonNode json, Instant asOf, List<String> selectColumns,
      Function<String, PayloadType> types) {
    Members m = Members.object(json, "a query page", "", null);
    List<Resource> results = ResourceJson.listFromJson(m.required("results"), types);
    if (selectColumns != null) {
      results = results.stream().map(r -> r.project(selectColumns)).toList();
    }
    Integer limit = m.integer(LIMIT);
    return new QueryPage(results, m.string("next_cursor"), limit == null ? results.size() : limit, asOf);
  }
}
