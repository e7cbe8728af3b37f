package io.vxdata.jdbc.internal;

import io.vxdata.AccessLevel;
import io.vxdata.Fields;
import io.vxdata.query.Filter;
import io.vxdata.query.Scope;
import io.vxdata.query.SortOrder;
import io.vxdata.schema.PayloadField;
import io.vxdata.schema.PayloadType;
import io.vxdata.spi.QueryValidator;
import io.vxdata.spi.QueryValidator.CheckedSortKey;
import io.vxdata.spi.QueryValidator.QueryField;
import io.vxdata.spi.QueryValidator.ValidQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.argument.Argument;

/**
 * Compiles a checked query to SQL over one payload type's tables at one read time. Field names
 * reach the SQL only after {@link QueryValidator} resolved them against the schema, and then as
 * quoted column names; every value is a bind parameter.
 */
final class QuerySql {

  private final ValidQuery query;
  private final TypeTable table;
  private final Catalog catalog;
  private final Dialect dialect;
  private final Instant at;
  private final boolean latest;

  /**
   * @param latest whether {@code at} is the latest commit time, so the current tables alone
   *     answer (the caller reads them in a snapshot taken together with that time)
   */
  QuerySql(ValidQuery query, TypeTable table, Catalog catalog, Dialect dialect, Instant at, boolean latest) {
    this.query = query;
    this.table = table;
    this.catalog = catalog;
    this.dialect = dialect;
    this.at = at;
    this.latest = latest;
  }

  /** The sort key including the identifier tie-break, in the direction of the last key. */
  List<CheckedSortKey> keyset() {
    List<CheckedSortKey> keys = new ArrayList<>(query.sort());
    if (keys.stream().noneMatch(k -> k.field().name().equals(Fields.IDENTIFIER))) {
      SortOrder last = keys.get(keys.size() - 1).order();
      keys.add(new CheckedSortKey(QueryValidator.resolve(query.type(), Fields.IDENTIFIER).orElseThrow(), last));
    }
    return keys;
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

  /** One page: {@code limit + 1} rows after {@code lastKey} (or from the start when null). */
  String page(List<Object> lastKey, int rows, List<Argument> args) {
    List<String> columns = new ArrayList<>(TypeTable.METADATA_COLUMNS);
    selectedPayload().forEach(f -> columns.add(TypeTable.quote(f.name())));
    String select = String.join(", ", columns);
    List<CheckedSortKey> keys = keyset();
    StringBuilder sql = new StringBuilder(with(args));
    if (latest) {
      sql.append("SELECT ").append(select).append(" FROM ").append(from(table.current()))
          .append(" WHERE ").append(where(lastKey, keys, args));
    } else {
      sql.append("SELECT * FROM (").append(versions(select, lastKey, keys, args)).append(") v");
    }
    sql.append(" ORDER BY ");
    List<String> order = new ArrayList<>();
    for (CheckedSortKey key : keys) {
      if (!key.field().name().equals(Fields.PAYLOAD_TYPE)) {
        order.add(column(key.field()) + (key.order() == SortOrder.ASC ? " ASC" : " DESC"));
      }
    }
    sql.append(String.join(", ", order)).append(" LIMIT ?");
    args.add((i, st, ctx) -> st.setInt(i, rows));
    return sql.toString();
  }

  /** The number of matching rows. */
  String count(List<Argument> args) {
    StringBuilder sql = new StringBuilder(with(args));
    if (latest) {
      sql.append("SELECT COUNT(*) FROM ").append(from(table.current())).append(" WHERE ").append(where(null, List.of(), args));
    } else {
      sql.append("SELECT COUNT(*) FROM (").append(versions("identifier", null, List.of(), args)).append(") v");
    }
    return sql.toString();
  }

  /** The versions valid at the read time, from current and history tables, each branch filtered. */
  private String versions(String select, List<Object> lastKey, List<CheckedSortKey> keys, List<Argument> args) {
    String current = "SELECT " + select + " FROM " + from(table.current()) + " WHERE " + where(lastKey, keys, args)
        + " AND updated_at <= ?";
    args.add(Sql.time(at));
    String history = "SELECT " + select + " FROM " + from(table.history()) + " WHERE " + where(lastKey, keys, args)
        + " AND updated_at <= ? AND _sys_to > ?";
    args.add(Sql.time(at));
    args.add(Sql.time(at));
    return current + " UNION ALL " + history;
  }

  /**
   * For descendant scope: the part of the parent's subtree, as of the read time, that can hold
   * parents of the queried type, as a recursive CTE. The walk only visits tables of types that can
   * stand between the scope's root and such a parent (so a study query walks patients, never
   * studies or artefacts); with a single such table at the latest time the join seeks its parent
   * index directly.
   */
  private String with(List<Argument> args) {
    if (query.parentIdentifier() == null || query.scope() != Scope.DESCENDANTS) {
      return "";
    }
    args.add(Sql.text(query.parentIdentifier()));
    String anchor = "SELECT " + dialect.identifierParameter();
    List<TypeTable> walk = intermediateTypes();
    if (walk.isEmpty()) {
      return "WITH vx_subtree(vx_node) AS (" + anchor + ") ";
    }
    String step;
    if (latest && walk.size() == 1) {
      step = "SELECT c.identifier FROM " + walk.get(0).current() + " c JOIN vx_subtree s "
          + "ON c.parent_identifier = s.vx_node WHERE NOT c.is_deleted";
    } else {
      List<String> nodes = new ArrayList<>();
      for (TypeTable t : walk) {
        if (latest) {
          nodes.add("SELECT identifier, parent_identifier FROM " + t.current() + " WHERE NOT is_deleted");
        } else {
          nodes.add("SELECT identifier, parent_identifier FROM " + t.current()
              + " WHERE NOT is_deleted AND updated_at <= ?");
          nodes.add("SELECT identifier, parent_identifier FROM " + t.history()
              + " WHERE NOT is_deleted AND updated_at <= ? AND _sys_to > ?");
          args.add(Sql.time(at));
          args.add(Sql.time(at));
          args.add(Sql.time(at));
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

  /** A table of the queried type, joined with the subtree for descendant scope. */
  private String from(String tableName) {
    return query.parentIdentifier() != null && query.scope() == Scope.DESCENDANTS
        ? tableName + " JOIN vx_subtree ON parent_identifier = vx_node" : tableName;
  }

  private String where(List<Object> lastKey, List<CheckedSortKey> keys, List<Argument> args) {
    List<String> terms = new ArrayList<>();
    terms.add("NOT is_deleted");
    // Descendant scope is a join in from(): as IN (SELECT ...), H2 runs the CTE again for every row.
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
      terms.add(after(keys, lastKey, args));
    }
    return String.join(" AND ", terms);
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
    boolean uniform = keys.stream().allMatch(k -> k.order() == keys.get(0).order() && !k.field().nullable()
        && !k.field().name().equals(Fields.PAYLOAD_TYPE));
    if (uniform) {
      // One row comparison lets both databases seek an index on the sort columns.
      List<String> cols = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        cols.add(column(keys.get(i).field()));
        args.add(value(keys.get(i).field(), lastKey.get(i)));
      }
      String placeholders = String.join(", ", java.util.Collections.nCopies(keys.size(), "?"));
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
