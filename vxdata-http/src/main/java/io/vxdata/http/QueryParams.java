package io.vxdata.http;

import io.javalin.http.Context;
import io.vxdata.Fields;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.json.FilterJson;
import io.vxdata.json.Json;
import io.vxdata.json.MalformedJsonException;
import io.vxdata.query.Filter;
import io.vxdata.query.Operator;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.Scope;
import io.vxdata.query.SortKey;
import io.vxdata.query.SortOrder;
import io.vxdata.schema.FieldType;
import io.vxdata.schema.PayloadType;
import io.vxdata.spi.Instants;
import io.vxdata.spi.QueryValidator;
import io.vxdata.spi.QueryValidator.QueryField;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The GET forms of the query routes (docs/behaviour.md §15.4): the query string read into the same
 * {@link QueryRequest} that the JSON body of the POST forms becomes, which the store then checks alike.
 *
 * <p>Options are named as in the JSON body, but for {@code select} ({@code select_columns}, a comma list) and
 * {@code order} ({@code sort_by} and {@code sort_order} together: {@code field[.asc|.desc],…}). Every other
 * parameter names a field and filters it: {@code field=[not.]op.value}, repeatable; the conditions and
 * {@code filters} (the JSON filter form, for {@code or} and what has no parameter form) are and-ed in order.
 * Values are typed by the field's schema type (element type for lists): integer, number and boolean parsed
 * as such, everything else kept as text. Lists ({@code in}, {@code nin}, {@code between}) are written
 * {@code (a,b,…)}; an element in double quotes may hold commas and parentheses, with {@code \"} and
 * {@code \\} escaping inside.
 */
final class QueryParams {

  static final String FILTERS = "filters";
  static final String SELECT = "select";
  static final String ORDER = "order";
  static final String LIMIT = "limit";
  static final String OFFSET = "offset";

  /**
   * The options of {@code GET /query/count} and {@code GET /query/parquet}. A condition that is not on one
   * field (such as a relation) goes in {@code filters}; a parameter form of it joins this set.
   */
  static final Set<String> OPTIONS = Set.of(Fields.PAYLOAD_TYPE, FILTERS, Fields.PARENT_IDENTIFIER,
      "include_indirect_parents", "identifiers", SELECT, ORDER, "cursor", LIMIT, OFFSET, "as_of", Json.RELEASE,
      "include_deleted", "updated_since");

  /** The options of {@code GET /query}: {@link #OPTIONS} and {@code include_permissions}. */
  static final Set<String> PAGE_OPTIONS = with(OPTIONS, "include_permissions");

  /** The operators as parameters write them, in the order of {@link Operator}. */
  private static final Map<String, Operator> OPERATORS = new LinkedHashMap<>();

  static {
    OPERATORS.put("eq", Operator.EQ);
    OPERATORS.put("neq", Operator.NE);
    OPERATORS.put("lt", Operator.LT);
    OPERATORS.put("lte", Operator.LE);
    OPERATORS.put("gt", Operator.GT);
    OPERATORS.put("gte", Operator.GE);
    OPERATORS.put("between", Operator.BETWEEN);
    OPERATORS.put("in", Operator.IN);
    OPERATORS.put("nin", Operator.NOT_IN);
    OPERATORS.put("like", Operator.LIKE);
    OPERATORS.put("ilike", Operator.ILIKE);
    OPERATORS.put("regex", Operator.REGEX);
    OPERATORS.put("null", Operator.NULL);
    OPERATORS.put("contains", Operator.CONTAINS);
  }

  private QueryParams() {}

  private static Set<String> with(Set<String> set, String more) {
    Set<String> all = new HashSet<>(set);
    all.add(more);
    return Set.copyOf(all);
  }

  /** The parameter name of {@code op}, e.g. {@code gte} for {@code >=}. */
  static String name(Operator op) {
    return OPERATORS.entrySet().stream().filter(e -> e.getValue() == op).findFirst().orElseThrow().getKey();
  }

  /**
   * Reads the query string of a GET query route.
   *
   * @param options {@link #OPTIONS} or {@link #PAGE_OPTIONS}
   * @param types the registered payload types, which type the filter values
   * @throws ValidationException naming the parameter at fault: unknown, repeated, or malformed
   */
  static QueryRequest read(Context ctx, Set<String> options, Map<String, PayloadType> types) {
    String typeName = ctx.queryParam(Fields.PAYLOAD_TYPE);
    if (typeName == null) {
      // Before the other checks, which need the type's fields: the store says the same of a body without it.
      throw ValidationException.of(null, Fields.PAYLOAD_TYPE, "is required");
    }
    PayloadType type = types.get(typeName);
    if (type == null) {
      throw ValidationException.of(null, Fields.PAYLOAD_TYPE, "unknown payload type '%s'; registered: %s", typeName,
          new TreeSet<>(types.keySet()));
    }
    Set<String> fields = new HashSet<>(Fields.METADATA);
    type.fields().forEach(f -> fields.add(f.name()));
    fields.removeAll(options);
    Set<String> allowed = new HashSet<>(options);
    allowed.addAll(fields);
    HttpIo.queryParams(ctx, allowed, fields);

    List<Filter> conditions = new ArrayList<>();
    ctx.queryParamMap().forEach((name, values) -> {
      if (fields.contains(name)) {
        QueryField field = QueryValidator.resolve(type, name).orElseThrow();
        values.forEach(v -> conditions.add(condition(name, field, v)));
      }
    });
    String json = ctx.queryParam(FILTERS);
    if (json != null) {
      conditions.add(filtersParam(json));
    }
    Filter filter = conditions.isEmpty() ? null : conditions.size() == 1 ? conditions.get(0) : new Filter.And(conditions);
    return new QueryRequest(typeName, filter, ctx.queryParam(Fields.PARENT_IDENTIFIER),
        bool(ctx, "include_indirect_parents") ? Scope.DESCENDANTS : Scope.CHILDREN,
        list(ctx.queryParam("identifiers")), list(ctx.queryParam(SELECT)), order(ctx.queryParam(ORDER)),
        ctx.queryParam("cursor"), integer(ctx, LIMIT), integer(ctx, OFFSET), HttpIo.asOfParam(ctx),
        bool(ctx, "include_deleted"), instant(ctx, "updated_since"), bool(ctx, "include_permissions"));
  }

  /**
   * {@code check}, a store call with a request read here, whose validation errors name the parameters of
   * the GET form: {@code order} where the body's would name {@code sort_by}, {@code select} for
   * {@code select_columns}.
   */
  static <T> T checked(Supplier<T> check) {
    try {
      return check.get();
    } catch (ValidationException e) {
      List<Violation> renamed = e.violations().stream().map(v -> new Violation(v.identifier(),
          RENAMED.getOrDefault(v.field(), v.field()), v.message())).toList();
      ValidationException named = new ValidationException(renamed);
      named.addSuppressed(e);
      throw named;
    }
  }

  private static final Map<String, String> RENAMED = Map.of("sort_by", ORDER, "sort_order", ORDER,
      "select_columns", SELECT);

  /** A boolean parameter: {@code true} or {@code false}; absent is false. */
  static boolean bool(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null || text.equals("false")) {
      return false;
    }
    if (text.equals("true")) {
      return true;
    }
    throw ValidationException.of(null, name, "must be true or false, not '%s'", text);
  }

  private static Integer integer(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null) {
      return null;
    }
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      throw ValidationException.of(null, name, "must be a whole number, not '%s'", text);
    }
  }

  private static java.time.Instant instant(Context ctx, String name) {
    String text = ctx.queryParam(name);
    return text == null ? null : Instants.parse(text, name);
  }

  /** A comma list; the empty text is the empty list. */
  private static List<String> list(String text) {
    if (text == null) {
      return null;
    }
    return text.isEmpty() ? List.of() : List.of(text.split(",", -1));
  }

  /** {@code field[.asc|.desc],…}; without a direction, descending, as {@code sort_order}'s default. */
  private static List<SortKey> order(String text) {
    if (text == null) {
      return List.of();
    }
    if (text.isEmpty()) {
      throw ValidationException.of(null, ORDER, "must name at least one field, e.g. order=created_at.desc");
    }
    List<SortKey> keys = new ArrayList<>();
    for (String key : text.split(",", -1)) {
      int dot = key.lastIndexOf('.');
      String direction = dot < 0 ? "" : key.substring(dot + 1);
      if (direction.equals("asc") || direction.equals("desc")) {
        keys.add(new SortKey(key.substring(0, dot), SortOrder.parse(direction)));
      } else {
        keys.add(new SortKey(key, SortOrder.DESC));
      }
    }
    return keys;
  }

  private static Filter filtersParam(String json) {
    try {
      return FilterJson.parse(Json.parse(json));
    } catch (MalformedJsonException e) {
      throw ValidationException.of(null, FILTERS, "must be a filter in its JSON form: %s", e.getMessage());
    }
  }

  /** {@code [not.]op.value} on {@code field}. */
  private static Filter condition(String name, QueryField field, String text) {
    boolean negated = text.startsWith("not.");
    String rest = negated ? text.substring(4) : text;
    int dot = rest.indexOf('.');
    Operator op = dot < 0 ? null : OPERATORS.get(rest.substring(0, dot));
    if (op == null) {
      throw ValidationException.of(null, name, "'%s' is not [not.]op.value; write e.g. %s=eq.%s, with op one of %s",
          text, name, rest, String.join(", ", OPERATORS.keySet()));
    }
    String value = rest.substring(dot + 1);
    Filter condition = new Filter.Condition(name, op, value(name, field, op, value));
    return negated ? new Filter.Not(condition) : condition;
  }

  private static Object value(String name, QueryField field, Operator op, String text) {
    return switch (op) {
      case NULL -> switch (text) {
        case "true" -> true;
        case "false" -> false;
        default -> throw ValidationException.of(null, name, "null takes true or false, not '%s'", text);
      };
      case LIKE, ILIKE, REGEX -> text;
      case IN, NOT_IN, BETWEEN -> elements(name, text).stream().map(e -> typed(name, field.type(), e)).toList();
      default -> typed(name, field.type(), text);
    };
  }

  /** The text as a value of {@code type}: integers, numbers and booleans parsed, the rest as text. */
  private static Object typed(String name, FieldType type, String text) {
    try {
      return switch (type) {
        case INTEGER -> Long.valueOf(text);
        case NUMBER -> new BigDecimal(text).doubleValue();
        case BOOLEAN -> switch (text) {
          case "true" -> true;
          case "false" -> false;
          default -> throw new NumberFormatException();
        };
        default -> text;
      };
    } catch (NumberFormatException e) {
      throw ValidationException.of(null, name, "'%s' is not %s, the type of field '%s'", text,
          type == FieldType.INTEGER ? "an integer" : type == FieldType.NUMBER ? "a number" : "true or false", name);
    }
  }

  /** {@code (a,"b,c",…)}: the elements, unquoted. */
  static List<String> elements(String name, String text) {
    if (text.length() < 2 || text.charAt(0) != '(' || text.charAt(text.length() - 1) != ')') {
      throw ValidationException.of(null, name, "a list is written (a,b,…), not '%s'", text);
    }
    String inner = text.substring(1, text.length() - 1);
    List<String> out = new ArrayList<>();
    if (inner.isEmpty()) {
      return out;
    }
    StringBuilder element = new StringBuilder();
    int i = 0;
    while (true) {
      if (i < inner.length() && inner.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= inner.length()) {
            throw ValidationException.of(null, name, "a quoted list element is not closed in '%s'", text);
          }
          char c = inner.charAt(i++);
          if (c == '"') {
            break;
          }
          if (c == '\\' && i < inner.length()) {
            c = inner.charAt(i++);
          }
          element.append(c);
        }
        if (i < inner.length() && inner.charAt(i) != ',') {
          throw ValidationException.of(null, name, "a quoted list element ends at its closing quote, in '%s'", text);
        }
      } else {
        while (i < inner.length() && inner.charAt(i) != ',') {
          element.append(inner.charAt(i++));
        }
      }
      out.add(element.toString());
      element.setLength(0);
      if (i >= inner.length()) {
        return out;
      }
      i++; // the comma
    }
  }
}
