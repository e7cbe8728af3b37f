package io.vxdata.jdbc.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.Fields;
import io.vxdata.Resource;
import io.vxdata.ValidationException;
import io.vxdata.query.Filter;
import io.vxdata.query.QueryPage;
import io.vxdata.relation.RelationType;
import io.vxdata.query.QueryRequest;
import io.vxdata.schema.PayloadField;
import io.vxdata.spi.QueryValidator;
import io.vxdata.spi.FilterNodes;
import io.vxdata.spi.QueryValidator.CheckedSortKey;
import io.vxdata.spi.QueryValidator.QueryField;
import io.vxdata.spi.QueryValidator.ValidQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.jdbi.v3.core.argument.Argument;

/** Runs checked queries (docs/behaviour.md §6): pages with keyset cursors, and counts. */
final class Queries {

  /**
   * A request checked against its type; for a paged query that continues, with the cursor's position
   * (null otherwise) and the query's fingerprint, which the cursor was checked against (null
   * otherwise: a first page needs it only to issue a cursor, see {@link #fingerprint()}).
   */
  record Prepared(ValidQuery query, TypeTable table, String checkedFingerprint, Cursors.Position position) {

    /**
     * The query's fingerprint, for the next page's cursor: computed here for a first page, since most
     * answers fit one page and need none (it costs a JSON rendering and a hash).
     */
    String fingerprint() {
      return checkedFingerprint != null ? checkedFingerprint : Cursors.fingerprint(canonical(query));
    }

    /** The time the page reads at: the cursor's pinned time, else the requested one (null: latest). */
    Instant readAt() {
      return position != null ? position.pinnedAt() : query.asOf();
    }
  }

  private record Row(Resource resource, List<Object> key) {}

  /** Rows a scan fetches per round trip; the heap holds about this many at a time. */
  private static final int SCAN_FETCH_SIZE = 1000;

  private final Dialect dialect;
  private final Cursors cursors;

  Queries(Dialect dialect, Cursors cursors) {
    this.dialect = dialect;
    this.cursors = cursors;
  }

  /**
   * Checks {@code request} against the catalog's schema and opens its cursor.
   *
   * @throws ValidationException if the type is unknown, the request invalid or the cursor foreign
   */
  Prepared prepare(QueryRequest request, Catalog catalog, boolean withCursor) {
    return prepare(request, catalog, withCursor, false);
  }

  /** Checks a request for a scan: no cursor, and {@code limit} only caps the rows. */
  Prepared prepareScan(QueryRequest request, Catalog catalog) {
    return prepare(request, catalog, false, true);
  }

  private Prepared prepare(QueryRequest request, Catalog catalog, boolean withCursor, boolean scan) {
    if (request.payloadType() == null) {
      throw ValidationException.of(null, Fields.PAYLOAD_TYPE, "is required");
    }
    TypeTable table = catalog.table(request.payloadType());
    if (table == null) {
      throw ValidationException.of(null, Fields.PAYLOAD_TYPE, "unknown payload type '%s'; registered: %s",
          request.payloadType(), new TreeSet<>(catalog.tables().keySet()));
    }
    ValidQuery query = scan ? QueryValidator.validateScan(request, table.type())
        : QueryValidator.validate(request, table.type());
    if (query.filter() != null) {
      checkRelations(query.filter(), catalog, table.type().name());
    }
    String fingerprint = null;
    Cursors.Position position = null;
    if (withCursor && query.cursor() != null) {
      fingerprint = Cursors.fingerprint(canonical(query));
      List<QueryField> keyFields = QuerySql.keyset(query).stream().map(CheckedSortKey::field).toList();
      position = cursors.decode(query.cursor(), fingerprint, keyFields);
    }
    return new Prepared(query, table, fingerprint, position);
  }

  /**
   * Checks the link conditions of a filter (docs/behaviour.md §15.1) against the registered relations: the
   * relation must exist and link the queried type, as the source with {@code to}, as the target with
   * {@code from}.
   */
  private static void checkRelations(Filter filter, Catalog catalog, String queried) {
    if (filter instanceof Filter.And and) {
      and.filters().forEach(f -> checkRelations(f, catalog, queried));
    } else if (filter instanceof Filter.Or or) {
      or.filters().forEach(f -> checkRelations(f, catalog, queried));
    } else if (filter instanceof Filter.Not not) {
      checkRelations(not.filter(), catalog, queried);
    } else if (filter instanceof Filter.Related r) {
      RelationType relation = catalog.relation(r.relation());
      if (relation == null) {
        throw ValidationException.of(null, "related.relation", "unknown relation '%s'; registered: %s", r.relation(),
            new TreeSet<>(catalog.relations().keySet()));
      }
      boolean to = r.to() != null;
      String end = to ? relation.sourceType() : relation.targetType();
      if (!end.equals(queried)) {
        throw ValidationException.of(null, to ? "related.to" : "related.from",
            "relation '%s' links a %s to a %s: a query of %ss takes it with '%s', not '%s'", relation.name(),
            relation.sourceType(), relation.targetType(), queried,
            queried.equals(relation.targetType()) ? "from" : "neither to nor from", to ? "to" : "from");
      }
    }
  }

  /**
   * One page, in one statement (see {@link Reading}); alone, on H2, two when the page is empty and its
   * rows were to carry the commit time (see {@link QuerySql#commitInRows}).
   */
  Reading.Result<QueryPage> page(Prepared p, Reading r) {
    Reading.Result<List<Row>> read = rows(p, r, false);
    if (read == null) {
      read = rows(p, r, true);
    }
    return read.with(toPage(p, read.value(), read.at()));
  }

  /** The rows of a page and the time they were read at; null if alone they carried no commit time. */
  private Reading.Result<List<Row>> rows(Prepared p, Reading r, boolean commitRow) {
    ValidQuery q = p.query();
    QuerySql sql = new QuerySql(q, p.table(), r.catalog(), dialect, r.visibility(), r.alone());
    List<Argument> args = new ArrayList<>();
    String text = sql.page(lastKey(p), q.limit() + 1, args, commitRow);
    List<CheckedSortKey> keys = sql.keyset();
    List<PayloadField> payloadKeys = sql.selectedPayload();
    int flagColumn = sql.permissions() ? TypeTable.PAYLOAD_START + payloadKeys.size() : 0;
    int commitColumn = TypeTable.PAYLOAD_START + payloadKeys.size() + (flagColumn == 0 ? 0 : 1);
    boolean inRows = !commitRow && sql.commitInRows(lastKey(p));
    boolean[] returned = TypeTable.returnedColumns(payloadKeys, q.payloadColumns());
    return Sql.bindAll(r.handle().createQuery(text), args).scanResultSet((results, ctx) -> {
      List<Row> rows = new ArrayList<>(q.limit() + 1);
      Reading.Result<List<Row>> commit = r.alone() ? null : r.result(rows);
      ResultSet rs = results.get();
      while (rs.next()) {
        boolean data = rs.getString(1) != null;
        if (!data || (inRows && commit == null)) {
          commit = r.alone(rows, TypeTable.instant(rs, commitColumn), rs.getLong(commitColumn + 1));
        }
        if (data) {
          rows.add(row(rs, p.table(), returned, keys, payloadKeys, q.selectColumns(), flagColumn));
        }
      }
      return commit;
    });
  }

  private QueryPage toPage(Prepared p, List<Row> rows, Instant at) {
    int limit = p.query().limit();
    String next = null;
    if (rows.size() > limit) {
      next = cursors.encode(p.fingerprint(), at, rows.get(limit - 1).key());
      rows = rows.subList(0, limit);
    }
    return new QueryPage(rows.stream().map(Row::resource).toList(), next, limit, at);
  }

  private static List<Object> lastKey(Prepared p) {
    return p.position() == null ? null : p.position().lastKey();
  }

  /** Streams every row of a scan to {@code sink} through one statement read in fetch-size chunks. */
  void stream(Prepared p, Snapshot s, java.util.function.Consumer<? super Resource> sink) {
    ValidQuery q = p.query();
    QuerySql sql = new QuerySql(q, p.table(), s.catalog(), dialect, s.visibility(), false);
    List<Argument> args = new ArrayList<>();
    String text = sql.page(null, q.limit(), args, false);
    List<PayloadField> columns = sql.selectedPayload();
    boolean[] returned = TypeTable.returnedColumns(columns, q.payloadColumns());
    Sql.bindAll(s.handle().createQuery(text), args)
        .setFetchSize(SCAN_FETCH_SIZE)
        .map((rs, ctx) -> projected(p.table().map(rs, columns, returned), q.selectColumns()))
        .forEach(sink::accept);
  }

  /** The number of matching rows, in one statement (see {@link Reading}). */
  Reading.Result<Long> count(Prepared p, Reading r) {
    QuerySql sql = new QuerySql(p.query(), p.table(), r.catalog(), dialect, r.visibility(), r.alone());
    List<Argument> args = new ArrayList<>();
    String text = sql.count(args);
    return Sql.bindAll(r.handle().createQuery(text), args)
        .map((rs, ctx) -> r.alone() ? r.alone(rs.getLong(1), TypeTable.instant(rs, 2), rs.getLong(3))
            : r.result(rs.getLong(1)))
        .one();
  }

  /**
   * With {@code select_columns}, a resource carries only the selected fields (docs/behaviour.md §6.3). The statement
   * still reads every metadata column: the keyset and the mapping need them, and they cost little.
   */
  private static Resource projected(Resource r, List<String> selectColumns) {
    return selectColumns == null ? r : r.project(selectColumns);
  }

  private static Row row(ResultSet rs, TypeTable table, boolean[] returned, List<CheckedSortKey> keys,
      List<PayloadField> selected, List<String> selectColumns, int flagColumn) throws SQLException {
    Resource r = table.map(rs, selected, returned);
    if (flagColumn > 0) {
      r = r.withCanEdit(Optional.of(rs.getInt(flagColumn) == 1));
    }
    List<Object> key = new ArrayList<>(keys.size());
    for (CheckedSortKey k : keys) {
      String name = k.field().name();
      if (k.field().metadata()) {
        key.add(r.value(name));
      } else {
        int index = 0;
        while (!selected.get(index).name().equals(name)) {
          index++;
        }
        key.add(TypeTable.readField(rs, TypeTable.PAYLOAD_START + index, selected.get(index)));
      }
    }
    return new Row(projected(r, selectColumns), key);
  }

  /** Everything that defines a query's result set, in a canonical JSON form (limit and cursor excluded). */
  private static ObjectNode canonical(ValidQuery q) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode node = f.objectNode();
    node.put("payload_type", q.type().name());
    node.set("filter", q.filter() == null ? f.nullNode() : FilterNodes.toJson(q.filter()));
    node.put("parent", q.parentIdentifier());
    node.put("scope", q.scope().name());
    ArrayNode ids = node.putArray("identifiers");
    if (q.identifiers() != null) {
      q.identifiers().forEach(ids::add);
    } else {
      node.putNull("identifiers");
    }
    ArrayNode select = node.putArray("select");
    q.payloadColumns().forEach(c -> select.add(c.name()));
    ArrayNode sort = node.putArray("sort");
    q.sort().forEach(k -> sort.addArray().add(k.field().name()).add(k.order().wireName()));
    // Only when given, so that cursors issued before these options existed stay valid.
    if (q.includeDeleted()) {
      node.put("include_deleted", true);
    }
    if (q.updatedSince() != null) {
      node.put("updated_since", q.updatedSince().toString());
    }
    if (q.asOf() == null) {
      node.putNull("as_of");
    } else {
      node.put("as_of", q.asOf().toString());
    }
    return node;
  }
}
