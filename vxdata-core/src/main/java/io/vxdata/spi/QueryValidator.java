package io.vxdata.spi;

import io.vxdata.AccessLevel;
import io.vxdata.Fields;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.query.Filter;
import io.vxdata.query.Operator;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.Scope;
import io.vxdata.query.SortKey;
import io.vxdata.query.SortOrder;
import io.vxdata.schema.FieldType;
import io.vxdata.schema.PayloadField;
import io.vxdata.schema.PayloadType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a {@link QueryRequest} against the payload type's schema (docs/behaviour.md §6) and converts filter values
 * to canonical Java types, so that backends compile only checked field names and typed values.
 */
public final class QueryValidator {

  /** Most values an {@code in} or {@code not in} list may hold. */
  public static final int MAX_IN_VALUES = 10_000;

  private QueryValidator() {}

  /**
   * A field a query can name: a metadata field or a payload field of the queried type.
   *
   * @param name the field name
   * @param type its scalar type ({@code access_level} is a {@link FieldType#STRING} whose canonical
   *     values are {@link AccessLevel}s, ordered public &lt; internal &lt; confidential &lt; restricted)
   * @param list whether it holds a list
   * @param metadata whether it is a metadata field
   * @param nullable whether stored values may be null
   */
  public record QueryField(String name, FieldType type, boolean list, boolean metadata, boolean nullable) {

    /** Whether this is {@code access_level}. */
    public boolean isAccessLevel() {
      return name.equals(Fields.ACCESS_LEVEL);
    }
  }

  /**
   * A checked query.
   *
   * @param type the queried payload type
   * @param filter the filter with canonical values, or {@code null}
   * @param parentIdentifier the scope's parent, or {@code null}
   * @param scope children or descendants of the parent
   * @param identifiers the identifier set, or {@code null}
   * @param payloadColumns the payload fields to return
   * @param selectColumns the fields a result carries besides {@code identifier} and
   *     {@code payload_type} (metadata or payload, each once), or {@code null} for every field
   * @param sort the order without the identifier tie-break; never empty
   * @param cursor the cursor text, or {@code null}
   * @param limit the page size
   * @param offset the number of matching rows skipped before the page (0: none)
   * @param asOf the requested time, or {@code null}
   * @param includeDeleted whether tombstones are included (docs/behaviour.md §14.3)
   * @param updatedSince only versions written strictly after this time, or {@code null}
   * @param includePermissions whether each result carries {@code can_edit} (docs/behaviour.md §13.4)
   */
  public record ValidQuery(PayloadType type, Filter filter, String parentIdentifier, Scope scope,
      List<String> identifiers, List<PayloadField> payloadColumns, List<String> selectColumns,
      List<CheckedSortKey> sort, String cursor, int limit, int offset, Instant asOf, boolean includeDeleted,
      Instant updatedSince, boolean includePermissions) {}

  /** A sort key whose field has been resolved. */
  public record CheckedSortKey(QueryField field, SortOrder order) {}

  private static final Map<String, QueryField> METADATA = Map.ofEntries(
      Map.entry(Fields.IDENTIFIER, new QueryField(Fields.IDENTIFIER, FieldType.STRING, false, true, false)),
      Map.entry(Fields.PARENT_IDENTIFIER, new QueryField(Fields.PARENT_IDENTIFIER, FieldType.STRING, false, true, true)),
      Map.entry(Fields.PAYLOAD_TYPE, new QueryField(Fields.PAYLOAD_TYPE, FieldType.STRING, false, true, false)),
      Map.entry(Fields.LICENSE, new QueryField(Fields.LICENSE, FieldType.STRING, false, true, true)),
      Map.entry(Fields.ACCESS_LEVEL, new QueryField(Fields.ACCESS_LEVEL, FieldType.STRING, false, true, false)),
      Map.entry(Fields.DERIVED_FROM, new QueryField(Fields.DERIVED_FROM, FieldType.STRING, true, true, false)),
      Map.entry(Fields.IS_DELETED, new QueryField(Fields.IS_DELETED, FieldType.BOOLEAN, false, true, false)),
      Map.entry(Fields.VERSION, new QueryField(Fields.VERSION, FieldType.INTEGER, false, true, false)),
      Map.entry(Fields.CREATED_AT, new QueryField(Fields.CREATED_AT, FieldType.DATE_TIME, false, true, false)),
      Map.entry(Fields.UPDATED_AT, new QueryField(Fields.UPDATED_AT, FieldType.DATE_TIME, false, true, false)),
      Map.entry(Fields.CREATED_BY, new QueryField(Fields.CREATED_BY, FieldType.STRING, false, true, false)),
      Map.entry(Fields.UPDATED_BY, new QueryField(Fields.UPDATED_BY, FieldType.STRING, false, true, false)));

  /** The field {@code name} of {@code type}, metadata fields included. */
  public static Optional<QueryField> resolve(PayloadType type, String name) {
    QueryField meta = METADATA.get(name);
    if (meta != null) {
      return Optional.of(meta);
    }
    return type.field(name).map(f -> new QueryField(f.name(), f.type(), f.list(), false, !f.required()));
  }

  /**
   * Checks a request whose payload type has been looked up.
   *
   * @throws ValidationException naming every problem: the field, operator or value at fault
   */
  public static ValidQuery validate(QueryRequest request, PayloadType type) {
    return validate(request, type, QueryRequest.DEFAULT_LIMIT, QueryRequest.MAX_LIMIT);
  }

  /**
   * Checks a request for {@link io.vxdata.VxData#scan}: the cursor is ignored, and {@code limit}
   * only caps the rows, with no maximum ({@link Integer#MAX_VALUE} when absent).
   *
   * @throws ValidationException as {@link #validate(QueryRequest, PayloadType)} does
   */
  public static ValidQuery validateScan(QueryRequest request, PayloadType type) {
    return validate(request.toBuilder().cursor(null).build(), type, Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  private static ValidQuery validate(QueryRequest request, PayloadType type, int defaultLimit, int maxLimit) {
    List<Violation> violations = new ArrayList<>();
    if (request.identifiers() != null) {
      Limits.checkCount(request.identifiers().size(), Limits.MAX_QUERY_IDENTIFIERS, "identifiers", "identifiers");
    }
    if (request.selectColumns() != null) {
      Limits.checkCount(request.selectColumns().size(), Limits.MAX_COLUMNS, "select_columns", "columns");
    }
    Limits.checkCount(request.sort().size(), Limits.MAX_COLUMNS, "sort_by", "sort keys");
    int[] size = request.filter() == null ? new int[2] : checkSize(request.filter());
    Filter filter = request.filter() == null ? null : check(request.filter(), type, violations);
    // After the conditions' own checks, so that one list over its limit is named as such.
    if (size[1] > Limits.MAX_FILTER_VALUES && violations.isEmpty()) {
      violations.add(new Violation(null, "filters", String.format(java.util.Locale.ROOT,
          "at most %,d filter values per request, not %,d", Limits.MAX_FILTER_VALUES, size[1])));
    }
    String parent = request.parentIdentifier();
    if (parent != null && !Identifiers.isValid(parent)) {
      violations.add(new Violation(parent, Fields.PARENT_IDENTIFIER, Identifiers.describeProblem(parent)));
    }
    if (request.identifiers() != null) {
      for (String id : request.identifiers()) {
        if (!Identifiers.isValid(id)) {
          violations.add(new Violation(id, "identifiers", Identifiers.describeProblem(id)));
        }
      }
    }
    List<PayloadField> columns = new ArrayList<>(type.fields());
    if (request.selectColumns() != null) {
      columns.clear();
      for (String name : new LinkedHashSet<>(request.selectColumns())) {
        Optional<QueryField> field = resolve(type, name);
        if (field.isEmpty()) {
          violations.add(new Violation(null, "select_columns", unknownField(type, name)));
        } else if (!field.get().metadata()) {
          columns.add(type.field(name).orElseThrow());
        }
      }
    }
    List<CheckedSortKey> sort = new ArrayList<>();
    List<SortKey> keys = request.sort().isEmpty() ? List.of(SortKey.desc(Fields.CREATED_AT)) : request.sort();
    Set<String> seen = new LinkedHashSet<>();
    for (SortKey key : keys) {
      Optional<QueryField> field = resolve(type, key.field());
      if (field.isEmpty()) {
        violations.add(new Violation(null, "sort_by", unknownField(type, key.field())));
      } else if (field.get().list()) {
        violations.add(new Violation(null, "sort_by", "cannot sort by list field '" + key.field() + "'"));
      } else if (!seen.add(key.field())) {
        violations.add(new Violation(null, "sort_by", "'" + key.field() + "' is listed twice"));
      } else {
        sort.add(new CheckedSortKey(field.get(), key.order()));
      }
    }
    int limit = request.limit() == null ? defaultLimit : request.limit();
    if (limit < 1 || limit > maxLimit) {
      violations.add(new Violation(null, "limit", "must be between 1 and " + maxLimit + ", not " + limit));
    }
    int offset = request.offset() == null ? 0 : request.offset();
    if (offset < 0 || offset > QueryRequest.MAX_OFFSET) {
      violations.add(new Violation(null, "offset", "must be between 0 and " + QueryRequest.MAX_OFFSET + ", not "
          + offset + "; page further with the cursor (next_cursor), whose pages cost the same at any depth"));
    } else if (offset > 0 && request.cursor() != null) {
      violations.add(new Violation(null, "offset", "give either offset or cursor, not both: a cursor continues "
          + "where its page ended"));
    }
    if (request.updatedSince() != null) {
      String problem = Limits.instantProblem(request.updatedSince());
      if (problem != null) {
        violations.add(new Violation(null, "updated_since", problem));
      }
    }
    WriteValidator.throwIfAny(violations);
    if (request.asOf().release().isPresent()) {
      // The store turns a release into its time before it validates; unresolved it would read the latest state.
      throw new IllegalArgumentException("resolve the release to its time before validating the query");
    }
    List<String> selected = request.selectColumns() == null ? null
        : List.copyOf(new LinkedHashSet<>(request.selectColumns()));
    return new ValidQuery(type, filter, parent, request.scope(), request.identifiers(), List.copyOf(columns),
        selected, List.copyOf(sort), request.cursor(), limit, offset, request.asOf().instant().orElse(null),
        request.includeDeleted(), request.updatedSince(), request.includePermissions());
  }

  /** Bounds the SQL a filter becomes: its depth and its conditions; returns the counts of conditions and values. */
  private static int[] checkSize(Filter filter) {
    int[] conditionsAndValues = new int[2];
    size(filter, 1, conditionsAndValues);
    Limits.checkCount(conditionsAndValues[0], Limits.MAX_FILTER_CONDITIONS, "filters", "filter conditions");
    return conditionsAndValues;
  }

  private static void size(Filter filter, int depth, int[] conditionsAndValues) {
    if (depth > Limits.MAX_FILTER_DEPTH) {
      throw ValidationException.of(null, "filters", "nests deeper than %d levels", Limits.MAX_FILTER_DEPTH);
    }
    if (filter instanceof Filter.And and) {
      and.filters().forEach(f -> size(f, depth + 1, conditionsAndValues));
    } else if (filter instanceof Filter.Or or) {
      or.filters().forEach(f -> size(f, depth + 1, conditionsAndValues));
    } else if (filter instanceof Filter.Not not) {
      size(not.filter(), depth + 1, conditionsAndValues);
    } else if (filter instanceof Filter.Related) {
      conditionsAndValues[0]++;
      conditionsAndValues[1]++;
    } else {
      conditionsAndValues[0]++;
      conditionsAndValues[1] += ((Filter.Condition) filter).value() instanceof List<?> list ? list.size() : 1;
    }
  }

  private static Filter check(Filter filter, PayloadType type, List<Violation> violations) {
    if (filter instanceof Filter.And and) {
      return new Filter.And(and.filters().stream().map(f -> check(f, type, violations)).toList());
    }
    if (filter instanceof Filter.Or or) {
      return new Filter.Or(or.filters().stream().map(f -> check(f, type, violations)).toList());
    }
    if (filter instanceof Filter.Not not) {
      return new Filter.Not(check(not.filter(), type, violations));
    }
    if (filter instanceof Filter.Related related) {
      // The relation itself is checked by the store, which knows the registered ones.
      String end = related.to() != null ? related.to() : related.from();
      if (!Identifiers.isValid(end)) {
        violations.add(new Violation(end, related.to() != null ? "related.to" : "related.from",
            Identifiers.describeProblem(end)));
      }
      return related;
    }
    Filter.Condition c = (Filter.Condition) filter;
    Optional<QueryField> resolved = resolve(type, c.field());
    if (resolved.isEmpty()) {
      violations.add(new Violation(null, c.field(), "filter on " + unknownField(type, c.field())));
      return c;
    }
    try {
      return new Filter.Condition(c.field(), c.op(), operand(resolved.get(), c.op(), c.value()));
    } catch (IllegalArgumentException e) {
      violations.add(new Violation(null, c.field(), "filter '" + c.op().symbol() + "': " + e.getMessage()));
      return c;
    }
  }

  /** The canonical operand of {@code op} on {@code field}; throws IllegalArgumentException saying what is wrong. */
  private static Object operand(QueryField field, Operator op, Object value) {
    if (op == Operator.NULL) {
      if (!(value instanceof Boolean)) {
        throw new IllegalArgumentException("the value must be true (is null) or false (is not null)");
      }
      return value;
    }
    if (op == Operator.CONTAINS) {
      if (!field.list()) {
        throw new IllegalArgumentException("'contains' applies to list fields only; '" + field.name()
            + "' is a " + describe(field));
      }
      return scalar(field, value);
    }
    if (field.list()) {
      throw new IllegalArgumentException("'" + field.name() + "' is a list; use 'contains' or 'null'");
    }
    switch (op) {
      case BETWEEN -> {
        List<?> bounds = list(value, "[low, high]");
        if (bounds.size() != 2) {
          throw new IllegalArgumentException("the value must be [low, high], not " + bounds.size() + " values");
        }
        checkOrdered(field);
        return List.of(scalar(field, bounds.get(0)), scalar(field, bounds.get(1)));
      }
      case IN, NOT_IN -> {
        List<?> values = list(value, "a non-empty list");
        if (values.isEmpty()) {
          throw new IllegalArgumentException("the list of values is empty");
        }
        if (values.size() > MAX_IN_VALUES) {
          throw new IllegalArgumentException("at most " + MAX_IN_VALUES + " values, not " + values.size());
        }
        List<Object> out = new ArrayList<>(values.size());
        for (Object v : values) {
          out.add(scalar(field, v));
        }
        return List.copyOf(out);
      }
      case LIKE, ILIKE, REGEX -> {
        if (field.type() != FieldType.STRING || field.isAccessLevel()) {
          throw new IllegalArgumentException("applies to string fields only; '" + field.name() + "' is a "
              + describe(field));
        }
        if (!(value instanceof String pattern)) {
          throw new IllegalArgumentException("the pattern must be a string");
        }
        String problem = op == Operator.REGEX ? Patterns.regexProblem(pattern) : Patterns.likeProblem(pattern);
        if (problem != null) {
          throw new IllegalArgumentException(problem);
        }
        return pattern;
      }
      default -> {
        if (op.isOrdering()) {
          checkOrdered(field);
        }
        return scalar(field, value);
      }
    }
  }

  private static void checkOrdered(QueryField field) {
    if (field.type() == FieldType.BOOLEAN) {
      throw new IllegalArgumentException("booleans are not ordered; use = or !=");
    }
  }

  private static Object scalar(QueryField field, Object value) {
    if (value == null) {
      throw new IllegalArgumentException("the value is null; use the 'null' operator to test for null");
    }
    if (value instanceof List<?>) {
      throw new IllegalArgumentException("expected a single " + describe(field) + " value, got a list");
    }
    if (field.isAccessLevel()) {
      return value instanceof AccessLevel level ? level : AccessLevel.parse(String.valueOf(value));
    }
    if (field.type() == FieldType.DATE_TIME && value instanceof String s && s.length() == 10) {
      try {
        return Instants.parse(s, field.name());
      } catch (ValidationException e) {
        throw new IllegalArgumentException("expected an ISO 8601 date or date-time with offset, got '" + s + "'");
      }
    }
    Object coerced = Values.coerce(field.type(), value);
    String problem = coerced instanceof String s ? Limits.textProblem(s, false) : null;
    if (problem != null) {
      throw new IllegalArgumentException("the value " + problem);
    }
    return coerced;
  }

  private static List<?> list(Object value, String expected) {
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException("the value must be " + expected);
    }
    return list;
  }

  private static String describe(QueryField field) {
    String scalar = field.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    return field.list() ? "list of " + scalar : scalar;
  }

  private static String unknownField(PayloadType type, String name) {
    return "unknown field '" + name + "' for payload type '" + type.name() + "'; fields: " + Fields.METADATA
        + " and " + type.fieldNames();
  }
}
