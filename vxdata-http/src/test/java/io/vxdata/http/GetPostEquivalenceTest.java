package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.AccessLevel;
import io.vxdata.NewResource;
import io.vxdata.ResourceUpdate;
import io.vxdata.json.Json;
import io.vxdata.json.QueryJson;
import io.vxdata.query.Filter;
import io.vxdata.query.Operator;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.SortKey;
import io.vxdata.query.SortOrder;
import io.vxdata.schema.PayloadType;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The GET forms answer exactly what the POST forms answer (docs/behaviour.md §15.4): random queries over
 * every option and every operator, each sent as a JSON body and as query parameters, to {@code /query},
 * {@code /query/count} and {@code /query/parquet}, give the same status, body and {@code VxData-As-Of};
 * a query with a next page is followed by its cursor in both forms. Text values hold the characters the
 * parameter syntax treats specially (commas, parentheses, quotes, backslashes, dots, {@code +}, {@code %},
 * {@code &}, spaces). A fixed seed per run keeps a failure reproducible: it is in the assertion message.
 */
class GetPostEquivalenceTest extends H2ServerTest {

  private static final String TYPE = "item";
  private static final String SCHEMA = """
      {"type": "object",
       "properties": {
         "label": {"type": "string"}, "count": {"type": "integer"}, "ratio": {"type": "number"},
         "flag": {"type": "boolean"}, "day": {"type": "string", "format": "date"},
         "taken_at": {"type": "string", "format": "date-time"}, "grade": {"type": "string", "enum": ["low", "high"]},
         "tags": {"type": "array", "items": {"type": "string"}}, "sizes": {"type": "array", "items": {"type": "integer"}}},
       "required": ["label"], "additionalProperties": false}
      """;
  private static final List<String> LABELS = List.of("plain", "a,b", "(paren)", "q\"uote", "back\\slash", "dot.ted",
      "sp ace", "plus+sign", "per%cent", "amp&and", "eq=sign", "in.(x,y)", "Ünïcode", "");
  private static final List<String> TAGS = List.of("x", "y,z", "(t)", "w\"");
  private static final int QUERIES = 120;

  private final long seed = System.nanoTime();
  private final Random random = new Random(seed);
  private final List<String> ids = new ArrayList<>();
  private Instant firstCommit;
  private Instant secondCommit;

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private void createData() {
    store.registerType(PayloadType.fromJsonSchema(TYPE, SCHEMA));
    store.create(List.of(NewResource.builder("datasource", "ds-1").set("name", "One").build(),
        NewResource.builder("datasource", "ds-2").set("name", "Two").build()));
    for (int batch = 0; batch < 3; batch++) {
      List<NewResource> items = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String id = String.format("it-%d-%02d", batch, i);
        ids.add(id);
        items.add(NewResource.builder(TYPE, id).parent(i % 3 == 0 ? "ds-2" : "ds-1").set("label", pick(LABELS))
            .set("count", maybe(() -> (long) random.nextInt(6))).set("ratio", maybe(() -> random.nextInt(5) / 2.0))
            .set("flag", maybe(random::nextBoolean))
            .set("day", maybe(() -> LocalDate.of(2024, 1, 1 + random.nextInt(5)).toString()))
            .set("taken_at", maybe(() -> "2024-01-0" + (1 + random.nextInt(5)) + "T12:00:00Z"))
            .set("grade", maybe(() -> pick(List.of("low", "high"))))
            .set("tags", maybe(() -> List.of(pick(TAGS), pick(TAGS))))
            .set("sizes", maybe(() -> List.of((long) random.nextInt(4))))
            .accessLevel(pick(List.of(AccessLevel.PUBLIC, AccessLevel.INTERNAL, AccessLevel.CONFIDENTIAL))).build());
      }
      store.create(items);
      if (batch == 0) {
        firstCommit = store.lastCommitTime();
      }
    }
    secondCommit = store.lastCommitTime();
    Map<String, ResourceUpdate> updates = new LinkedHashMap<>();
    for (int i = 0; i < 8; i++) {
      updates.put(pick(ids), ResourceUpdate.builder().set("label", pick(LABELS)).set("count", (long) random.nextInt(6))
          .build());
    }
    store.update(updates);
    store.delete(List.of(ids.get(3), ids.get(25), ids.get(47)));
  }

  private <T> T maybe(java.util.function.Supplier<T> value) {
    return random.nextInt(5) == 0 ? null : value.get();
  }

  // ---------------------------------------------------------------------------------------------
  // Random queries

  private Object scalar(String field) {
    return switch (field) {
      case "label", "tags" -> pick(field.equals("label") ? LABELS : TAGS);
      case "count", "sizes", "version" -> (long) random.nextInt(6);
      case "ratio" -> random.nextInt(5) / 2.0;
      case "flag", "is_deleted" -> random.nextBoolean();
      case "day" -> LocalDate.of(2024, 1, 1 + random.nextInt(5)).toString();
      case "taken_at" -> "2024-01-0" + (1 + random.nextInt(5)) + "T12:00:00Z";
      case "grade" -> pick(List.of("low", "high"));
      case "identifier" -> pick(ids);
      case "access_level" -> pick(List.of("public", "internal", "confidential"));
      case "created_at", "updated_at" -> Json.formatInstant(random.nextBoolean() ? firstCommit : secondCommit);
      default -> throw new IllegalArgumentException(field);
    };
  }

  private static final Map<String, List<Operator>> OPS = Map.ofEntries(
      Map.entry("label", List.of(Operator.EQ, Operator.NE, Operator.LT, Operator.GE, Operator.IN, Operator.NOT_IN,
          Operator.LIKE, Operator.ILIKE, Operator.REGEX, Operator.NULL)),
      Map.entry("count", List.of(Operator.EQ, Operator.NE, Operator.LT, Operator.LE, Operator.GT, Operator.GE,
          Operator.BETWEEN, Operator.IN, Operator.NOT_IN, Operator.NULL)),
      Map.entry("ratio", List.of(Operator.EQ, Operator.GT, Operator.LE, Operator.BETWEEN, Operator.NULL)),
      Map.entry("flag", List.of(Operator.EQ, Operator.NE, Operator.NULL)),
      Map.entry("day", List.of(Operator.EQ, Operator.GE, Operator.LT, Operator.BETWEEN, Operator.IN, Operator.NULL)),
      Map.entry("taken_at", List.of(Operator.GE, Operator.LT, Operator.NULL)),
      Map.entry("grade", List.of(Operator.EQ, Operator.IN, Operator.NOT_IN, Operator.NULL)),
      Map.entry("tags", List.of(Operator.CONTAINS, Operator.NULL)),
      Map.entry("sizes", List.of(Operator.CONTAINS)),
      Map.entry("identifier", List.of(Operator.IN, Operator.EQ)),
      Map.entry("access_level", List.of(Operator.GE, Operator.EQ)),
      Map.entry("version", List.of(Operator.EQ, Operator.GT)),
      Map.entry("is_deleted", List.of(Operator.EQ)),
      Map.entry("created_at", List.of(Operator.GT, Operator.LE)),
      Map.entry("updated_at", List.of(Operator.GE)));
  private static final List<String> SORTABLE = List.of("label", "count", "ratio", "flag", "day", "taken_at", "grade",
      "identifier", "created_at", "updated_at", "version", "access_level");
  private static final List<String> COLUMNS = List.of("label", "count", "ratio", "flag", "day", "taken_at", "grade",
      "tags", "sizes", "identifier", "parent_identifier", "created_at", "version", "is_deleted");

  private Filter.Condition condition() {
    String field = pick(new ArrayList<>(OPS.keySet()).stream().sorted().toList());
    Operator op = pick(OPS.get(field));
    Object value = switch (op) {
      case NULL -> random.nextBoolean();
      case LIKE, ILIKE -> pick(List.of("%a%", "p_ain", "%,%", "\\%%", "%.%"));
      case REGEX -> pick(List.of("^a", "\\(", "[,.]", "e$"));
      case IN, NOT_IN -> java.util.stream.IntStream.range(0, 1 + random.nextInt(3)).mapToObj(i -> scalar(field))
          .toList();
      case BETWEEN -> List.of(scalar(field), scalar(field));
      default -> scalar(field);
    };
    return new Filter.Condition(field, op, value);
  }

  /** A random query, and its filter as a list of conditions (each maybe negated) and maybe a JSON filter. */
  private record Random2(QueryRequest request, List<Filter> parameterFilters, Filter jsonFilter) {}

  private Random2 randomQuery(boolean page) {
    List<Filter> conditions = new ArrayList<>();
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      Filter.Condition c = condition();
      conditions.add(random.nextInt(4) == 0 ? new Filter.Not(c) : c);
    }
    // A condition on a field listed before an earlier one would come back in the parameters' order: keep
    // the conditions grouped by field, as the query string groups a repeated parameter.
    List<String> order = new ArrayList<>();
    conditions.forEach(c -> {
      String f = field(c);
      if (!order.contains(f)) {
        order.add(f);
      }
    });
    conditions.sort(java.util.Comparator.comparingInt(c -> order.indexOf(field(c))));
    Filter json = random.nextInt(4) == 0 ? new Filter.Or(List.of(condition(), condition())) : null;
    List<Filter> all = new ArrayList<>(conditions);
    if (json != null) {
      all.add(json);
    }
    QueryRequest.Builder b = QueryRequest.of(TYPE)
        .filter(all.isEmpty() ? null : all.size() == 1 ? all.get(0) : new Filter.And(all));
    switch (random.nextInt(3)) {
      case 0 -> b.children("ds-1");
      case 1 -> b.descendants(pick(List.of("ds-1", "ds-2")));
      default -> { }
    }
    if (random.nextInt(5) == 0) {
      b.identifiers(java.util.stream.IntStream.range(0, 1 + random.nextInt(10)).mapToObj(i -> pick(ids)).distinct()
          .toList());
    }
    if (random.nextInt(3) == 0) {
      b.select(java.util.stream.IntStream.range(0, random.nextInt(4)).mapToObj(i -> pick(COLUMNS)).distinct().toList());
    }
    int keys = random.nextInt(4);
    List<String> sortFields = new ArrayList<>(SORTABLE);
    java.util.Collections.shuffle(sortFields, random);
    for (int i = 0; i < keys; i++) {
      b.sort(new SortKey(sortFields.get(i), random.nextBoolean() ? SortOrder.ASC : SortOrder.DESC));
    }
    if (random.nextInt(4) != 0) {
      b.limit(1 + random.nextInt(25));
    }
    if (random.nextInt(3) == 0) {
      b.offset(random.nextInt(30));
    }
    switch (random.nextInt(4)) {
      case 0 -> b.asOf(firstCommit);
      case 1 -> b.asOf(secondCommit);
      default -> { }
    }
    b.includeDeleted(random.nextInt(3) == 0);
    if (random.nextInt(5) == 0) {
      b.updatedSince(firstCommit);
    }
    b.includePermissions(page && random.nextInt(4) == 0);
    return new Random2(b.build(), conditions, json);
  }

  private static String field(Filter f) {
    return f instanceof Filter.Not not ? ((Filter.Condition) not.filter()).field() : ((Filter.Condition) f).field();
  }

  // ---------------------------------------------------------------------------------------------
  // The GET form of a query, as a client writes it

  private static String text(Object value) {
    return value instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue()) : value.toString();
  }

  /** A list element, quoted when it holds a comma, a parenthesis, a quote or a backslash, or is empty. */
  private static String element(Object value) {
    String s = text(value);
    if (s.isEmpty() || s.chars().anyMatch(c -> ",()\"\\".indexOf(c) >= 0)) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
    return s;
  }

  private static String parameter(Filter f) {
    boolean negated = f instanceof Filter.Not;
    Filter.Condition c = (Filter.Condition) (negated ? ((Filter.Not) f).filter() : f);
    String value = c.value() instanceof List<?> list
        ? list.stream().map(GetPostEquivalenceTest::element).collect(Collectors.joining(",", "(", ")"))
        : text(c.value());
    return (negated ? "not." : "") + QueryParams.name(c.op()) + "." + value;
  }

  private static String queryString(Random2 q, String cursor) {
    QueryRequest r = q.request();
    StringJoiner s = new StringJoiner("&", "?", "");
    java.util.function.BiConsumer<String, String> add = (k, v) -> s.add(URLEncoder.encode(k, StandardCharsets.UTF_8)
        + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
    add.accept("payload_type", r.payloadType());
    q.parameterFilters().forEach(f -> add.accept(field(f), parameter(f)));
    if (q.jsonFilter() != null) {
      add.accept("filters", io.vxdata.json.FilterJson.toJson(q.jsonFilter()).toString());
    }
    if (r.parentIdentifier() != null) {
      add.accept("parent_identifier", r.parentIdentifier());
    }
    if (r.scope() == io.vxdata.query.Scope.DESCENDANTS) {
      add.accept("include_indirect_parents", "true");
    }
    if (r.identifiers() != null) {
      add.accept("identifiers", String.join(",", r.identifiers()));
    }
    if (r.selectColumns() != null) {
      add.accept("select", String.join(",", r.selectColumns()));
    }
    if (!r.sort().isEmpty()) {
      add.accept("order", r.sort().stream().map(k -> k.field() + "." + k.order().wireName())
          .collect(Collectors.joining(",")));
    }
    if (r.limit() != null) {
      add.accept("limit", r.limit().toString());
    }
    if (cursor != null) {
      add.accept("cursor", cursor);
    } else if (r.offset() != null) {
      add.accept("offset", r.offset().toString());
    }
    r.asOf().instant().ifPresent(t -> add.accept("as_of", Json.formatInstant(t)));
    if (r.includeDeleted()) {
      add.accept("include_deleted", "true");
    }
    if (r.updatedSince() != null) {
      add.accept("updated_since", Json.formatInstant(r.updatedSince()));
    }
    if (r.includePermissions()) {
      add.accept("include_permissions", "true");
    }
    return s.toString();
  }

  // ---------------------------------------------------------------------------------------------

  private void assertSame(String what, HttpResponse<String> post, HttpResponse<String> get) {
    String context = "seed " + seed + ", " + what + "\nPOST " + post.request().uri() + "\nGET " + get.request().uri()
        + "\nPOST answered " + post.body() + "\nGET answered " + get.body();
    assertThat(get.statusCode()).as(context).isEqualTo(post.statusCode());
    assertThat(get.headers().firstValue(VxDataServer.AS_OF_HEADER)).as(context)
        .isEqualTo(post.headers().firstValue(VxDataServer.AS_OF_HEADER));
    if (post.statusCode() == 200 && !post.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
      assertThat(get.body()).as(context).isEqualTo(post.body());
    } else {
      assertThat(RawHttp.json(get)).as(context).isEqualTo(RawHttp.json(post));
    }
  }

  @Test
  void randomQueriesAnswerTheSameInTheirGetAndPostForms() {
    createData();
    int pages = 0;
    int matched = 0;
    int followed = 0;
    for (int i = 0; i < QUERIES; i++) {
      Random2 q = randomQuery(true);
      String body = QueryJson.toJson(q.request()).toString();
      HttpResponse<String> post = http.post("/query", body);
      HttpResponse<String> get = http.get("/query" + queryString(q, null));
      assertSame("query " + i, post, get);
      if (post.statusCode() == 200) {
        pages++;
        JsonNode page = RawHttp.json(post);
        matched += page.path("results").size();
        String cursor = page.path("next_cursor").asText(null);
        if (cursor != null) {
          followed++;
          QueryRequest next = q.request().toBuilder().cursor(cursor).offset(null).build();
          assertSame("next page of query " + i, http.post("/query", QueryJson.toJson(next).toString()),
              http.get("/query" + queryString(q, cursor)));
        }
      }
      Random2 counted = new Random2(q.request().toBuilder().includePermissions(false).build(), q.parameterFilters(),
          q.jsonFilter());
      String countBody = QueryJson.toJson(counted.request()).toString();
      assertSame("count " + i, http.post("/query/count", countBody),
          http.get("/query/count" + queryString(counted, null)));
      if (i % 4 == 0) {
        assertSame("parquet " + i, http.post("/query/parquet", countBody),
            http.get("/query/parquet" + queryString(counted, null)));
      }
    }
    // The generator must exercise what it claims: most queries valid, many with results and next pages.
    assertThat(pages).as("seed %d: valid queries", seed).isGreaterThan(QUERIES / 2);
    assertThat(matched).as("seed %d: results", seed).isGreaterThan(QUERIES);
    assertThat(followed).as("seed %d: queries with a next page", seed).isGreaterThan(5);
  }

  @Test
  void theParameterSyntaxReadsEveryOperatorAndEscape() {
    // Fixed examples beside the random ones: what each form reads, spelled out.
    List<String> elements = QueryParams.elements("p", "(a,\"b,c\",\"d\\\"e\",\"f\\\\g\",,\"\",(x)");
    assertThat(elements).containsExactly("a", "b,c", "d\"e", "f\\g", "", "", "(x");
    assertThat(Arrays.stream(Operator.values()).map(QueryParams::name)).containsExactly("eq", "neq", "lt", "lte", "gt",
        "gte", "between", "in", "nin", "like", "ilike", "regex", "null", "contains");
  }
}
