package io.vxdata.jdbc.internal;

import io.vxdata.AccessLevel;
import io.vxdata.Fields;
import io.vxdata.query.Filter;
import io.vxdata.query.Scope;
import io.vxdata.query.SortOrder;
import io.vxdata.relation.RelationType;
import io.vxdata.schema.PayloadField;
import io.vxdata.schema.PayloadType;
import io.vxdata.spi.QueryValidator;
import io.vxdata.spi.QueryValidator.CheckedSortKey;
import io.vxdata.spi.QueryValidator.QueryField;
import io.vxdata.spi.QueryValidator.ValidQuery;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.jdbi.v3.core.argument.Argument;

/**
 * Compiles a checked query to SQL over one payload type's tables at one read time. Field names
 * reach the SQL only after {@link QueryValidator} resolved them against the schema, and then as
 * quoted column names; every value is a bind parameter.
 */
final class QuerySql {

  /** In place of a prefix length: the rows after the whole key. */
  private static final int WHOLE_KEY = -1;

  /**
   * The last commit time and catalog version, read in the statement's own snapshot (see {@link #alone}):
   * in a count's row, and on H2 in every row of a page (see {@link #commitInRows}).
   */
  private static final String COMMIT_COLUMNS = ", (SELECT last_tx FROM vx_meta WHERE id = 1) AS vx_last_tx"
      + ", (SELECT types_version FROM vx_meta WHERE id = 1) AS vx_types_version";
  /** The same two columns in a page's rows, empty there: the row after the page holds them. */
  private static final String NO_COMMIT_COLUMNS = ", CAST(NULL AS TIMESTAMP(6) WITH TIME ZONE) AS vx_last_tx,"
      + " CAST(NULL AS BIGINT) AS vx_types_version";

  private final ValidQuery query;
  private final TypeTable table;
  private final Catalog catalog;
  private final Dialect dialect;
  private final Visibility visibility;
  /**
   * Whether the statement runs alone, outside a snapshot: it then reads the last commit time and the
   * catalog version too, in its own snapshot of the database (see {@link Reading}).
   */
  private final boolean alone;
  private final List<CheckedSortKey> keys;
  /**
   * On H2, the link condition every row must meet, joined in the statements' FROM (pages and counts)
   * rather than tested in their WHERE; null when there is none, and on PostgreSQL.
   */
  private Filter.Related joinedLink;

  QuerySql(ValidQuery query, TypeTable table, Catalog catalog, Dialect dialect, Visibility visibility, boolean alone) {
    this.query = query;
    this.table = table;
    this.catalog = catalog;
    this.dialect = dialect;
    this.visibility = visibility;
    this.alone = alone;
    this.keys = keyset(query);
    this.joinedLink = dialect == Dialect.H2 ? topLevelLink(query.filter()) : null;
  }

  /**
   * A link condition that must hold for every row (the filter itself, or one of the filter's top-level
   * {@code and} terms): H2 joins it instead of testing it (see {@link #from}).
   */
  private static Filter.Related topLevelLink(Filter filter) {
    if (filter instanceof Filter.Related related) {
      return related;
    }
    if (filter instanceof Filter.And and) {
      for (Filter term : and.filters()) {
        if (term instanceof Filter.Related related) {
          return related;
        }
      }
    }
    return null;
  }

  /** The sort key of {@code query} including the identifier tie-break, in the direction of the last key. */
  static List<CheckedSortKey> keyset(ValidQuery query) {
    List<CheckedSortKey> keys = new ArrayList<>(query.sort());
    if (keys.stream().noneMatch(k -> k.field().name().equals(Fields.IDENTIFIER))) {
      SortOrder last = keys.get(keys.size() - 1).order();
      keys.add(new CheckedSortKey(QueryValidator.resolve(query.type(), Fields.IDENTIFIER).orElseThrow(), last));
    }
    return List.copyOf(keys);
  }

  /** The sort key of this query, see {@link #keyset(ValidQuery)}. */
  List<CheckedSortKey> keyset() {
    return keys;
  }

  /**
   * Whether a page carries {@code can_edit} (docs/behaviour.md §13.4), in a column after the payload columns of
   * {@link #selectedPayload()}.
   */
  boolean permissions() {
    return query.includePermissions();
  }

  /** Payload columns a page selects: the projection plus every payload sort field. */
  List<PayloadField> selectedPayload() {
    Set<PayloadField> fields = new LinkedHashSet<>(query.payloadColumns());
    for (CheckedSortKey key : query.sort()) {
      if (!key.field().metadata()) {
        fields.add(query.type().field(key.field().name()).orElseThrow());
      }
    }
    return List.copyOf(fields);
  }

  /**
   * One page: {@code rows} rows after {@code lastKey} (or from the start when null). When the
   * statement runs {@link #alone}, it also reads the last commit's time and the catalog version, in
   * two last columns: one statement reads one snapshot on both databases, so at
   * {@link Visibility#LAST_COMMIT} that is the time the page was read at, and at a fixed time it shows
   * that time final, without a transaction around it.
   *
   * <p>Those two columns are in one more row, with nulls elsewhere (its identifier is null), unless
   * {@link #commitInRows} says every row carries them: then an empty page has no row to carry them,
   * and {@code commitRow} asks for the extra row instead. (A union, not a join with the page as a
   * derived table: see the comment on derived tables in select().)
   */
  String page(List<Object> lastKey, int rows, List<Argument> args, boolean commitRow) {
    String with = with(args);
    if (!alone) {
      return with + select(lastKey, rows, args, "");
    }
    if (!commitRow && commitInRows(lastKey)) {
      return with + select(lastKey, rows, args, COMMIT_COLUMNS);
    }
    String page = select(lastKey, rows, args, NO_COMMIT_COLUMNS);
    String nulls = String.join(", ", Collections.nCopies(
        TypeTable.METADATA_COLUMNS.size() + selectedPayload().size() + (permissions() ? 1 : 0), "NULL"));
    return with + "(" + page + ") UNION ALL (SELECT " + nulls + ", last_tx, types_version FROM vx_meta WHERE id = 1)"
        + " ORDER BY " + orderBy();
  }

  /**
   * Whether a page read {@link #alone} after {@code lastKey} carries the commit columns in every row:
   * on H2, when the page is one {@code SELECT} (one table, one branch). H2 keeps a parsed and planned
   * statement for the next execution of the same SQL only if it is a single {@code SELECT}; a union
   * is parsed and planned again each time, which cost a small page a quarter of its time. The
   * columns are uncorrelated subqueries of the one-row {@code vx_meta}, cheap in each row.
   * PostgreSQL plans every execution anyway (see {@link Dialect}) and keeps the extra row.
   */
  boolean commitInRows(List<Object> lastKey) {
    return alone && dialect == Dialect.H2 && !split(lastKey) && visibility.visible(table).size() == 1;
  }

  /**
   * Whether the page after {@code lastKey} is a union of one branch per prefix of the key. H2 seeks a
   * multi-column index on a row comparison's first column only, and an exclusive bound on a column that
   * is not the index's last starts at the far end of the rows equal to it: a page after a key whose
   * created_at a whole create batch shares would rescan that batch. So on H2 each prefix of the key
   * gets a branch of its own, whose bound it seeks exactly (see afterPrefix()).
   */
  private boolean split(List<Object> lastKey) {
    return dialect == Dialect.H2 && lastKey != null && keys.size() > 1 && uniform(keys)
        && keys.subList(0, keys.size() - 1).stream().allMatch(k -> discrete(k.field()));
  }

  /**
   * The number of matching rows; when the statement runs {@link #alone}, then the last commit's time
   * and the catalog version, in the same row.
   */
  String count(List<Argument> args) {
    String with = with(args);
    return with + countSelect(alone ? COMMIT_COLUMNS : "", args);
  }

  private String select(List<Object> lastKey, int rows, List<Argument> args, String extraColumns) {
    List<String> columns = new ArrayList<>(TypeTable.METADATA_COLUMNS);
    selectedPayload().forEach(f -> columns.add(TypeTable.quote(f.name())));
    String select = String.join(", ", columns);
    boolean split = split(lastKey);
    List<String> branches = new ArrayList<>();
    List<Visibility.Branch> visible = visibility.visible(table);
    for (int seek : split ? IntStream.range(0, keys.size()).toArray() : new int[] {WHOLE_KEY}) {
      // In the past (current and history), each branch is ordered and cut on its own, so each can
      // walk an index in the keyset order and stop, instead of the union being sorted whole.
      int branchRows = split || visible.size() > 1 ? rows : 0;
      for (Visibility.Branch branch : visible) {
        // can_edit (docs/behaviour.md §13.4) after the payload columns, its arguments first: it is the first placeholder.
        String flag = permissions() ? ", " + visibility.editFlag(args) + " AS vx_can_edit" : "";
        branches.add(limited("SELECT " + select + flag + extraColumns + " FROM " + from(branch.table(), args) + " WHERE "
            + where(lastKey, keys, seek, args) + branch.and(args), branchRows, args, true));
      }
    }
    // A union is ordered as a whole, not wrapped in a derived table: H2 re-parses derived tables
    // from SQL it optimized, and fails on some (an ILIKE without wildcards becomes a cast it cannot
    // read back).
    String whole = limited(String.join(" UNION ALL ", branches), rows, args, false);
    // The offset (first pages only: the validator refuses it with a cursor) skips rows of the whole order.
    int offset = query.offset();
    if (offset == 0) {
      return whole;
    }
    args.add((i, st, ctx) -> st.setInt(i, offset));
    return whole + " OFFSET ?";
  }

  /**
   * {@code sql} ordered by the keyset and cut to {@code rows} rows, in parentheses when it is a
   * branch of a union; unchanged for a branch when {@code rows} is 0.
   */
  private String limited(String sql, int rows, List<Argument> args, boolean branch) {
    if (rows == 0) {
      return sql;
    }
    args.add((i, st, ctx) -> st.setInt(i, rows));
    String ordered = sql + " ORDER BY " + orderBy() + " LIMIT ?";
    return branch ? "(" + ordered + ")" : ordered;
  }

  /** The keyset order. */
  private String orderBy() {
    List<String> order = new ArrayList<>();
    for (CheckedSortKey key : keys) {
      if (!key.field().name().equals(Fields.PAYLOAD_TYPE)) {
        order.add(column(key.field()) + (key.order() == SortOrder.ASC ? " ASC" : " DESC"));
      }
    }
    return String.join(", ", order);
  }

  /**
   * The condition of the rows this query matches, visible ones only, for a statement over the current
   * table at the last commit (a write by filter, docs/behaviour.md §15.5). Appends its arguments.
   */
  String matching(List<Argument> args) {
    if (!visibility.latest() || descendants()) {
      throw new IllegalStateException("a write by filter matches current rows, without a subtree scope");
    }
    List<Visibility.Branch> branches = visibility.visible(table);
    joinedLink = null; // an UPDATE's condition stands alone: no FROM to join the links in
    return where(null, List.of(), WHOLE_KEY, args) + branches.get(0).and(args);
  }

  /** One count per branch of the visible versions, summed when there are several; then {@code extraColumns}. */
  private String countSelect(String extraColumns, List<Argument> args) {
    List<String> counts = new ArrayList<>();
    List<Visibility.Branch> branches = visibility.visible(table);
    for (Visibility.Branch branch : branches) {
      counts.add("SELECT COUNT(*)" + (branches.size() == 1 ? extraColumns : "") + " FROM " + from(branch.table(), args)
          + " WHERE " + where(null, List.of(), WHOLE_KEY, args) + branch.and(args));
    }
    return counts.size() == 1 ? counts.get(0)
        : "SELECT " + String.join(" + ", counts.stream().map(count -> "(" + count + ")").toList()) + extraColumns;
  }

  /**
   * For descendant scope: the part of the parent's subtree, as of the read time, that can hold
   * parents of the queried type, as a recursive CTE. The walk only visits tables of types that can
   * stand between the scope's root and such a parent (so a study query walks patients, never
   * studies or artefacts); with a single such table at the latest time the join seeks its parent
   * index directly.
   */
  private String with(List<Argument> args) {
    if (!descendants()) {
      return "";
    }
    args.add(Sql.text(query.parentIdentifier()));
    String anchor = "SELECT " + dialect.identifierParameter();
    List<TypeTable> walk = intermediateTypes();
    if (walk.isEmpty()) {
      return "WITH vx_subtree(vx_node) AS (" + anchor + ") ";
    }
    String step;
    if (visibility.latest() && walk.size() == 1) {
      step = "SELECT c.identifier FROM " + walk.get(0).current() + " c JOIN vx_subtree s "
          + "ON c.parent_identifier = s.vx_node" + (query.includeDeleted() ? "" : " WHERE NOT c.is_deleted");
    } else {
      List<String> nodes = new ArrayList<>();
      // The tree as it stood: nodes a reader may not see still lead to ones it may. With deleted
      // resources included, so do tombstones (docs/behaviour.md §14.3).
      for (TypeTable t : walk) {
        for (Visibility.Branch branch : visibility.validAt(t)) {
          nodes.add("SELECT identifier, parent_identifier FROM " + branch.table() + " WHERE "
              + (query.includeDeleted() ? "TRUE" : "NOT is_deleted") + branch.and(args));
        }
      }
      // One reference to the CTE in the recursive term: PostgreSQL allows no more.
      step = "SELECT n.identifier FROM (" + String.join(" UNION ALL ", nodes) + ") n "
          + "JOIN vx_subtree s ON n.parent_identifier = s.vx_node";
    }
    return "WITH RECURSIVE vx_subtree(vx_node) AS (" + anchor + " UNION ALL " + step + ") ";
  }

  /**
   * The types whose resources can lie strictly between a scope's root and the parent of a resource
   * of the queried type: every type that can, transitively, be a parent of the queried type, except
   * roots (which have no parent, so cannot be inside a subtree).
   */
  private List<TypeTable> intermediateTypes() {
    Set<String> ancestors = new LinkedHashSet<>();
    java.util.Deque<PayloadType> todo = new java.util.ArrayDeque<>(List.of(query.type()));
    while (!todo.isEmpty()) {
      PayloadType t = todo.pop();
      Set<String> parents = t.isRoot() ? Set.of()
          : t.parentTypes().isEmpty() ? catalog.tables().keySet() : t.parentTypes();
      for (String parent : parents) {
        TypeTable table = catalog.table(parent);
        if (table != null && ancestors.add(parent)) {
          todo.push(table.type());
        }
      }
    }
    return ancestors.stream().map(catalog::table).filter(t -> !t.type().isRoot()).toList();
  }

  /**
   * A table of the queried type; on H2, joined with the subtree for descendant scope, since H2 runs
   * the CTE of an {@code IN (SELECT ...)} again for every row. PostgreSQL gets the {@code IN} (see
   * where()): as a semi-join it probes the table's parent index once per subtree node, where a join
   * scans the whole table into a hash.
   */
  private String from(String tableName, List<Argument> args) {
    String from = descendants() && dialect == Dialect.H2
        ? tableName + " JOIN vx_subtree ON parent_identifier = vx_node" : tableName;
    if (joinedLink != null) {
      // H2 runs an IN (SELECT ...) of the links as a test of every row the order's index walks
      // (10-18 ms at 100,000 patients for a family of 100); joined, it seeks the link index, then the
      // table's key (under 1 ms). The derived table names one column, which no payload field can be named.
      from += " JOIN (SELECT DISTINCT " + linkEnds(joinedLink, args) + ") vx_r ON identifier = vx_r._vx_end";
    }
    return from;
  }

  private boolean descendants() {
    return query.parentIdentifier() != null && query.scope() == Scope.DESCENDANTS;
  }

  /**
   * The conditions of the request, and with {@code lastKey} those of the rows after it: all of them
   * ({@link #WHOLE_KEY}), or those that share the key's first {@code seek} values and come after it
   * in the next.
   */
  private String where(List<Object> lastKey, List<CheckedSortKey> keys, int seek, List<Argument> args) {
    List<String> terms = new ArrayList<>();
    if (!query.includeDeleted()) {
      terms.add("NOT is_deleted");
    }
    if (query.updatedSince() != null) {
      // docs/behaviour.md §14.3: a range on the current table's (updated_at, identifier) index.
      terms.add("updated_at > ?");
      args.add(Sql.time(query.updatedSince()));
    }
    if (descendants() && dialect == Dialect.POSTGRESQL) {
      terms.add("parent_identifier IN (SELECT vx_node FROM vx_subtree)");
    }
    if (query.parentIdentifier() != null && query.scope() == Scope.CHILDREN) {
      terms.add("parent_identifier = ?");
      args.add(Sql.text(query.parentIdentifier()));
    }
    if (query.identifiers() != null) {
      terms.add("identifier = ANY(?)");
      args.add(Sql.textArray(query.identifiers()));
    }
    if (query.filter() != null) {
      terms.add("(" + filter(query.filter(), args) + ")");
    }
    if (lastKey != null) {
      terms.add(seek == WHOLE_KEY ? after(keys, lastKey, args) : afterPrefix(keys, lastKey, seek, args));
    }
    return terms.isEmpty() ? "TRUE" : String.join(" AND ", terms);
  }

  private String filter(Filter filter, List<Argument> args) {
    if (filter instanceof Filter.And and) {
      return and.filters().isEmpty() ? "TRUE" : group(and.filters(), " AND ", args);
    }
    if (filter instanceof Filter.Or or) {
      return or.filters().isEmpty() ? "FALSE" : group(or.filters(), " OR ", args);
    }
    if (filter instanceof Filter.Not not) {
      return "NOT (" + filter(not.filter(), args) + ")";
    }
    if (filter instanceof Filter.Related related) {
      return related(related, args);
    }
    Filter.Condition c = (Filter.Condition) filter;
    QueryField field = QueryValidator.resolve(query.type(), c.field()).orElseThrow();
    String col = column(field);
    Object v = c.value();
    return switch (c.op()) {
      case EQ -> compare(col, "=", field, v, args);
      case NE -> compare(col, "<>", field, v, args);
      case LT -> compare(col, "<", field, v, args);
      case LE -> compare(col, "<=", field, v, args);
      case GT -> compare(col, ">", field, v, args);
      case GE -> compare(col, ">=", field, v, args);
      case BETWEEN -> {
        List<?> bounds = (List<?>) v;
        args.add(value(field, bounds.get(0)));
        args.add(value(field, bounds.get(1)));
        yield col + " BETWEEN ? AND ?";
      }
      case IN, NOT_IN -> {
        // One array parameter, not one per value: thousands of values in several conditions, and in
        // both branches of a query in the past, stay far below the drivers' parameter limits.
        args.add(valueArray(field, (List<?>) v));
        yield c.op() == io.vxdata.query.Operator.IN ? col + " = ANY(?)" : col + " <> ALL(?)";
      }
      case LIKE -> compare(col, "LIKE", field, v, args);
      case ILIKE -> compare(col, "ILIKE", field, v, args);
      case REGEX -> {
        args.add(Sql.text((String) v));
        yield dialect == Dialect.POSTGRESQL ? col + " ~ ?" : "REGEXP_LIKE(" + col + ", ?)";
      }
      case NULL -> col + (Boolean.TRUE.equals(v) ? " IS NULL" : " IS NOT NULL");
      case CONTAINS -> {
        args.add(value(field, v));
        yield "? = ANY(" + col + ")";
      }
    };
  }

  /**
   * A link condition (docs/behaviour.md §15.1): a semi-join on the link table, on its index from the named
   * end, with the links valid at the read time. A link valid then has both ends active then, so only
   * the named end's visibility is left to check: for a caller that may not see it, an uncorrelated
   * {@code EXISTS} makes the condition false, so no answer tells of its links. On H2 a link condition
   * every row must meet is joined instead ({@link #from}), and only that check is left here.
   */
  private String related(Filter.Related r, List<Argument> args) {
    RelationType relation = catalog.relation(r.relation());
    boolean to = r.to() != null;
    String named = to ? r.to() : r.from();
    String seen = null;
    if (!visibility.caller().system()) {
      TypeTable end = catalog.table(to ? relation.targetType() : relation.sourceType());
      seen = "EXISTS (" + visibility.select(end, "1", "identifier = ? AND NOT is_deleted", List.of(Sql.text(named)),
          args) + ")";
    }
    if (r == joinedLink) {
      return seen == null ? "TRUE" : seen; // the FROM joins the links
    }
    // Uncorrelated, so that PostgreSQL seeks the link index once and then the identifiers.
    return (seen == null ? "" : seen + " AND ") + "identifier IN (SELECT " + linkEnds(r, args) + ")";
  }

  /**
   * The identifiers at the other end of {@code r}'s links valid at the read time, as {@code _vx_end}
   * (no payload field starts with an underscore), from the link table's index on the named end: the
   * select list and the rest of a {@code SELECT}.
   */
  private String linkEnds(Filter.Related r, List<Argument> args) {
    boolean to = r.to() != null;
    args.add(Sql.text(catalog.relation(r.relation()).name()));
    args.add(Sql.text(to ? r.to() : r.from()));
    return "vx_l." + (to ? "source_id" : "target_id") + " AS _vx_end FROM vx_link vx_l WHERE vx_l.relation = ? AND vx_l."
        + (to ? "target_id" : "source_id") + " = ? AND " + Snapshot.linkValidity(visibility, "vx_l", args);
  }

  private String group(List<Filter> filters, String operator, List<Argument> args) {
    List<String> parts = new ArrayList<>();
    for (Filter f : filters) {
      parts.add("(" + filter(f, args) + ")");
    }
    return String.join(operator, parts);
  }

  private String compare(String col, String op, QueryField field, Object v, List<Argument> args) {
    args.add(value(field, v));
    return col + " " + op + " ?";
  }

  /**
   * Rows strictly after {@code lastKey} in the keyset order. Nulls sort high (last ascending,
   * first descending) on both databases, and the comparison spells that out, since a row
   * comparison would never match a null.
   */
  private String after(List<CheckedSortKey> keys, List<Object> lastKey, List<Argument> args) {
    if (uniform(keys)) {
      // One row comparison lets both databases seek an index on the sort columns.
      List<String> cols = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        cols.add(column(keys.get(i).field()));
        args.add(value(keys.get(i).field(), lastKey.get(i)));
      }
      String placeholders = String.join(", ", Collections.nCopies(keys.size(), "?"));
      return "(" + String.join(", ", cols) + ") " + (keys.get(0).order() == SortOrder.ASC ? ">" : "<")
          + " (" + placeholders + ")";
    }
    List<String> alternatives = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      List<String> conjunction = new ArrayList<>();
      List<Argument> termArgs = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        QueryField f = keys.get(j).field();
        Object v = lastKey.get(j);
        if (v == null) {
          conjunction.add(column(f) + " IS NULL");
        } else {
          conjunction.add(column(f) + " = ?");
          termArgs.add(value(f, v));
        }
      }
      CheckedSortKey key = keys.get(i);
      String col = column(key.field());
      Object v = lastKey.get(i);
      if (key.order() == SortOrder.ASC) {
        if (v == null) {
          continue; // nothing sorts after null ascending
        }
        conjunction.add(key.field().nullable() ? "(" + col + " > ? OR " + col + " IS NULL)" : col + " > ?");
      } else {
        conjunction.add(v == null ? col + " IS NOT NULL" : col + " < ?");
      }
      if (v != null) {
        termArgs.add(value(key.field(), v));
      }
      alternatives.add("(" + String.join(" AND ", conjunction) + ")");
      args.addAll(termArgs);
    }
    return alternatives.isEmpty() ? "FALSE" : "(" + String.join(" OR ", alternatives) + ")";
  }

  /** Whether the keys all sort one way and are never null, so that a row comparison orders them. */
  private static boolean uniform(List<CheckedSortKey> keys) {
    return keys.stream().allMatch(k -> k.order() == keys.get(0).order() && !k.field().nullable()
        && !k.field().name().equals(Fields.PAYLOAD_TYPE));
  }

  /**
   * Rows of a uniform keyset equal to {@code lastKey} in its first {@code seek} values and after it
   * in the next. Unless that is the last key, its bound is written inclusive of the adjacent value
   * (the next day, microsecond or integer), which H2 seeks past the rows equal to the key's value
   * instead of stepping over them.
   */
  private String afterPrefix(List<CheckedSortKey> keys, List<Object> lastKey, int seek, List<Argument> args) {
    List<String> terms = new ArrayList<>();
    for (int j = 0; j < seek; j++) {
      terms.add(column(keys.get(j).field()) + " = ?");
      args.add(value(keys.get(j).field(), lastKey.get(j)));
    }
    QueryField field = keys.get(seek).field();
    boolean ascending = keys.get(seek).order() == SortOrder.ASC;
    Object adjacent = seek == keys.size() - 1 ? null : adjacent(field, lastKey.get(seek), ascending);
    if (adjacent != null) {
      terms.add(column(field) + (ascending ? " >= ?" : " <= ?"));
      args.add(value(field, adjacent));
    } else {
      terms.add(column(field) + (ascending ? " > ?" : " < ?"));
      args.add(value(field, lastKey.get(seek)));
    }
    return "(" + String.join(" AND ", terms) + ")";
  }

  /** Whether the field's values are discrete in its column: days, microseconds or integers. */
  private static boolean discrete(QueryField field) {
    return !field.isAccessLevel() && switch (field.type()) {
      case DATE, DATE_TIME, INTEGER -> true;
      default -> false;
    };
  }

  /** The value next to {@code v} of a {@link #discrete} field in the given direction; null past the end. */
  private static Object adjacent(QueryField field, Object v, boolean up) {
    int step = up ? 1 : -1;
    return switch (field.type()) {
      case DATE -> ((LocalDate) v).plusDays(step);
      case DATE_TIME -> ((Instant) v).plus(step, ChronoUnit.MICROS);
      case INTEGER -> (Long) v == (up ? Long.MAX_VALUE : Long.MIN_VALUE) ? null : (Long) v + step;
      default -> null;
    };
  }

  /** The SQL expression of a checked field. */
  private String column(QueryField field) {
    if (field.name().equals(Fields.PAYLOAD_TYPE)) {
      return "'" + query.type().name() + "'";
    }
    return field.metadata() ? field.name() : TypeTable.quote(field.name());
  }

  /** A SQL array of canonical values of {@code field}. */
  private Argument valueArray(QueryField field, List<?> values) {
    if (field.isAccessLevel()) {
      Object[] ordinals = values.stream().map(x -> (short) ((AccessLevel) x).ordinal()).toArray();
      return (i, st, ctx) -> st.setArray(i, st.getConnection().createArrayOf("int2", ordinals));
    }
    return table.array(field.type(), values);
  }

  /** A bind argument for a canonical value of {@code field}. */
  private static Argument value(QueryField field, Object v) {
    if (field.isAccessLevel()) {
      short ordinal = (short) ((AccessLevel) v).ordinal();
      return (i, st, ctx) -> st.setShort(i, ordinal);
    }
    return TypeTable.scalar(field.type(), v);
  }
}
