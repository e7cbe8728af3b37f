package io.vxdata.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.query.Filter;
import io.vxdata.query.Operator;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON form of filters (docs/behaviour.md §6.2): {@link FilterJson}. */
class FilterJsonTest {

  private static JsonNode json(String text) {
    return Json.parse(text);
  }

  private static Filter parse(String text) {
    return FilterJson.parse(json(text));
  }

  /** The one violation {@code call} is rejected with; the exception's message is that violation. */
  private static Violation violationOf(ThrowingCallable call) {
    ValidationException e = catchThrowableOfType(ValidationException.class, call);
    assertThat(e).as("the call should be rejected with a ValidationException").isNotNull();
    assertThat(e.violations()).hasSize(1);
    assertThat(e).hasMessage(e.violations().get(0).toString());
    return e.violations().get(0);
  }

  private static Violation rejected(String text) {
    return violationOf(() -> parse(text));
  }

  @ParameterizedTest
  @EnumSource(Operator.class)
  void everyOperatorParsesFromItsSymbol(Operator op) {
    Filter filter = parse("{\"field\": \"f\", \"op\": \"" + op.symbol() + "\", \"value\": 1}");

    assertThat(filter).isEqualTo(new Filter.Condition("f", op, 1L));
  }

  @Test
  void operatorSymbolsAreTheWireNames() {
    assertThat(Arrays.stream(Operator.values()).map(Operator::symbol)).containsExactly(
        "=", "!=", "<", "<=", ">", ">=", "between", "in", "not in", "like", "ilike", "regex", "null", "contains");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"text\"|text",
      "true|true",
      "false|false"})
  void scalarValuesKeepTheirJsonType(String value, String expected) {
    Object parsed = ((Filter.Condition) parse("{\"field\": \"f\", \"op\": \"=\", \"value\": " + value + "}")).value();

    assertThat(String.valueOf(parsed)).isEqualTo(expected);
    assertThat(parsed).isInstanceOf(value.startsWith("\"") ? String.class : Boolean.class);
  }

  @Test
  void numbersBecomeLongsDoublesOrBigIntegers() {
    assertThat(valueOf("42")).isEqualTo(42L);
    assertThat(valueOf("-1.5")).isEqualTo(-1.5);
    assertThat(valueOf("1e3")).isEqualTo(1000.0);
    assertThat(valueOf("18446744073709551616")).isEqualTo(new BigInteger("18446744073709551616"));
  }

  @Test
  void listsAndNullAreValuesToo() {
    assertThat(valueOf("[1, \"a\", null, [true]]")).isEqualTo(Arrays.asList(1L, "a", null, List.of(true)));
    assertThat(valueOf("[]")).isEqualTo(List.of());
    assertThat(valueOf("null")).isNull();
  }

  @Test
  void anObjectValueIsKeptForTheValidatorToReject() {
    assertThat(valueOf("{\"a\": 1}")).isEqualTo(json("{\"a\": 1}"));
  }

  private static Object valueOf(String value) {
    return ((Filter.Condition) parse("{\"field\": \"f\", \"op\": \"=\", \"value\": " + value + "}")).value();
  }

  @Test
  void groupsNestInEveryForm() {
    Filter filter = parse("""
        {"or": [
          {"and": [{"field": "a", "op": "=", "value": 1}, {"not": {"field": "b", "op": "null", "value": true}}]},
          [{"field": "c", "op": "in", "value": ["x", "y"]}, {"field": "d", "op": "between", "value": [1, 2]}],
          {"not": {"or": []}}
        ]}
        """);

    assertThat(filter).isEqualTo(Filter.or(
        Filter.and(Filter.eq("a", 1L), Filter.not(Filter.where("b", Operator.NULL, true))),
        Filter.and(Filter.where("c", Operator.IN, List.of("x", "y")), Filter.where("d", Operator.BETWEEN, List.of(1L, 2L))),
        Filter.not(Filter.or())));
  }

  @Test
  void aListIsAnAndAndEmptyGroupsAreAllowed() {
    assertThat(parse("[]")).isEqualTo(new Filter.And(List.of()));
    assertThat(parse("{\"and\": []}")).isEqualTo(new Filter.And(List.of()));
    assertThat(parse("{\"or\": []}")).isEqualTo(new Filter.Or(List.of()));
    assertThat(parse("[{\"field\": \"a\", \"op\": \"<\", \"value\": 1}]"))
        .isEqualTo(Filter.and(Filter.where("a", Operator.LT, 1L)));
  }

  @Test
  void toJsonWritesWhatParseReads() {
    Filter filter = Filter.or(
        Filter.and(Filter.where("a", Operator.GE, 1L), Filter.where("b", Operator.NOT_IN, List.of("x", "y"))),
        Filter.not(Filter.where("c", Operator.LIKE, "a%")),
        Filter.where("d", Operator.NULL, false));

    assertThat(FilterJson.parse(FilterJson.toJson(filter))).isEqualTo(filter);
    // Compared as text: toJson writes 64-bit number nodes where a parser makes 32-bit ones.
    assertThat(FilterJson.toJson(filter).toString()).isEqualTo(json("""
        {"or": [{"and": [{"field": "a", "op": ">=", "value": 1}, {"field": "b", "op": "not in", "value": ["x", "y"]}]},
                {"not": {"field": "c", "op": "like", "value": "a%"}}, {"field": "d", "op": "null", "value": false}]}
        """).toString());
  }

  @Test
  void relatedConditionsRoundTrip() {
    Filter filter = Filter.and(Filter.relatedTo("member_of", "fam-1"), Filter.not(Filter.relatedFrom("member_of", "pt-1")));
    assertThat(FilterJson.parse(FilterJson.toJson(filter))).isEqualTo(filter);
    assertThat(FilterJson.toJson(filter).toString()).isEqualTo(json("""
        {"and": [{"related": {"relation": "member_of", "to": "fam-1"}},
                 {"not": {"related": {"relation": "member_of", "from": "pt-1"}}}]}
        """).toString());
  }

  // ---- malformed filters, each named by its path ----

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "null|filters|a filter is required here",
      "\"a = 1\"|filters|a filter must be an object or a list, not \"a = 1\"",
      "5|filters|a filter must be an object or a list, not 5",
      "[5]|filters[0]|a filter must be an object or a list, not 5",
      "{}|filters.field|a condition needs a field name (a string)",
      "{\"and\": {}}|filters.and|must be a list of filters",
      "{\"or\": null}|filters.or|must be a list of filters",
      "{\"not\": null}|filters.not|a filter is required here",
      "{\"not\": [1]}|filters.not[0]|a filter must be an object or a list, not 1",
      "{\"and\": [], \"or\": []}|filters.and|unknown filter key 'and'; a condition has field, op and value; a link condition is related alone; a group is and, or or not alone",
      "{\"field\": \"a\", \"op\": \"=\", \"value\": 1, \"not\": {}}|filters.not|unknown filter key 'not'; a condition has field, op and value; a link condition is related alone; a group is and, or or not alone",
      "{\"field\": \"a\", \"op\": \"=\", \"values\": [1]}|filters.values|unknown filter key 'values'; a condition has field, op and value; a link condition is related alone; a group is and, or or not alone",
      "{\"field\": 1, \"op\": \"=\", \"value\": 1}|filters.field|a condition needs a field name (a string)",
      "{\"op\": \"=\", \"value\": 1}|filters.field|a condition needs a field name (a string)",
      "{\"field\": \"a\", \"value\": 1}|filters.op|a condition needs an op (a string)",
      "{\"field\": \"a\", \"op\": [\"=\"], \"value\": 1}|filters.op|a condition needs an op (a string)",
      "{\"field\": \"a\", \"op\": \"==\", \"value\": 1}|filters.op|unknown operator '=='; use one of =, !=, <, <=, >, >=, between, in, not in, like, ilike, regex, null, contains",
      "{\"field\": \"a\", \"op\": \"IN\", \"value\": [1]}|filters.op|unknown operator 'IN'; use one of =, !=, <, <=, >, >=, between, in, not in, like, ilike, regex, null, contains",
      "{\"field\": \"a\", \"op\": \"=\"}|filters.value|a condition needs a value",
      "{\"related\": []}|filters.related|must be an object {relation, to or from}, not []",
      "{\"related\": {\"to\": \"f\"}}|filters.related.relation|a relation name (a string) is required",
      "{\"related\": {\"relation\": \"r\"}}|filters.related|needs exactly one of to (the target) and from (the source)",
      "{\"related\": {\"relation\": \"r\", \"to\": \"a\", \"from\": \"b\"}}|filters.related|needs exactly one of to (the target) and from (the source)",
      "{\"related\": {\"relation\": \"r\", \"to\": 5}}|filters.related.to|must be an identifier (a string)",
      "{\"related\": {\"relation\": \"r\", \"of\": \"a\"}}|filters.related.of|unknown key 'of'; related takes relation and to or from"})
  void malformedFiltersNameThePathOfTheProblem(String filter, String path, String message) {
    assertThat(rejected(filter)).isEqualTo(new Violation(null, path, message));
  }

  @Test
  void nestedProblemsNameTheirFullPath() {
    assertThat(rejected("""
        {"and": [{"field": "a", "op": "=", "value": 1}, {"or": [{"not": {"field": "b", "op": "~", "value": 1}}]}]}
        """)).isEqualTo(new Violation(null, "filters.and[1].or[0].not.op",
        "unknown operator '~'; use one of =, !=, <, <=, >, >=, between, in, not in, like, ilike, regex, null, contains"));
    assertThat(rejected("[{\"field\": \"a\", \"op\": \"=\", \"value\": 1}, [{\"field\": \"b\"}]]"))
        .isEqualTo(new Violation(null, "filters[1][0].op", "a condition needs an op (a string)"));
  }

  @Test
  void aMissingFilterIsRejected() {
    assertThat(violationOf(() -> FilterJson.parse(null))).isEqualTo(new Violation(null, "filters", "a filter is required here"));
    assertThat(violationOf(() -> FilterJson.parse(json("{}").path("absent"))))
        .isEqualTo(new Violation(null, "filters", "a filter is required here"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"%", "100%", "%s"})
  void requestTextInMessagesIsNeverAFormat(String op) {
    assertThat(rejected("{\"field\": \"a\", \"op\": \"" + op + "\", \"value\": 1}").message())
        .startsWith("unknown operator '" + op + "'");
  }
}
