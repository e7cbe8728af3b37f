package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.identifiers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.AccessLevel;
import io.vxdata.NewResource;
import io.vxdata.ValidationException;
import io.vxdata.json.FilterJson;
import io.vxdata.query.Filter;
import io.vxdata.query.Operator;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.SortOrder;
import io.vxdata.schema.PayloadType;
import io.vxdata.spi.QueryValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The query filter language (docs/behaviour.md §6.2): every operator on every field type, nulls, metadata
 * fields, nested logic, and the requests that must be rejected (docs/behaviour.md §6.2, §6.7). Filters are parsed
 * from JSON text, as HTTP users send them. Subclass it with a backend's {@link #newStore()}.
 *
 * <p>The data set is five {@code sample} resources (see {@link VxDataTestSupport#SAMPLE_SCHEMA}):
 *
 * <pre>
 * id   label      count ratio flag  day        taken_at                 grade tags        sizes  license    access       parent derived_from
 * s-1  Alpha      1     0.5   true  2024-01-01 2024-01-01T10:00:00Z     low   [red, blue] [1, 2] MIT        public       -      []
 * s-2  bravo      2     1.5   false 2024-02-15 2024-02-15T12:30:00Z     high  [blue]      [2, 3] CC-BY-4.0  internal     ds-1   [s-1]
 * s-3  charlie_x  3     2.25  true  2024-03-31 2024-03-31T23:59:59.5Z   high  [green]     [30]   -          confidential ds-1   [s-1, s-2]
 * s-4  delta%     -10   -1.0  false 2023-12-31 2023-12-31T00:00:00Z     low   []          []     MIT        restricted   -      []
 * s-5  echo       -     -     -     -          -                        -     -           -      -          internal     -      []
 * </pre>
 *
 * <p>s-1 to s-3 (and the datasource ds-1) are created in one commit, s-4 and s-5 in a later one.
 * String comparisons use bounds on which binary and linguistic collations agree.
 */
public abstract class QueryFilterConformanceTests extends VxDataTestSupport {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String TYPE = "sample";
  private static final List<String> ALL = List.of("s-1", "s-2", "s-3", "s-4", "s-5");

  /** Commit times of the two batches of the data set. */
  private Instant firstBatch;
  private Instant secondBatch;

  private void createSamples() {
    registerType(PayloadType.fromJsonSchema(TYPE, SAMPLE_SCHEMA));
    firstBatch = create(datasource("ds-1"),
        NewResource.builder(TYPE, "s-1").set("label", "Alpha").set("count", 1).set("ratio", 0.5)
            .set("flag", true).set("day", "2024-01-01").set("taken_at", "2024-01-01T10:00:00Z")
            .set("grade", "low").set("tags", List.of("red", "blue")).set("sizes", List.of(1, 2))
            .license("MIT").accessLevel(AccessLevel.PUBLIC).build(),
        NewResource.builder(TYPE, "s-2").parent("ds-1").derivedFrom("s-1").set("label", "bravo").set("count", 2)
            .set("ratio", 1.5).set("flag", false).set("day", "2024-02-15").set("taken_at", "2024-02-15T12:30:00Z")
            .set("grade", "high").set("tags", List.of("blue")).set("sizes", List.of(2, 3))
            .license("CC-BY-4.0").build(),
        NewResource.builder(TYPE, "s-3").parent("ds-1").derivedFrom("s-1", "s-2").set("label", "charlie_x")
            .set("count", 3).set("ratio", 2.25).set("flag", true).set("day", "2024-03-31")
            .set("taken_at", "2024-03-31T23:59:59.5Z").set("grade", "high").set("tags", List.of("green"))
            .set("sizes", List.of(30)).accessLevel(AccessLevel.CONFIDENTIAL).build());
    secondBatch = create(
        NewResource.builder(TYPE, "s-4").set("label", "delta%").set("count", -10).set("ratio", -1.0)
            .set("flag", false).set("day", "2023-12-31").set("taken_at", "2023-12-31T00:00:00Z")
            .set("grade", "low").set("tags", List.of()).set("sizes", List.of())
            .license("MIT").accessLevel(AccessLevel.RESTRICTED).build(),
        NewResource.builder(TYPE, "s-5").set("label", "echo").build());
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** Parses filter JSON text as an HTTP user would send it. */
  protected static Filter filter(String text) {
    try {
      return FilterJson.parse(MAPPER.readTree(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON text of one condition; {@code value} is serialized as JSON. */
  private static String cond(String field, String op, Object value) {
    ObjectNode node = MAPPER.createObjectNode().put("field", field).put("op", op);
    node.set("value", MAPPER.valueToTree(value));
    return node.toString();
  }

  /**
   * The identifiers of the {@code sample} resources matching {@code filter}, in identifier order,
   * after checking that {@code count} agrees.
   */
  private List<String> matching(Filter filter) {
    QueryRequest request = QueryRequest.of(TYPE).filter(filter).sortBy("identifier", SortOrder.ASC)
        .limit(QueryRequest.MAX_LIMIT).build();
    List<String> ids = identifiers(store.query(request).results());
    assertThat(store.count(request).value()).as("count of %s", filter).isEqualTo(ids.size());
    // The same answer in the past, where current and history tables are read together: commit
    // something unrelated, then ask as of the time before it.
    Instant before = store.lastCommitTime();
    store.create(List.of(datasource("later-" + laterCommits++)));
    QueryRequest then = request.toBuilder().asOf(before).build();
    assertThat(identifiers(store.query(then).results())).as("%s as of the commit before the last", filter)
        .isEqualTo(ids);
    assertThat(store.count(then).value()).as("count of %s as of the commit before the last", filter).isEqualTo(ids.size());
    return ids;
  }

  /** Unrelated commits {@link #matching(Filter)} made, to read in the past. */
  private int laterCommits;

  private List<String> matching(String filterJson) {
    return matching(filter(filterJson));
  }

  /**
   * Asserts that the query and the count of {@code request} both fail with a validation error
   * mentioning each of {@code mentioned}, and that the store is unchanged and still answers.
   */
  private void assertInvalid(QueryRequest request, String... mentioned) {
    Instant before = store.lastCommitTime();
    long all = store.count(QueryRequest.of(TYPE).build()).value();
    assertThatThrownBy(() -> store.query(request)).as("query")
        .isInstanceOf(ValidationException.class).hasMessageContainingAll(mentioned);
    assertThatThrownBy(() -> store.count(request).value()).as("count")
        .isInstanceOf(ValidationException.class).hasMessageContainingAll(mentioned);
    assertThat(store.lastCommitTime()).as("lastCommitTime after a rejected query").isEqualTo(before);
    assertThat(store.count(QueryRequest.of(TYPE).build()).value()).as("count after a rejected query").isEqualTo(all);
    assertThat(identifiers(store.query(QueryRequest.of(TYPE).sortBy("identifier", SortOrder.ASC).build())
        .results())).as("query after a rejected query").isEqualTo(ALL);
  }

  private void assertInvalidFilter(String filterJson, String... mentioned) {
    assertInvalid(QueryRequest.of(TYPE).filter(filter(filterJson)).build(), mentioned);
  }

  private static List<String> ids(String... ids) {
    return List.of(ids);
  }

  private static Arguments match(String field, String op, Object value, List<String> expected) {
    String shown = field + " " + op + " " + MAPPER.valueToTree(value);
    return Arguments.of(shown, cond(field, op, value), expected);
  }

  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §6.2 every operator on every field type.

  static Stream<Arguments> operatorCases() {
    List<Arguments> cases = new ArrayList<>();
    // string
    cases.add(match("label", "=", "bravo", ids("s-2")));
    cases.add(match("label", "!=", "bravo", ids("s-1", "s-3", "s-4", "s-5")));
    cases.add(match("label", "<", "c", ids("s-1", "s-2")));
    cases.add(match("label", "<=", "bravo", ids("s-1", "s-2")));
    cases.add(match("label", ">", "charlie", ids("s-3", "s-4", "s-5")));
    cases.add(match("label", ">=", "delta%", ids("s-4", "s-5")));
    cases.add(match("label", "between", List.of("b", "d"), ids("s-2", "s-3")));
    cases.add(match("label", "in", List.of("bravo", "echo", "zulu"), ids("s-2", "s-5")));
    cases.add(match("label", "not in", List.of("bravo", "echo"), ids("s-1", "s-3", "s-4")));
    cases.add(match("label", "like", "_ravo", ids("s-2")));
    cases.add(match("label", "like", "%o", ids("s-2", "s-5")));
    cases.add(match("label", "like", "alpha", ids()));
    cases.add(match("label", "like", "%\\_%", ids("s-3")));
    cases.add(match("label", "like", "%\\%", ids("s-4")));
    cases.add(match("label", "ilike", "ALPHA", ids("s-1")));
    cases.add(match("label", "ilike", "%LIE%", ids("s-3")));
    cases.add(match("label", "regex", "^[a-c]", ids("s-2", "s-3")));
    cases.add(match("label", "regex", "rav", ids("s-2")));
    cases.add(match("label", "regex", "^(alpha|echo)$", ids("s-5")));
    cases.add(match("label", "null", false, ALL));
    cases.add(match("label", "null", true, ids()));
    // integer
    cases.add(match("count", "=", 2, ids("s-2")));
    cases.add(match("count", "!=", 2, ids("s-1", "s-3", "s-4")));
    cases.add(match("count", "<", 2, ids("s-1", "s-4")));
    cases.add(match("count", "<=", 2, ids("s-1", "s-2", "s-4")));
    cases.add(match("count", ">", 1, ids("s-2", "s-3")));
    cases.add(match("count", ">=", 3, ids("s-3")));
    cases.add(match("count", "between", List.of(1, 2), ids("s-1", "s-2")));
    cases.add(match("count", "in", List.of(1, 3, 99), ids("s-1", "s-3")));
    cases.add(match("count", "not in", List.of(1, 3), ids("s-2", "s-4")));
    cases.add(match("count", "null", true, ids("s-5")));
    cases.add(match("count", "null", false, ids("s-1", "s-2", "s-3", "s-4")));
    // number
    cases.add(match("ratio", "=", 1.5, ids("s-2")));
    cases.add(match("ratio", "!=", 0.5, ids("s-2", "s-3", "s-4")));
    cases.add(match("ratio", "<", 0.5, ids("s-4")));
    cases.add(match("ratio", "<=", 0.5, ids("s-1", "s-4")));
    cases.add(match("ratio", ">", 1, ids("s-2", "s-3")));
    cases.add(match("ratio", ">=", 2.25, ids("s-3")));
    cases.add(match("ratio", "between", List.of(0.5, 2), ids("s-1", "s-2")));
    cases.add(match("ratio", "in", List.of(0.5, 2.25), ids("s-1", "s-3")));
    cases.add(match("ratio", "not in", List.of(0.5), ids("s-2", "s-3", "s-4")));
    cases.add(match("ratio", "null", true, ids("s-5")));
    // boolean
    cases.add(match("flag", "=", true, ids("s-1", "s-3")));
    cases.add(match("flag", "=", false, ids("s-2", "s-4")));
    cases.add(match("flag", "!=", true, ids("s-2", "s-4")));
    cases.add(match("flag", "in", List.of(false), ids("s-2", "s-4")));
    cases.add(match("flag", "not in", List.of(false), ids("s-1", "s-3")));
    cases.add(match("flag", "null", true, ids("s-5")));
    cases.add(match("flag", "null", false, ids("s-1", "s-2", "s-3", "s-4")));
    // date
    cases.add(match("day", "=", "2024-02-15", ids("s-2")));
    cases.add(match("day", "!=", "2024-02-15", ids("s-1", "s-3", "s-4")));
    cases.add(match("day", "<", "2024-01-01", ids("s-4")));
    cases.add(match("day", "<=", "2024-01-01", ids("s-1", "s-4")));
    cases.add(match("day", ">", "2024-02-15", ids("s-3")));
    cases.add(match("day", ">=", "2024-02-15", ids("s-2", "s-3")));
    cases.add(match("day", "between", List.of("2024-01-01", "2024-02-15"), ids("s-1", "s-2")));
    cases.add(match("day", "in", List.of("2024-03-31", "2020-01-01"), ids("s-3")));
    cases.add(match("day", "not in", List.of("2024-03-31"), ids("s-1", "s-2", "s-4")));
    cases.add(match("day", "null", true, ids("s-5")));
    // date-time, with offsets, fractions and date-only values (start of that day, UTC)
    cases.add(match("taken_at", "=", "2024-01-01T11:00:00+01:00", ids("s-1")));
    cases.add(match("taken_at", "!=", "2024-01-01T10:00:00Z", ids("s-2", "s-3", "s-4")));
    cases.add(match("taken_at", "<", "2024-01-01T10:00:00Z", ids("s-4")));
    cases.add(match("taken_at", "<=", "2024-01-01T10:00:00Z", ids("s-1", "s-4")));
    cases.add(match("taken_at", ">", "2024-03-31T23:59:59Z", ids("s-3")));
    cases.add(match("taken_at", ">=", "2024-02-15T12:30:00.000001Z", ids("s-3")));
    cases.add(match("taken_at", "between", List.of("2024-01-01T10:00:00Z", "2024-02-15T12:30:00Z"),
        ids("s-1", "s-2")));
    cases.add(match("taken_at", "in", List.of("2024-02-15T12:30:00Z", "2024-03-31T23:59:59.500Z"),
        ids("s-2", "s-3")));
    cases.add(match("taken_at", "not in", List.of("2024-02-15T12:30:00Z"), ids("s-1", "s-3", "s-4")));
    cases.add(match("taken_at", ">=", "2024-01-01", ids("s-1", "s-2", "s-3")));
    cases.add(match("taken_at", "<", "2024-01-01", ids("s-4")));
    cases.add(match("taken_at", "=", "2023-12-31", ids("s-4")));
    cases.add(match("taken_at", "between", List.of("2024-03-31", "2024-04-01"), ids("s-3")));
    cases.add(match("taken_at", "null", true, ids("s-5")));
    // enum string
    cases.add(match("grade", "=", "high", ids("s-2", "s-3")));
    cases.add(match("grade", "!=", "high", ids("s-1", "s-4")));
    cases.add(match("grade", "<", "low", ids("s-2", "s-3")));
    cases.add(match("grade", "in", List.of("low"), ids("s-1", "s-4")));
    cases.add(match("grade", "not in", List.of("low"), ids("s-2", "s-3")));
    cases.add(match("grade", "like", "h%", ids("s-2", "s-3")));
    cases.add(match("grade", "null", true, ids("s-5")));
    cases.add(match("grade", "null", false, ids("s-1", "s-2", "s-3", "s-4")));
    // list of string
    cases.add(match("tags", "contains", "blue", ids("s-1", "s-2")));
    cases.add(match("tags", "contains", "green", ids("s-3")));
    cases.add(match("tags", "contains", "purple", ids()));
    cases.add(match("tags", "null", true, ids("s-5")));
    cases.add(match("tags", "null", false, ids("s-1", "s-2", "s-3", "s-4")));
    // list of integer
    cases.add(match("sizes", "contains", 2, ids("s-1", "s-2")));
    cases.add(match("sizes", "contains", 30, ids("s-3")));
    cases.add(match("sizes", "contains", 4, ids()));
    cases.add(match("sizes", "null", true, ids("s-5")));
    // metadata: identifier
    cases.add(match("identifier", "=", "s-3", ids("s-3")));
    cases.add(match("identifier", "in", List.of("s-1", "s-3", "x-9"), ids("s-1", "s-3")));
    cases.add(match("identifier", "not in", List.of("s-1"), ids("s-2", "s-3", "s-4", "s-5")));
    cases.add(match("identifier", ">", "s-3", ids("s-4", "s-5")));
    cases.add(match("identifier", "like", "s-%", ALL));
    cases.add(match("identifier", "regex", "^s-[12]$", ids("s-1", "s-2")));
    // metadata: parent_identifier (null for roots)
    cases.add(match("parent_identifier", "=", "ds-1", ids("s-2", "s-3")));
    cases.add(match("parent_identifier", "!=", "ds-1", ids()));
    cases.add(match("parent_identifier", "in", List.of("ds-1", "ds-9"), ids("s-2", "s-3")));
    cases.add(match("parent_identifier", "null", true, ids("s-1", "s-4", "s-5")));
    cases.add(match("parent_identifier", "null", false, ids("s-2", "s-3")));
    // metadata: license (nullable string)
    cases.add(match("license", "=", "MIT", ids("s-1", "s-4")));
    cases.add(match("license", "!=", "MIT", ids("s-2")));
    cases.add(match("license", "not in", List.of("MIT"), ids("s-2")));
    cases.add(match("license", "ilike", "mit", ids("s-1", "s-4")));
    cases.add(match("license", "like", "CC-%", ids("s-2")));
    cases.add(match("license", "null", true, ids("s-3", "s-5")));
    // metadata: access_level, ordered public < internal < confidential < restricted
    cases.add(match("access_level", "=", "internal", ids("s-2", "s-5")));
    cases.add(match("access_level", "!=", "internal", ids("s-1", "s-3", "s-4")));
    cases.add(match("access_level", "<", "internal", ids("s-1")));
    cases.add(match("access_level", "<=", "internal", ids("s-1", "s-2", "s-5")));
    cases.add(match("access_level", ">", "internal", ids("s-3", "s-4")));
    cases.add(match("access_level", ">=", "confidential", ids("s-3", "s-4")));
    cases.add(match("access_level", "between", List.of("internal", "confidential"), ids("s-2", "s-3", "s-5")));
    cases.add(match("access_level", "in", List.of("public", "restricted"), ids("s-1", "s-4")));
    cases.add(match("access_level", "not in", List.of("internal"), ids("s-1", "s-3", "s-4")));
    // metadata: derived_from (list), version, payload_type, is_deleted
    cases.add(match("derived_from", "contains", "s-1", ids("s-2", "s-3")));
    cases.add(match("derived_from", "contains", "s-2", ids("s-3")));
    cases.add(match("derived_from", "contains", "s-5", ids()));
    cases.add(match("version", "=", 1, ALL));
    cases.add(match("version", ">", 1, ids()));
    cases.add(match("payload_type", "=", "sample", ALL));
    cases.add(match("payload_type", "=", "study", ids()));
    cases.add(match("is_deleted", "=", false, ALL));
    cases.add(match("is_deleted", "=", true, ids()));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} matches {2}")
  @MethodSource("operatorCases")
  void conditionMatchesExactlyTheExpectedResources(String shown, String filterJson, List<String> expected) {
    createSamples();

    assertThat(matching(filterJson)).as(shown).isEqualTo(expected);
  }

  @Test
  void comparisonsNeverMatchANullField() {
    createSamples();
    List<String> comparisons = List.of(
        cond("count", "=", 2), cond("count", "!=", 2), cond("count", "<", 100), cond("count", "<=", 100),
        cond("count", ">", -100), cond("count", ">=", -100), cond("count", "between", List.of(-100, 100)),
        cond("count", "in", List.of(-10, 1, 2, 3)), cond("count", "not in", List.of(99)),
        cond("grade", "!=", "medium"), cond("grade", "not in", List.of("medium")), cond("grade", "like", "%"),
        cond("grade", "ilike", "%"), cond("grade", "regex", ".*"), cond("license", "!=", "GPL"),
        cond("tags", "contains", "blue"));

    for (String comparison : comparisons) {
      assertThat(matching(comparison)).as(comparison).doesNotContain("s-5");
    }
  }

  @Test
  void negatedComparisonsDoNotMatchANullFieldEither() {
    createSamples();

    assertThat(matching("{\"not\": " + cond("count", "=", 2) + "}")).containsExactly("s-1", "s-3", "s-4");
    assertThat(matching("{\"not\": " + cond("count", "in", List.of(1, 2)) + "}")).containsExactly("s-3", "s-4");
    assertThat(matching("{\"not\": " + cond("tags", "contains", "blue") + "}")).containsExactly("s-3", "s-4");
    assertThat(matching("{\"not\": " + cond("license", "=", "MIT") + "}")).containsExactly("s-2");
  }

  @Test
  void nullOperatorMatchesExactlyTheUnsetFields() {
    createSamples();

    for (String field : List.of("count", "ratio", "flag", "day", "taken_at", "grade", "tags", "sizes")) {
      assertThat(matching(cond(field, "null", true))).as("%s is null", field).containsExactly("s-5");
      assertThat(matching(cond(field, "null", false))).as("%s is not null", field)
          .containsExactly("s-1", "s-2", "s-3", "s-4");
    }
  }

  @Test
  void versionComparesAsAnInteger() {
    createSamples();
    for (int i = 0; i < 10; i++) {
      store.update(Map.of("s-2", change("count", 100 + i)));
    }
    store.update(Map.of("s-3", change("count", 100)));

    assertThat(matching(cond("version", "=", 11))).containsExactly("s-2");
    assertThat(matching(cond("version", ">", 9))).containsExactly("s-2");
    assertThat(matching(cond("version", ">=", 2))).containsExactly("s-2", "s-3");
    assertThat(matching(cond("version", "between", List.of(1, 2)))).containsExactly("s-1", "s-3", "s-4", "s-5");
  }

  @Test
  void createdAtAndUpdatedAtCompareWithAnIsoDateTime() {
    createSamples();
    Instant updated = commit(() -> store.update(Map.of("s-1", change("count", 5))));
    String firstWithOffset = OffsetDateTime.ofInstant(firstBatch, ZoneOffset.ofHours(2)).toString();

    assertThat(matching(cond("created_at", "=", firstBatch.toString()))).containsExactly("s-1", "s-2", "s-3");
    assertThat(matching(cond("created_at", "=", firstWithOffset))).containsExactly("s-1", "s-2", "s-3");
    assertThat(matching(cond("created_at", ">", firstBatch.toString()))).containsExactly("s-4", "s-5");
    assertThat(matching(cond("created_at", "<=", secondBatch.toString()))).isEqualTo(ALL);
    assertThat(matching(cond("created_at", "between", List.of(firstBatch.toString(), firstBatch.toString()))))
        .containsExactly("s-1", "s-2", "s-3");
    assertThat(matching(cond("updated_at", ">=", updated.toString()))).containsExactly("s-1");
    assertThat(matching(cond("updated_at", "<", updated.toString()))).containsExactly("s-2", "s-3", "s-4", "s-5");
  }

  @Test
  void createdAtComparesWithADateOnlyValueAsStartOfThatDayUtc() {
    createSamples();
    LocalDate firstDay = firstBatch.atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate lastDay = secondBatch.atZone(ZoneOffset.UTC).toLocalDate();

    assertThat(matching(cond("created_at", ">=", firstDay.toString()))).isEqualTo(ALL);
    assertThat(matching(cond("created_at", "<", firstDay.toString()))).isEmpty();
    assertThat(matching(cond("created_at", "<", lastDay.plusDays(1).toString()))).isEqualTo(ALL);
    assertThat(matching(cond("updated_at", "between", List.of(firstDay.toString(), lastDay.plusDays(1).toString()))))
        .isEqualTo(ALL);
    assertThat(matching(cond("updated_at", ">=", lastDay.plusDays(1).toString()))).isEmpty();
  }

  @Test
  void inListsUpToTheirMaximumSizeAreAnsweredAtAnyTime() {
    createSamples();
    Instant before = store.lastCommitTime();
    store.update(Map.of("s-1", change("count", 7)));
    List<Long> many = LongStream.range(0, QueryValidator.MAX_IN_VALUES).map(i -> i * 3).boxed().toList();
    List<Long> more = LongStream.range(0, QueryValidator.MAX_IN_VALUES).map(i -> i * 3 + 1).boxed().toList();
    Filter one = Filter.where("count", Operator.IN, many);
    Filter two = Filter.or(one, Filter.where("count", Operator.IN, more));

    assertThat(matching(one)).containsExactly("s-3");
    assertThat(matching(two)).containsExactly("s-1", "s-3");
    for (Filter f : List.of(one, two)) {
      QueryRequest then = QueryRequest.of(TYPE).filter(f).sortBy("identifier", SortOrder.ASC).asOf(before).build();
      assertThat(identifiers(store.query(then).results())).as("%s as of before", f == one ? "one list" : "two lists")
          .isEqualTo(f == one ? ids("s-3") : ids("s-1", "s-3"));
      assertThat(store.count(then).value()).isEqualTo(f == one ? 1 : 2);
    }
  }

  @Test
  void inListOverItsMaximumSizeIsRejected() {
    createSamples();
    List<Long> tooMany = LongStream.range(0, QueryValidator.MAX_IN_VALUES + 1).boxed().toList();

    assertInvalid(QueryRequest.of(TYPE).filter(Filter.where("count", Operator.IN, tooMany)).build(),
        "count", "in", String.valueOf(QueryValidator.MAX_IN_VALUES));
  }

  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §6.2 nested logic.

  @Test
  void nestedAndOrNotCombine() {
    createSamples();

    assertThat(matching("""
        {"or": [
          {"and": [{"field": "flag", "op": "=", "value": true}, {"field": "count", "op": ">", "value": 1}]},
          {"field": "label", "op": "=", "value": "delta%"}
        ]}""")).containsExactly("s-3", "s-4");
    assertThat(matching("""
        {"not": {"or": [{"field": "grade", "op": "=", "value": "high"}, {"field": "count", "op": "<", "value": 0}]}}
        """)).containsExactly("s-1");
    assertThat(matching("""
        {"and": [
          {"not": {"not": {"field": "tags", "op": "contains", "value": "blue"}}},
          {"or": [{"field": "access_level", "op": ">=", "value": "internal"}, {"field": "day", "op": "null", "value": true}]}
        ]}""")).containsExactly("s-2");
  }

  @Test
  void aBareListMeansAnd() {
    createSamples();
    String conditions = cond("flag", "=", true) + ", " + cond("grade", "=", "low");

    assertThat(matching("[" + conditions + "]")).containsExactly("s-1");
    assertThat(matching("{\"and\": [" + conditions + "]}")).containsExactly("s-1");
    assertThat(matching("{\"or\": [[" + conditions + "], " + cond("count", "=", 3) + "]}"))
        .containsExactly("s-1", "s-3");
  }

  @Test
  void anEmptyAndMatchesEverything() {
    createSamples();

    assertThat(matching("{\"and\": []}")).isEqualTo(ALL);
    assertThat(matching("[]")).isEqualTo(ALL);
    assertThat(matching("{\"not\": {\"and\": []}}")).isEmpty();
  }

  @Test
  void anEmptyOrMatchesNothing() {
    createSamples();

    assertThat(matching("{\"or\": []}")).isEmpty();
    assertThat(matching("{\"not\": {\"or\": []}}")).isEqualTo(ALL);
  }

  @Test
  void filtersBuiltInJavaMatchTheSameAsTheirJsonForm() {
    createSamples();
    Filter built = Filter.or(
        Filter.and(Filter.eq("flag", true), Filter.where("count", Operator.GT, 1)),
        Filter.not(Filter.where("access_level", Operator.LE, AccessLevel.INTERNAL)),
        Filter.where("day", Operator.BETWEEN, List.of(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 2, 28))));

    List<String> expected = ids("s-2", "s-3", "s-4");
    assertThat(matching(built)).isEqualTo(expected);
    assertThat(matching(FilterJson.toJson(built).toString())).isEqualTo(expected);
  }

  @Test
  void aValueThatLooksLikeSqlIsOnlyAValue() {
    createSamples();

    assertThat(matching(cond("label", "=", "x'; DROP TABLE vxc_sample; --"))).isEmpty();
    assertThat(matching(cond("label", "like", "%' OR '1'='1"))).isEmpty();
    assertThat(matching(cond("label", "in", List.of("') OR TRUE --", "echo")))).containsExactly("s-5");
    assertThat(matching("[]")).isEqualTo(ALL);
  }

  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §6.2, §6.7 invalid requests: a validation error naming the problem, and nothing changed.

  @Test
  void unknownPayloadTypeIsRejected() {
    createSamples();

    assertInvalid(QueryRequest.of("no_such_type").build(), "payload_type", "no_such_type");
  }

  @Test
  void unknownFieldIsRejected() {
    createSamples();

    assertInvalidFilter(cond("colour", "=", "red"), "colour", "unknown field");
  }

  @Test
  void fieldOfAnotherPayloadTypeIsRejected() {
    createSamples();

    assertInvalidFilter(cond("external_uid", "=", "x"), "external_uid", "unknown field");
  }

  @Test
  void stringForAnIntegerFieldIsRejected() {
    createSamples();

    assertInvalidFilter(cond("count", "=", "2"), "count", "'2'");
  }

  @Test
  void stringForANumberFieldIsRejected() {
    createSamples();

    assertInvalidFilter(cond("ratio", ">", "1.5"), "ratio", "'1.5'");
  }

  @Test
  void stringForABooleanFieldIsRejected() {
    createSamples();

    assertInvalidFilter(cond("flag", "=", "yes"), "flag", "'yes'");
  }

  @Test
  void nonDateForADateFieldIsRejected() {
    createSamples();

    assertInvalidFilter(cond("day", "=", "abc"), "day", "abc");
    assertInvalidFilter(cond("day", "between", List.of("2024-01-01", "2024-13-45")), "day", "2024-13-45");
  }

  @Test
  void nonDateTimeForADateTimeFieldIsRejected() {
    createSamples();

    assertInvalidFilter(cond("taken_at", ">", "abc"), "taken_at", "abc");
    assertInvalidFilter(cond("created_at", ">", "yesterday"), "created_at", "yesterday");
  }

  @Test
  void dateTimeWithoutOffsetIsRejected() {
    createSamples();

    assertInvalidFilter(cond("taken_at", "<", "2024-01-01T10:00:00"), "taken_at", "2024-01-01T10:00:00");
  }

  @Test
  void unknownAccessLevelIsRejected() {
    createSamples();

    assertInvalidFilter(cond("access_level", ">=", "secret"), "access_level", "secret");
  }

  @Test
  void invalidRegexIsRejected() {
    createSamples();

    assertInvalidFilter(cond("label", "regex", "([a-z"), "label", "regex", "regular expression");
  }

  @Test
  void emptyInListIsRejected() {
    createSamples();

    assertInvalidFilter(cond("label", "in", List.of()), "label", "in", "empty");
    assertInvalidFilter(cond("count", "not in", List.of()), "count", "not in", "empty");
  }

  @Test
  void betweenWithOneValueIsRejected() {
    createSamples();

    assertInvalidFilter(cond("count", "between", List.of(1)), "count", "between", "[low, high]");
  }

  @Test
  void betweenWithAScalarIsRejected() {
    createSamples();

    assertInvalidFilter(cond("day", "between", "2024-01-01"), "day", "between", "[low, high]");
  }

  @Test
  void containsOnAScalarFieldIsRejected() {
    createSamples();

    assertInvalidFilter(cond("count", "contains", 1), "count", "contains", "list");
  }

  @Test
  void comparisonOnAListFieldIsRejected() {
    createSamples();

    assertInvalidFilter(cond("tags", "=", "blue"), "tags", "contains");
  }

  @Test
  void wrongElementTypeForContainsIsRejected() {
    createSamples();

    assertInvalidFilter(cond("sizes", "contains", "two"), "sizes", "contains", "'two'");
  }

  @Test
  void orderingOperatorOnABooleanIsRejected() {
    createSamples();

    assertInvalidFilter(cond("flag", "<", true), "flag", "<", "ordered");
    assertInvalidFilter(cond("flag", "between", List.of(false, true)), "flag", "between", "ordered");
  }

  @Test
  void patternOperatorOnANonStringFieldIsRejected() {
    createSamples();

    assertInvalidFilter(cond("count", "like", "1%"), "count", "like", "string");
    assertInvalidFilter(cond("access_level", "regex", "^p"), "access_level", "regex", "string");
  }

  @Test
  void nullValueForAComparisonIsRejected() {
    createSamples();

    assertInvalidFilter(cond("count", "=", null), "count", "=", "null");
  }

  @Test
  void nonBooleanForTheNullOperatorIsRejected() {
    createSamples();

    assertInvalidFilter(cond("count", "null", "yes"), "count", "null", "true");
  }

  @Test
  void everyProblemOfARequestIsReported() {
    createSamples();
    QueryRequest request = QueryRequest.of(TYPE).filter(filter("[" + cond("colour", "=", "red") + ", "
        + cond("count", "=", "two") + "]")).sortBy("shade", SortOrder.ASC).build();

    assertThatThrownBy(() -> store.query(request)).isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).violations())
            .extracting(v -> v.field() + ": " + v.message())
            .anySatisfy(s -> assertThat(s).contains("colour"))
            .anySatisfy(s -> assertThat(s).contains("count", "'two'"))
            .anySatisfy(s -> assertThat(s).contains("sort_by", "shade")));
  }

  @Test
  void malformedFilterJsonIsRejectedNamingItsPath() {
    JsonNode unknownOp = readTree("{\"and\": [" + cond("count", "=", 1) + ", " + cond("count", "~~", 1) + "]}");
    JsonNode noValue = readTree("[{\"field\": \"count\", \"op\": \"=\"}]");
    JsonNode stray = readTree("{\"field\": \"count\", \"op\": \"=\", \"value\": 1, \"extra\": 2}");

    assertThatThrownBy(() -> FilterJson.parse(unknownOp)).isInstanceOf(ValidationException.class)
        .hasMessageContainingAll("filters.and[1].op", "~~");
    assertThatThrownBy(() -> FilterJson.parse(noValue)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("filters[0].value");
    assertThatThrownBy(() -> FilterJson.parse(stray)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("extra");
  }

  @Test
  void injectionInAFieldNameIsRejected() {
    createSamples();
    String field = "name; DROP TABLE vxc_sample --";

    assertInvalidFilter(cond(field, "=", "x"), field, "unknown field");
    assertInvalidFilter(cond("label\" = 'x' OR \"label", "=", "x"), "label\" = 'x' OR \"label");
    assertInvalidFilter(cond("1=1) OR (label", "null", false), "1=1) OR (label");
  }

  @Test
  void injectionInASortKeyIsRejected() {
    createSamples();

    assertInvalid(QueryRequest.of(TYPE).sortBy("created_at desc, (select 1)", SortOrder.ASC).build(),
        "sort_by", "created_at desc, (select 1)");
    assertInvalid(QueryRequest.of(TYPE).sortBy("label\"; DROP TABLE vxc_sample; --", SortOrder.DESC).build(),
        "sort_by", "label\"; DROP TABLE vxc_sample; --");
  }

  @Test
  void injectionInASelectedColumnIsRejected() {
    createSamples();

    assertInvalid(QueryRequest.of(TYPE).select("label", "count\" FROM vxc_sample; --").build(),
        "select_columns", "count\" FROM vxc_sample; --");
  }

  @Test
  void injectionInAPayloadTypeIsRejected() {
    createSamples();

    assertInvalid(QueryRequest.of("sample; DROP TABLE vxc_sample").build(), "payload_type",
        "sample; DROP TABLE vxc_sample");
  }

  private static JsonNode readTree(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
