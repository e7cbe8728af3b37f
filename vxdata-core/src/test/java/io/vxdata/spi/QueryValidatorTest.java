package io.vxdata.spi;

import static io.vxdata.Rejections.violationOf;
import static io.vxdata.Rejections.violationsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vxdata.AccessLevel;
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
import io.vxdata.spi.QueryValidator.QueryField;
import io.vxdata.spi.QueryValidator.ValidQuery;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The query checks of docs/behaviour.md §6 against a payload type, without a database. */
class QueryValidatorTest {

  private static final PayloadType SAMPLE = PayloadType.fromJsonSchema("sample", """
      {"type": "object", "properties": {
        "label": {"type": "string"}, "count": {"type": "integer"}, "ratio": {"type": "number"},
        "flag": {"type": "boolean"}, "day": {"type": "string", "format": "date"},
        "taken_at": {"type": "string", "format": "date-time"},
        "tags": {"type": "array", "items": {"type": "string"}}, "sizes": {"type": "array", "items": {"type": "integer"}}},
       "required": ["label"]}
      """);

  private static final String FIELDS = "[identifier, parent_identifier, payload_type, license, access_level, "
      + "derived_from, is_deleted, version, created_at, updated_at, created_by, updated_by] and "
      + "[label, count, ratio, flag, day, taken_at, tags, sizes]";

  private static ValidQuery valid(QueryRequest.Builder request) {
    return QueryValidator.validate(request.build(), SAMPLE);
  }

  private static Object operand(String field, Operator op, Object value) {
    Filter checked = valid(QueryRequest.of("sample").filter(Filter.where(field, op, value))).filter();
    return ((Filter.Condition) checked).value();
  }

  /** The one violation a condition is rejected with; checks that it names the field. */
  private static String conditionRejected(String field, Operator op, Object value) {
    Violation v = violationOf(() -> valid(QueryRequest.of("sample").filter(Filter.where(field, op, value))));
    assertThat(v.field()).isEqualTo(field);
    assertThat(v.identifier()).isNull();
    return v.message();
  }

  private static Violation rejected(QueryRequest.Builder request) {
    return violationOf(() -> valid(request));
  }

  // ---- fields ----

  @Test
  void metadataAndPayloadFieldsResolve() {
    assertThat(QueryValidator.resolve(SAMPLE, "created_at"))
        .contains(new QueryField("created_at", FieldType.DATE_TIME, false, true, false));
    assertThat(QueryValidator.resolve(SAMPLE, "derived_from"))
        .contains(new QueryField("derived_from", FieldType.STRING, true, true, false));
    assertThat(QueryValidator.resolve(SAMPLE, "parent_identifier"))
        .contains(new QueryField("parent_identifier", FieldType.STRING, false, true, true));
    assertThat(QueryValidator.resolve(SAMPLE, "label")).contains(new QueryField("label", FieldType.STRING, false, false, false));
    assertThat(QueryValidator.resolve(SAMPLE, "tags")).contains(new QueryField("tags", FieldType.STRING, true, false, true));
    assertThat(QueryValidator.resolve(SAMPLE, "access_level").orElseThrow().isAccessLevel()).isTrue();
    assertThat(QueryValidator.resolve(SAMPLE, "children")).isEmpty();
    assertThat(QueryValidator.resolve(SAMPLE, "nope")).isEmpty();
  }

  // ---- defaults ----

  @Test
  void aBareRequestGetsTheDefaults() {
    ValidQuery q = valid(QueryRequest.of("sample"));

    assertThat(q.type()).isSameAs(SAMPLE);
    assertThat(q.filter()).isNull();
    assertThat(q.limit()).isEqualTo(100);
    assertThat(q.scope()).isEqualTo(Scope.CHILDREN);
    assertThat(q.sort()).extracting(k -> k.field().name(), QueryValidator.CheckedSortKey::order)
        .containsExactly(tuple("created_at", SortOrder.DESC));
    assertThat(q.payloadColumns()).extracting(PayloadField::name)
        .containsExactly("label", "count", "ratio", "flag", "day", "taken_at", "tags", "sizes");
    assertThat(q.selectColumns()).isNull();
    assertThat(q.identifiers()).isNull();
    assertThat(q.asOf()).isNull();
  }

  @Test
  void scopeCursorAndTimePassThrough() {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");

    ValidQuery q = valid(QueryRequest.of("sample").descendants("ds-1").identifiers(List.of("a", "b")).cursor("c")
        .asOf(at).limit(5));

    assertThat(q.parentIdentifier()).isEqualTo("ds-1");
    assertThat(q.scope()).isEqualTo(Scope.DESCENDANTS);
    assertThat(q.identifiers()).containsExactly("a", "b");
    assertThat(q.cursor()).isEqualTo("c");
    assertThat(q.asOf()).isEqualTo(at);
    assertThat(q.limit()).isEqualTo(5);
  }

  // ---- operands: canonical values ----

  @Test
  void comparisonValuesBecomeTheFieldsCanonicalType() {
    assertThat(operand("count", Operator.EQ, 3)).isEqualTo(3L);
    assertThat(operand("ratio", Operator.GT, 1)).isEqualTo(1.0);
    assertThat(operand("flag", Operator.NE, true)).isEqualTo(true);
    assertThat(operand("day", Operator.LE, "2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(operand("taken_at", Operator.LT, "2024-03-01T01:00:00+01:00")).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
    assertThat(operand("version", Operator.GE, 2)).isEqualTo(2L);
    assertThat(operand("access_level", Operator.GT, "internal")).isEqualTo(AccessLevel.INTERNAL);
    assertThat(operand("access_level", Operator.EQ, AccessLevel.PUBLIC)).isEqualTo(AccessLevel.PUBLIC);
    assertThat(operand("label", Operator.EQ, "x")).isEqualTo("x");
  }

  @Test
  void aDateOnlyValueOnADateTimeFieldMeansTheStartOfThatDayInUtc() {
    assertThat(operand("taken_at", Operator.GE, "2024-03-01")).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
    assertThat(operand("created_at", Operator.LT, "2026-05-20")).isEqualTo(Instant.parse("2026-05-20T00:00:00Z"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "taken_at|2024-13-01|filter '=': expected an ISO 8601 date or date-time with offset, got '2024-13-01'",
      "taken_at|0000-01-01|filter '=': expected an ISO 8601 date or date-time with offset, got '0000-01-01'",
      "taken_at|2024-03-01T10:00:00|filter '=': expected an ISO 8601 date-time with offset, got '2024-03-01T10:00:00'",
      "updated_at|yesterday|filter '=': expected an ISO 8601 date-time with offset, got 'yesterday'",
      "day|2024-03-01T10:00:00Z|filter '=': expected a date (yyyy-mm-dd), got '2024-03-01T10:00:00Z'",
      "day|+10000-01-01|filter '=': must lie between the years 1 and 9999, not +10000-01-01"})
  void malformedDatesAreRejectedNamingTheField(String field, String value, String message) {
    assertThat(conditionRejected(field, Operator.EQ, value)).isEqualTo(message);
  }

  @Test
  void listOperandsAreCheckedElementByElement() {
    assertThat(operand("count", Operator.IN, List.of(1, 2))).isEqualTo(List.of(1L, 2L));
    assertThat(operand("label", Operator.NOT_IN, List.of("a"))).isEqualTo(List.of("a"));
    assertThat(operand("day", Operator.BETWEEN, List.of("2024-01-01", "2024-12-31")))
        .isEqualTo(List.of(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31)));
    assertThat(operand("tags", Operator.CONTAINS, "t")).isEqualTo("t");
    assertThat(operand("sizes", Operator.CONTAINS, 4)).isEqualTo(4L);
  }

  @ParameterizedTest
  @EnumSource(value = Operator.class, names = {"LIKE", "ILIKE", "REGEX"})
  void patternsApplyToStringFields(Operator op) {
    assertThat(operand("label", op, "ab")).isEqualTo("ab");
    assertThat(operand("identifier", op, "ab")).isEqualTo("ab");
    assertThat(conditionRejected("count", op, "1")).isEqualTo(
        "filter '" + op.symbol() + "': applies to string fields only; 'count' is a integer");
    assertThat(conditionRejected("taken_at", op, "1")).isEqualTo(
        "filter '" + op.symbol() + "': applies to string fields only; 'taken_at' is a date-time");
    assertThat(conditionRejected("access_level", op, "p%")).isEqualTo(
        "filter '" + op.symbol() + "': applies to string fields only; 'access_level' is a string");
    assertThat(conditionRejected("label", op, 5)).isEqualTo("filter '" + op.symbol() + "': the pattern must be a string");
  }

  @ParameterizedTest
  @EnumSource(value = Operator.class, names = {"NULL"})
  void theNullOperatorTakesABoolean(Operator op) {
    assertThat(operand("tags", op, true)).isEqualTo(true);
    assertThat(operand("license", op, false)).isEqualTo(false);
    assertThat(conditionRejected("label", op, "yes"))
        .isEqualTo("filter 'null': the value must be true (is null) or false (is not null)");
  }

  // ---- operands: rejects ----

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "LIKE|a\\|filter 'like': the pattern ends in the escape character \\; write \\\\ for a backslash",
      "ILIKE|%\\|filter 'ilike': the pattern ends in the escape character \\; write \\\\ for a backslash",
      "REGEX|(ab|filter 'regex': invalid regular expression: Unclosed group",
      "REGEX|a++|filter 'regex': unsupported regular expression: a quantifier at position 2 follows another (possessive and stacked quantifiers differ between backends) (the filter language takes a subset that means the same on every backend; see the README)"})
  void invalidPatternsAreRejected(Operator op, String pattern, String message) {
    assertThat(conditionRejected("label", op, pattern)).isEqualTo(message);
  }

  @Test
  void overlongPatternsAreRejected() {
    assertThat(conditionRejected("label", Operator.LIKE, "a".repeat(1001)))
        .isEqualTo("filter 'like': the pattern is longer than 1000 characters");
  }

  @Test
  void inListsMustBeNonEmptyListsOfAtMostTenThousandValues() {
    assertThat(conditionRejected("count", Operator.IN, List.of())).isEqualTo("filter 'in': the list of values is empty");
    assertThat(conditionRejected("count", Operator.NOT_IN, List.of()))
        .isEqualTo("filter 'not in': the list of values is empty");
    assertThat(conditionRejected("count", Operator.IN, 1)).isEqualTo("filter 'in': the value must be a non-empty list");
    assertThat(conditionRejected("count", Operator.IN, List.of(1, "two")))
        .isEqualTo("filter 'in': expected an integer, got the string 'two'");
    assertThat(conditionRejected("count", Operator.IN, Collections.nCopies(10_001, 1)))
        .isEqualTo("filter 'in': at most 10000 values, not 10001");
    assertThat(operand("count", Operator.IN, Collections.nCopies(10_000, 1))).asList().hasSize(10_000);
  }

  @Test
  void betweenTakesTwoOrderedBounds() {
    assertThat(conditionRejected("count", Operator.BETWEEN, 1)).isEqualTo("filter 'between': the value must be [low, high]");
    assertThat(conditionRejected("count", Operator.BETWEEN, List.of(1, 2, 3)))
        .isEqualTo("filter 'between': the value must be [low, high], not 3 values");
    assertThat(conditionRejected("flag", Operator.BETWEEN, List.of(false, true)))
        .isEqualTo("filter 'between': booleans are not ordered; use = or !=");
    assertThat(conditionRejected("count", Operator.BETWEEN, List.of(1, "z")))
        .isEqualTo("filter 'between': expected an integer, got the string 'z'");
  }

  @ParameterizedTest
  @EnumSource(value = Operator.class, names = {"LT", "LE", "GT", "GE"})
  void booleansAreNotOrdered(Operator op) {
    assertThat(conditionRejected("flag", op, true))
        .isEqualTo("filter '" + op.symbol() + "': booleans are not ordered; use = or !=");
    assertThat(conditionRejected("is_deleted", op, true))
        .isEqualTo("filter '" + op.symbol() + "': booleans are not ordered; use = or !=");
  }

  @ParameterizedTest
  @EnumSource(value = Operator.class, names = {"EQ", "NE", "LT", "LE", "GT", "GE", "BETWEEN", "IN", "NOT_IN", "LIKE",
      "ILIKE", "REGEX"})
  void listFieldsTakeOnlyContainsAndNull(Operator op) {
    assertThat(conditionRejected("tags", op, List.of("a")))
        .isEqualTo("filter '" + op.symbol() + "': 'tags' is a list; use 'contains' or 'null'");
  }

  @Test
  void containsAppliesToListFieldsOnly() {
    assertThat(conditionRejected("label", Operator.CONTAINS, "a"))
        .isEqualTo("filter 'contains': 'contains' applies to list fields only; 'label' is a string");
    assertThat(conditionRejected("sizes", Operator.CONTAINS, "a"))
        .isEqualTo("filter 'contains': expected an integer, got the string 'a'");
    assertThat(conditionRejected("derived_from", Operator.CONTAINS, List.of("a")))
        // Today's wording describes the list field, not its element ("a single list of string value").
        .isEqualTo("filter 'contains': expected a single list of string value, got a list");
  }

  @Test
  void scalarComparisonsRejectNullListsAndWrongTypes() {
    assertThat(conditionRejected("label", Operator.EQ, null))
        .isEqualTo("filter '=': the value is null; use the 'null' operator to test for null");
    assertThat(conditionRejected("label", Operator.EQ, List.of("a")))
        .isEqualTo("filter '=': expected a single string value, got a list");
    assertThat(conditionRejected("count", Operator.EQ, "3")).isEqualTo("filter '=': expected an integer, got the string '3'");
    assertThat(conditionRejected("ratio", Operator.GT, "x")).isEqualTo("filter '>': expected a finite number, got the string 'x'");
    assertThat(conditionRejected("flag", Operator.EQ, 1L)).isEqualTo("filter '=': expected a boolean, got Long 1");
    assertThat(conditionRejected("access_level", Operator.EQ, "secret")).isEqualTo(
        "filter '=': access_level must be one of public, internal, confidential, restricted, not 'secret'");
    assertThat(conditionRejected("label", Operator.EQ, "a\u0000"))
        .isEqualTo("filter '=': the value contains a NUL character (U+0000), which cannot be stored");
  }

  @Test
  void anUnknownFieldListsTheFieldsOfTheType() {
    assertThat(conditionRejected("colour", Operator.EQ, "red"))
        .isEqualTo("filter on unknown field 'colour' for payload type 'sample'; fields: " + FIELDS);
    assertThat(conditionRejected("children", Operator.CONTAINS, "x"))
        .isEqualTo("filter on unknown field 'children' for payload type 'sample'; fields: " + FIELDS);
  }

  @Test
  void nestedFiltersAreCheckedEverywhereAndKeepTheirShape() {
    Filter filter = Filter.or(Filter.and(Filter.eq("count", 1), Filter.not(Filter.eq("ratio", 2))), Filter.and());

    assertThat(valid(QueryRequest.of("sample").filter(filter)).filter())
        .isEqualTo(Filter.or(Filter.and(Filter.eq("count", 1L), Filter.not(Filter.eq("ratio", 2.0))), Filter.and()));

    List<Violation> violations = violationsOf(() -> valid(QueryRequest.of("sample").filter(Filter.or(
        Filter.eq("count", "one"), Filter.not(Filter.and(Filter.eq("nope", 1), Filter.eq("flag", "no")))))));

    assertThat(violations).extracting(Violation::field).containsExactly("count", "nope", "flag");
  }

  // ---- projection, order, page, scope ----

  @Test
  void selectColumnsSplitPayloadFromMetadataAndDropRepeats() {
    ValidQuery q = valid(QueryRequest.of("sample").select("count", "version", "label", "count"));

    assertThat(q.selectColumns()).containsExactly("count", "version", "label");
    assertThat(q.payloadColumns()).extracting(PayloadField::name).containsExactly("count", "label");
  }

  @Test
  void unknownColumnsAreRejected() {
    assertThat(rejected(QueryRequest.of("sample").select("label", "colour"))).isEqualTo(
        new Violation(null, "select_columns", "unknown field 'colour' for payload type 'sample'; fields: " + FIELDS));
  }

  @Test
  void sortKeysAreScalarFieldsListedOnce() {
    ValidQuery q = valid(QueryRequest.of("sample").sortBy("day", SortOrder.ASC).sortBy("access_level", SortOrder.DESC));

    assertThat(q.sort()).extracting(k -> k.field().name(), QueryValidator.CheckedSortKey::order)
        .containsExactly(tuple("day", SortOrder.ASC), tuple("access_level", SortOrder.DESC));
    assertThat(rejected(QueryRequest.of("sample").sort(SortKey.asc("colour")))).isEqualTo(
        new Violation(null, "sort_by", "unknown field 'colour' for payload type 'sample'; fields: " + FIELDS));
    assertThat(rejected(QueryRequest.of("sample").sort(SortKey.asc("tags"))))
        .isEqualTo(new Violation(null, "sort_by", "cannot sort by list field 'tags'"));
    assertThat(rejected(QueryRequest.of("sample").sort(SortKey.asc("count")).sort(SortKey.desc("count"))))
        .isEqualTo(new Violation(null, "sort_by", "'count' is listed twice"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 1001})
  void theLimitLiesBetweenOneAndAThousand(int limit) {
    assertThat(rejected(QueryRequest.of("sample").limit(limit)))
        .isEqualTo(new Violation(null, "limit", "must be between 1 and 1000, not " + limit));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 1000})
  void limitsWithinTheRangeAreKept(int limit) {
    assertThat(valid(QueryRequest.of("sample").limit(limit)).limit()).isEqualTo(limit);
  }

  @Test
  void aScanIgnoresTheCursorAndHasNoPageLimit() {
    ValidQuery unlimited = QueryValidator.validateScan(QueryRequest.of("sample").cursor("c").build(), SAMPLE);
    ValidQuery capped = QueryValidator.validateScan(QueryRequest.of("sample").limit(5_000).build(), SAMPLE);

    assertThat(unlimited.cursor()).isNull();
    assertThat(unlimited.limit()).isEqualTo(Integer.MAX_VALUE);
    assertThat(capped.limit()).isEqualTo(5_000);
    assertThat(violationOf(() -> QueryValidator.validateScan(QueryRequest.of("sample").limit(0).build(), SAMPLE)))
        .isEqualTo(new Violation(null, "limit", "must be between 1 and 2147483647, not 0"));
  }

  @Test
  void scopeIdentifiersMustBeWellFormed() {
    assertThat(rejected(QueryRequest.of("sample").children("bad parent"))).isEqualTo(new Violation("bad parent",
        "parent_identifier",
        "'bad parent' is not a valid identifier: use 1-255 characters of [A-Za-z0-9._:~-], the first alphanumeric"));
    assertThat(rejected(QueryRequest.of("sample").identifiers(List.of("ok", ""))))
        .isEqualTo(new Violation("", "identifiers", "identifier is empty"));
  }

  @Test
  void everyProblemOfARequestIsReported() {
    List<Violation> violations = violationsOf(() -> valid(QueryRequest.of("sample").filter(Filter.eq("nope", 1))
        .children("-p").identifiers(List.of("-i")).select("zz").sort(SortKey.asc("tags")).limit(0)));

    assertThat(violations).extracting(Violation::field).containsExactly("nope", "parent_identifier", "identifiers",
        "select_columns", "sort_by", "limit");
  }

  // ---- limits of one request (io.vxdata.spi.Limits) ----

  @Test
  void atMostTenThousandScopeIdentifiers() {
    List<String> many = IntStream.rangeClosed(1, 10_001).mapToObj(i -> "id-" + i).toList();

    assertThat(valid(QueryRequest.of("sample").identifiers(many.subList(0, 10_000))).identifiers()).hasSize(10_000);
    assertThat(rejected(QueryRequest.of("sample").identifiers(many)))
        .isEqualTo(new Violation(null, "identifiers", "at most 10,000 identifiers per request, not 10,001"));
  }

  @Test
  void atMostAThousandColumnsAndSortKeys() {
    List<String> columns = Collections.nCopies(1_001, "label");
    QueryRequest.Builder sorted = QueryRequest.of("sample");
    IntStream.range(0, 1_001).forEach(i -> sorted.sort(SortKey.asc("label")));

    assertThat(rejected(QueryRequest.of("sample").select(columns)))
        .isEqualTo(new Violation(null, "select_columns", "at most 1,000 columns per request, not 1,001"));
    assertThat(rejected(sorted)).isEqualTo(new Violation(null, "sort_by", "at most 1,000 sort keys per request, not 1,001"));
  }

  @Test
  void atMostTwoHundredConditions() {
    List<Filter> conditions = Collections.nCopies(200, Filter.eq("count", 1));

    assertThat(valid(QueryRequest.of("sample").filter(new Filter.And(conditions))).filter()).isNotNull();
    assertThat(rejected(QueryRequest.of("sample").filter(new Filter.Or(
        Collections.nCopies(201, Filter.eq("count", 1)))))).isEqualTo(
        new Violation(null, "filters", "at most 200 filter conditions per request, not 201"));
  }

  @Test
  void filtersNestAtMostThirtyTwoLevels() {
    assertThat(valid(QueryRequest.of("sample").filter(nested(31))).filter()).isEqualTo(nested(31));
    assertThat(rejected(QueryRequest.of("sample").filter(nested(32))))
        .isEqualTo(new Violation(null, "filters", "nests deeper than 32 levels"));
  }

  /** A condition under {@code levels} nots: the condition is at depth {@code levels + 1}. */
  private static Filter nested(int levels) {
    Filter filter = Filter.eq("count", 1L);
    for (int i = 0; i < levels; i++) {
      filter = Filter.not(filter);
    }
    return filter;
  }

  @Test
  void atMostTwentyThousandValuesOverAllConditions() {
    Filter twoFull = Filter.and(Filter.where("count", Operator.IN, Collections.nCopies(10_000, 1)),
        Filter.where("count", Operator.NOT_IN, Collections.nCopies(10_000, 2)));
    Filter overTheTotal = Filter.and(Filter.where("count", Operator.IN, Collections.nCopies(7_000, 1)),
        Filter.where("count", Operator.IN, Collections.nCopies(7_000, 2)),
        Filter.where("count", Operator.IN, Collections.nCopies(7_000, 3)));

    assertThat(valid(QueryRequest.of("sample").filter(twoFull)).filter()).isNotNull();
    assertThat(rejected(QueryRequest.of("sample").filter(overTheTotal)))
        .isEqualTo(new Violation(null, "filters", "at most 20,000 filter values per request, not 21,000"));
  }

  @Test
  void anOverlongListIsNamedRatherThanTheTotal() {
    Filter filter = Filter.where("count", Operator.IN, Collections.nCopies(25_000, 1));

    assertThat(rejected(QueryRequest.of("sample").filter(filter)))
        .isEqualTo(new Violation(null, "count", "filter 'in': at most 10000 values, not 25000"));
  }
}
