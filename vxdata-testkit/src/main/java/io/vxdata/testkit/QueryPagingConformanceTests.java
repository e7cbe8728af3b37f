package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.artefact;
import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.identifiers;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.vxdata.AccessLevel;
import io.vxdata.Fields;
import io.vxdata.NewResource;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.ValidationException;
import io.vxdata.json.FilterJson;
import io.vxdata.query.Filter;
import io.vxdata.query.Operator;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.SortKey;
import io.vxdata.query.SortOrder;
import io.vxdata.schema.PayloadType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Query scope, projection, order, keyset pages, count and {@code as_of} (docs/behaviour.md §6.1, §6.3–§6.6,
 * §4). Subclass it with a backend's {@link #newStore()}.
 *
 * <p>Order and paging use twelve {@code sample} resources (see
 * {@link VxDataTestSupport#SAMPLE_SCHEMA}) with ties and nulls, created in three commits:
 *
 * <pre>
 * id    commit count ratio grade label day        flag  access_level license
 * r-01  B      3     1.0   low   k     2024-01-03 true  public       MIT
 * r-02  C      1     -     high  c     -          false internal     -
 * r-03  A      3     2.0   -     a     2024-01-01 -     confidential -
 * r-04  C      -     1.0   low   b     2024-01-02 true  restricted   -
 * r-05  A      2     0.5   high  j     2024-01-03 false internal     MIT
 * r-06  B      1     1.0   low   e     -          true  public       -
 * r-07  C      -     -     high  f     2024-01-01 false internal     -
 * r-08  B      2     2.0   low   g     2024-01-02 -     confidential -
 * r-09  C      3     0.5   high  h     2024-01-03 true  internal     MIT
 * r-10  A      -     2.0   -     i     -          false public       -
 * r-11  C      1     0.5   low   d     2024-01-01 true  restricted   -
 * r-12  A      2     1.0   high  l     2024-01-02 false internal     -
 * </pre>
 *
 * <p>Scope uses the hierarchy ds-1 → p-1 → {st-1, st-2}, ds-1 → p-2 → st-3, ds-2 → p-3 → st-4,
 * with artefacts a-1 under ds-1, a-2 under st-1, a-3 under a-2, a-4 under st-4 and a root a-5.
 */
public abstract class QueryPagingConformanceTests extends VxDataTestSupport {

  private static final String TYPE = "sample";

  // ---------------------------------------------------------------------------------------------
  // Data sets

  private static NewResource row(String id, Long count, Double ratio, String grade, String label, String day,
      Boolean flag, AccessLevel access, String license) {
    return NewResource.builder(TYPE, id).set("count", count).set("ratio", ratio).set("grade", grade)
        .set("label", label).set("day", day).set("flag", flag).accessLevel(access).license(license).build();
  }

  private static final Map<String, NewResource> ROWS = new LinkedHashMap<>();

  static {
    AccessLevel pub = AccessLevel.PUBLIC;
    AccessLevel internal = AccessLevel.INTERNAL;
    AccessLevel conf = AccessLevel.CONFIDENTIAL;
    AccessLevel restricted = AccessLevel.RESTRICTED;
    List.of(
        row("r-01", 3L, 1.0, "low", "k", "2024-01-03", true, pub, "MIT"),
        row("r-02", 1L, null, "high", "c", null, false, internal, null),
        row("r-03", 3L, 2.0, null, "a", "2024-01-01", null, conf, null),
        row("r-04", null, 1.0, "low", "b", "2024-01-02", true, restricted, null),
        row("r-05", 2L, 0.5, "high", "j", "2024-01-03", false, internal, "MIT"),
        row("r-06", 1L, 1.0, "low", "e", null, true, pub, null),
        row("r-07", null, null, "high", "f", "2024-01-01", false, internal, null),
        row("r-08", 2L, 2.0, "low", "g", "2024-01-02", null, conf, null),
        row("r-09", 3L, 0.5, "high", "h", "2024-01-03", true, internal, "MIT"),
        row("r-10", null, 2.0, null, "i", null, false, pub, null),
        row("r-11", 1L, 0.5, "low", "d", "2024-01-01", true, restricted, null),
        row("r-12", 2L, 1.0, "high", "l", "2024-01-02", false, internal, null))
        .forEach(r -> ROWS.put(r.identifier(), r));
  }

  private static final List<String> ALL_ROWS = List.copyOf(ROWS.keySet());

  private void registerSample() {
    registerType(PayloadType.fromJsonSchema(TYPE, SAMPLE_SCHEMA));
  }

  private NewResource[] rows(String... ids) {
    return Stream.of(ids).map(ROWS::get).toArray(NewResource[]::new);
  }

  /** Creates the twelve rows in three commits A, B, C. */
  private void createRows() {
    registerSample();
    create(rows("r-05", "r-10", "r-03", "r-12"));
    create(rows("r-01", "r-08", "r-06"));
    create(rows("r-02", "r-04", "r-07", "r-09", "r-11"));
  }

  /** A sample with only the required label. */
  private static NewResource sample(String id, long count) {
    return NewResource.builder(TYPE, id).set("label", "x").set("count", count).set("grade", "low").build();
  }

  private void createHierarchy() {
    create(datasource("ds-1"), datasource("ds-2"), patient("p-1", "ds-1"), patient("p-2", "ds-1"),
        patient("p-3", "ds-2"), study("st-1", "p-1", "uid-1"), study("st-2", "p-1", "uid-2"),
        study("st-3", "p-2", "uid-3"), study("st-4", "p-3", "uid-4"), artefact("a-1", "ds-1"),
        artefact("a-2", "st-1"), artefact("a-3", "a-2"), artefact("a-4", "st-4"), artefact("a-5", null));
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** One big page (limit 1000) of {@code request}. */
  private QueryPage bigPage(QueryRequest request) {
    QueryPage page = store.query(request.toBuilder().cursor(null).limit(QueryRequest.MAX_LIMIT).build());
    assertThat(page.nextCursor()).as("next cursor of one big page").isNull();
    return page;
  }

  private List<String> ids(QueryRequest request) {
    return identifiers(bigPage(request).results());
  }

  /** More rows than any walk of these tests can have. */
  private static final int MAX_WALKED_ROWS = 1_000;

  /** Every page of {@code request} walked with {@code limit}, checking the cursor on each. */
  private List<QueryPage> walk(QueryRequest request, int limit) {
    List<QueryPage> pages = new ArrayList<>();
    QueryPage page = store.query(request.toBuilder().limit(limit).build());
    pages.add(page);
    while (page.nextCursor() != null) {
      assertThat(page.results()).as("a page with a next cursor is full").hasSize(limit);
      assertThat(pages.size() * limit).as("rows walked, which a walk that repeats itself would exceed")
          .isLessThanOrEqualTo(MAX_WALKED_ROWS);
      page = store.query(request.toBuilder().limit(limit).build().next(page));
      pages.add(page);
    }
    return pages;
  }

  private static List<String> walked(List<QueryPage> pages) {
    return pages.stream().flatMap(p -> identifiers(p.results()).stream()).toList();
  }

  private static List<SortKey> sortKeys(String spec) {
    if (spec.isBlank()) {
      return List.of();
    }
    return Stream.of(spec.split(",")).map(String::trim).map(k -> k.split(" "))
        .map(k -> new SortKey(k[0], SortOrder.parse(k[1]))).toList();
  }

  private static QueryRequest sorted(String spec) {
    QueryRequest.Builder b = QueryRequest.of(TYPE);
    sortKeys(spec).forEach(b::sort);
    return b.build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Comparable<Object> sortValue(Resource r, String field) {
    return (Comparable) r.value(field);
  }

  /** The specified order: each key with nulls high, then identifier in the direction of the last key. */
  private static Comparator<Resource> specifiedOrder(List<SortKey> keys) {
    List<SortKey> all = new ArrayList<>(keys.isEmpty() ? List.of(SortKey.desc(Fields.CREATED_AT)) : keys);
    all.add(new SortKey(Fields.IDENTIFIER, all.get(all.size() - 1).order()));
    Comparator<Resource> order = (a, b) -> 0;
    for (SortKey key : all) {
      Comparator<Comparable<Object>> values = Comparator.nullsLast(Comparator.<Comparable<Object>>naturalOrder());
      Comparator<Comparable<Object>> directed = key.order() == SortOrder.ASC ? values : values.reversed();
      order = order.thenComparing(r -> sortValue(r, key.field()), directed);
    }
    return order;
  }

  /** Asserts the rejection of a query (not of its count) with a validation error, and that nothing changed. */
  private void assertQueryRejected(QueryRequest request, String... mentioned) {
    Instant before = store.lastCommitTime();
    long count = store.count(QueryRequest.of(request.payloadType()).build()).value();
    assertThatThrownBy(() -> store.query(request)).isInstanceOf(ValidationException.class)
        .hasMessageContainingAll(mentioned);
    assertThat(store.lastCommitTime()).as("lastCommitTime after a rejected query").isEqualTo(before);
    assertThat(store.count(QueryRequest.of(request.payloadType()).build()).value()).as("count after a rejected query")
        .isEqualTo(count);
  }

  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §6.1 scope.

  @Test
  void childrenScopeReturnsOnlyDirectChildren() {
    createHierarchy();

    assertThat(ids(QueryRequest.of("artefact").children("ds-1").build())).containsExactly("a-1");
    assertThat(ids(QueryRequest.of("artefact").children("st-1").build())).containsExactly("a-2");
    assertThat(ids(QueryRequest.of("study").children("p-1").build())).containsExactlyInAnyOrder("st-1", "st-2");
    assertThat(ids(QueryRequest.of("study").children("ds-1").build())).isEmpty();
    assertThat(store.count(QueryRequest.of("study").children("p-1").build()).value()).isEqualTo(2);
  }

  @Test
  void descendantsScopeReturnsTheWholeSubtree() {
    createHierarchy();

    assertThat(ids(QueryRequest.of("artefact").descendants("ds-1").build()))
        .containsExactlyInAnyOrder("a-1", "a-2", "a-3");
    assertThat(ids(QueryRequest.of("study").descendants("ds-1").build()))
        .containsExactlyInAnyOrder("st-1", "st-2", "st-3");
    assertThat(ids(QueryRequest.of("artefact").descendants("st-1").build())).containsExactlyInAnyOrder("a-2", "a-3");
    assertThat(ids(QueryRequest.of("artefact").descendants("ds-2").build())).containsExactly("a-4");
    assertThat(ids(QueryRequest.of("artefact").descendants("a-5").build())).isEmpty();
    assertThat(store.count(QueryRequest.of("study").descendants("ds-1").build()).value()).isEqualTo(3);
  }

  @Test
  void descendantsFollowAParentChangeThatMovedASubtree() {
    createHierarchy();
    store.update(Map.of("p-2", ResourceUpdate.builder().parent("ds-2").build(),
        "a-2", ResourceUpdate.builder().parent("st-4").build()));

    assertThat(ids(QueryRequest.of("study").descendants("ds-1").build())).containsExactlyInAnyOrder("st-1", "st-2");
    assertThat(ids(QueryRequest.of("study").descendants("ds-2").build())).containsExactlyInAnyOrder("st-3", "st-4");
    assertThat(ids(QueryRequest.of("artefact").descendants("ds-1").build())).containsExactly("a-1");
    assertThat(ids(QueryRequest.of("artefact").descendants("ds-2").build()))
        .containsExactlyInAnyOrder("a-2", "a-3", "a-4");
    assertThat(ids(QueryRequest.of("artefact").children("st-4").build())).containsExactlyInAnyOrder("a-2", "a-4");
    assertThat(store.count(QueryRequest.of("artefact").descendants("ds-2").build()).value()).isEqualTo(3);
  }

  @Test
  void descendantsAsOfBeforeAMoveFollowTheOldHierarchy() {
    createHierarchy();
    Instant beforeMove = store.lastCommitTime();
    store.update(Map.of("p-2", ResourceUpdate.builder().parent("ds-2").build(),
        "a-2", ResourceUpdate.builder().parent("st-4").build()));
    store.update(Map.of("st-3", change("modality", "MR")));

    QueryRequest studies = QueryRequest.of("study").descendants("ds-1").asOf(beforeMove).build();
    QueryRequest artefacts = QueryRequest.of("artefact").descendants("ds-2").asOf(beforeMove).build();
    assertThat(ids(studies)).containsExactlyInAnyOrder("st-1", "st-2", "st-3");
    assertThat(store.count(studies).value()).isEqualTo(3);
    assertThat(ids(artefacts)).containsExactly("a-4");
    assertThat(store.count(artefacts).value()).isEqualTo(1);
    assertThat(ids(QueryRequest.of("artefact").children("st-1").asOf(beforeMove).build())).containsExactly("a-2");
  }

  @Test
  void pagingADescendantsQueryAcrossAMoveYieldsTheFirstPagesSubtree() {
    createHierarchy();
    QueryRequest request = QueryRequest.of("artefact").descendants("ds-1").sortBy("identifier", SortOrder.ASC)
        .limit(1).build();

    QueryPage first = store.query(request);
    store.update(Map.of("a-2", ResourceUpdate.builder().parent("st-4").build()));
    List<String> all = new ArrayList<>(identifiers(first.results()));
    for (QueryPage page = first; page.nextCursor() != null; ) {
      page = store.query(request.next(page));
      all.addAll(identifiers(page.results()));
    }

    assertThat(all).containsExactly("a-1", "a-2", "a-3");
    assertThat(ids(request)).containsExactly("a-1");
  }

  @Test
  void identifiersRestrictToThatSet() {
    createHierarchy();

    assertThat(ids(QueryRequest.of("study").identifiers(List.of("st-1", "st-3", "no-such", "a-1")).build()))
        .containsExactlyInAnyOrder("st-1", "st-3");
    assertThat(ids(QueryRequest.of("study").identifiers(List.of()).build())).isEmpty();
    assertThat(store.count(QueryRequest.of("study").identifiers(List.of("st-1", "st-4")).build()).value()).isEqualTo(2);
  }

  @Test
  void scopeIdentifiersAndFilterCombine() {
    createHierarchy();
    store.update(Map.of("st-2", change("modality", "CT"), "st-3", change("modality", "CT")));

    QueryRequest request = QueryRequest.of("study").descendants("ds-1")
        .identifiers(List.of("st-1", "st-2", "st-4")).filter(Filter.eq("modality", "CT")).build();
    assertThat(ids(request)).containsExactly("st-2");
    assertThat(store.count(request).value()).isEqualTo(1);
  }

  @Test
  void otherPayloadTypesAreNeverReturned() {
    createHierarchy();

    for (String type : List.of("datasource", "patient", "study", "artefact")) {
      QueryPage page = bigPage(QueryRequest.of(type).build());
      assertThat(page.results()).as(type).isNotEmpty().allSatisfy(r -> assertThat(r.payloadType()).isEqualTo(type));
    }
    assertThat(ids(QueryRequest.of("study").identifiers(List.of("a-1", "p-1", "ds-1")).build())).isEmpty();
    assertThat(ids(QueryRequest.of("patient").descendants("ds-1").build())).containsExactlyInAnyOrder("p-1", "p-2");
    assertThat(store.count(QueryRequest.of("artefact").build()).value()).isEqualTo(5);
  }

  @Test
  void deletedResourcesAreNeverReturned() {
    createHierarchy();
    store.delete(List.of("st-2", "p-2"));

    assertThat(ids(QueryRequest.of("study").build())).containsExactlyInAnyOrder("st-1", "st-4");
    assertThat(ids(QueryRequest.of("study").descendants("ds-1").build())).containsExactly("st-1");
    assertThat(ids(QueryRequest.of("study").identifiers(List.of("st-2", "st-3")).build())).isEmpty();
    assertThat(ids(QueryRequest.of("study").filter(Filter.eq("is_deleted", true)).build())).isEmpty();
    assertThat(store.count(QueryRequest.of("study").build()).value()).isEqualTo(2);
  }

  @Test
  void deletedResourcesAreReturnedAsOfBeforeTheirDeletion() {
    createHierarchy();
    Instant beforeDelete = store.lastCommitTime();
    store.delete(List.of("st-2", "p-2"));
    Instant deleted = store.lastCommitTime();
    store.restore(List.of("st-2"));

    QueryRequest then = QueryRequest.of("study").descendants("ds-1").asOf(beforeDelete).build();
    assertThat(ids(then)).containsExactlyInAnyOrder("st-1", "st-2", "st-3");
    assertThat(store.count(then).value()).isEqualTo(3);
    assertThat(ids(QueryRequest.of("study").asOf(deleted).build())).containsExactlyInAnyOrder("st-1", "st-4");
    assertThat(ids(QueryRequest.of("study").build())).containsExactlyInAnyOrder("st-1", "st-2", "st-4");
  }

  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §6.3 projection.

  @Test
  void selectColumnsLimitsThePayloadToTheSelectedFields() {
    createRows();

    List<Resource> full = bigPage(sorted("identifier asc")).results();
    List<Resource> projected = bigPage(sorted("identifier asc").toBuilder().select("count", "label").build())
        .results();

    assertThat(projected).hasSameSizeAs(full);
    for (int i = 0; i < full.size(); i++) {
      Resource p = projected.get(i);
      assertThat(p.payload().keySet()).as(p.identifier()).containsExactlyInAnyOrder("count", "label");
      assertThat(p.get("count")).isEqualTo(full.get(i).get("count"));
      assertThat(p.get("label")).isEqualTo(full.get(i).get("label"));
    }
  }

  /** Metadata fields other than identifier and payload_type: selectable like payload fields. */
  private static final List<String> OPTIONAL_METADATA = List.of("parent_identifier", "license", "access_level",
      "derived_from", "is_deleted", "version", "created_at", "updated_at");

  private void createWithMetadata() {
    registerSample();
    create(datasource("ds-1"), NewResource.builder(TYPE, "m-1").parent("ds-1").license("MIT")
        .accessLevel(AccessLevel.CONFIDENTIAL).set("label", "x").build());
    create(NewResource.builder(TYPE, "m-2").derivedFrom("m-1").set("label", "y").set("count", 1).build());
    store.update(Map.of("m-2", change("count", 2)));
  }

  @Test
  void selectColumnsReturnsOnlyTheNamedFieldsPlusIdentifierAndPayloadType() {
    createWithMetadata();

    List<Resource> full = bigPage(sorted("identifier asc")).results();
    QueryRequest request = sorted("identifier asc").toBuilder().select("count").build();
    List<Resource> projected = bigPage(request).results();

    assertThat(projected).hasSameSizeAs(full);
    for (int i = 0; i < full.size(); i++) {
      Resource f = full.get(i);
      Resource p = projected.get(i);
      assertThat(p.selected()).as(p.identifier()).contains(Set.of("identifier", "payload_type", "count"));
      assertThat(p.payload()).as(p.identifier()).containsExactly(entry("count", f.get("count")));
      assertThat(OPTIONAL_METADATA).as("metadata %s carries", p.identifier()).noneMatch(p::has);
      assertThat(p.parentIdentifier()).isNull();
      assertThat(p.license()).isNull();
      assertThat(p.accessLevel()).isNull();
      assertThat(p.createdAt()).isNull();
      assertThat(p.value("version")).isNull();
      assertThat(p).isEqualTo(f.project(List.of("count")));
    }
    List<Resource> scanned = new ArrayList<>();
    store.scan(request, scanned::add);
    assertThat(scanned).as("a scan projects as a page does").isEqualTo(projected);
  }

  @Test
  void metadataFieldsMayBeSelectedLikePayloadFields() {
    createWithMetadata();
    List<String> chosen = List.of("license", "label", "version", "updated_at", "derived_from");

    List<Resource> full = bigPage(sorted("identifier asc")).results();
    List<Resource> projected = bigPage(sorted("identifier asc").toBuilder().select(chosen).build()).results();

    assertThat(projected).hasSameSizeAs(full);
    for (int i = 0; i < full.size(); i++) {
      Resource f = full.get(i);
      Resource p = projected.get(i);
      for (String field : chosen) {
        assertThat(p.has(field)).as("%s of %s", field, p.identifier()).isTrue();
        assertThat(p.value(field)).as("%s of %s", field, p.identifier()).isEqualTo(f.value(field));
      }
      assertThat(List.of("parent_identifier", "access_level", "is_deleted", "created_at", "count"))
          .as("unselected fields of %s", p.identifier()).noneMatch(p::has);
      assertThat(p.payload().keySet()).containsExactly("label");
    }
    assertThat(projected).extracting(Resource::license).containsExactly("MIT", null);
    assertThat(projected).extracting(Resource::version).containsExactly(1L, 2L);
  }

  @Test
  void selectingOnlyMetadataColumnsReturnsAnEmptyPayload() {
    createRows();

    List<Resource> projected = bigPage(sorted("identifier asc").toBuilder().select("identifier", "license").build())
        .results();

    assertThat(projected).hasSize(12).allSatisfy(r -> assertThat(r.payload()).isEmpty());
    assertThat(projected.get(0).license()).isEqualTo("MIT");
  }

  @Test
  void selectingEveryFieldEqualsNoSelection() {
    createRows();
    List<String> every = new ArrayList<>(List.of("identifier", "payload_type", "parent_identifier", "license",
        "access_level", "derived_from", "is_deleted", "version", "created_at", "updated_at"));
    every.addAll(store.payloadTypes().get(TYPE).fieldNames());

    List<Resource> projected = bigPage(sorted("label asc").toBuilder().select(every).build()).results();
    assertThat(projected).isEqualTo(bigPage(sorted("label asc")).results().stream().map(r -> r.project(every))
        .toList());
    assertThat(projected).allSatisfy(r -> assertThat(every).allMatch(r::has));
  }

  @Test
  void orderingAndPagingByAnUnselectedFieldStillWork() {
    createRows();
    QueryRequest request = sorted("ratio desc, count asc").toBuilder().select("label").build();

    List<String> expected = List.of("r-02", "r-07", "r-08", "r-03", "r-10", "r-06", "r-12", "r-01", "r-04", "r-11",
        "r-05", "r-09");
    assertThat(ids(request)).isEqualTo(expected);
    List<QueryPage> pages = walk(request, 2);
    assertThat(walked(pages)).isEqualTo(expected);
    assertThat(pages).flatMap(QueryPage::results).allSatisfy(r -> assertThat(r.payload().keySet())
        .containsExactly("label"));
  }

  @Test
  void unknownSelectColumnIsRejected() {
    createRows();

    assertThatThrownBy(() -> store.query(QueryRequest.of(TYPE).select("label", "colour").build()))
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("select_columns", "colour");
    assertThatThrownBy(() -> store.count(QueryRequest.of(TYPE).select("colour").build()).value())
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("select_columns", "colour");
  }

  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §6.4 order.

  @Test
  void defaultOrderIsCreatedAtDescendingThenIdentifierDescending() {
    createRows();

    assertThat(ids(QueryRequest.of(TYPE).build())).containsExactly("r-11", "r-09", "r-07", "r-04", "r-02",
        "r-08", "r-06", "r-01", "r-12", "r-10", "r-05", "r-03");
  }

  @Test
  void singleKeyAscendingAndDescending() {
    createRows();

    assertThat(ids(sorted("label asc"))).containsExactly("r-03", "r-04", "r-02", "r-11", "r-06", "r-07", "r-08",
        "r-09", "r-10", "r-05", "r-01", "r-12");
    assertThat(ids(sorted("label desc"))).containsExactly("r-12", "r-01", "r-05", "r-10", "r-09", "r-08", "r-07",
        "r-06", "r-11", "r-02", "r-04", "r-03");
  }

  @Test
  void tiesAreBrokenByIdentifierInTheDirectionOfTheLastKey() {
    createRows();

    assertThat(ids(sorted("count asc"))).containsExactly("r-02", "r-06", "r-11", "r-05", "r-08", "r-12", "r-01",
        "r-03", "r-09", "r-04", "r-07", "r-10");
    assertThat(ids(sorted("grade asc, count desc"))).containsExactly("r-07", "r-09", "r-12", "r-05", "r-02",
        "r-04", "r-01", "r-08", "r-11", "r-06", "r-10", "r-03");
  }

  @Test
  void multipleKeysWithMixedDirections() {
    createRows();

    assertThat(ids(sorted("ratio desc, count asc"))).containsExactly("r-02", "r-07", "r-08", "r-03", "r-10",
        "r-06", "r-12", "r-01", "r-04", "r-11", "r-05", "r-09");
  }

  @Test
  void nullsSortHighLastAscendingFirstDescending() {
    createRows();

    assertThat(ids(sorted("count asc"))).endsWith("r-04", "r-07", "r-10");
    assertThat(ids(sorted("count desc"))).containsExactly("r-10", "r-07", "r-04", "r-09", "r-03", "r-01", "r-12",
        "r-08", "r-05", "r-11", "r-06", "r-02");
    assertThat(ids(sorted("day asc"))).endsWith("r-02", "r-06", "r-10");
    assertThat(ids(sorted("day desc"))).startsWith("r-10", "r-06", "r-02");
  }

  @Test
  void accessLevelSortsByItsOrderNotAlphabetically() {
    createRows();

    assertThat(ids(sorted("access_level asc"))).containsExactly("r-01", "r-06", "r-10", "r-02", "r-05", "r-07",
        "r-09", "r-12", "r-03", "r-08", "r-04", "r-11");
  }

  @Test
  void orderByAMetadataField() {
    createRows();
    store.update(Map.of("r-03", change("count", 4)));
    store.update(Map.of("r-07", change("count", 4)));

    assertThat(ids(sorted("updated_at desc"))).startsWith("r-07", "r-03", "r-11", "r-09");
    assertThat(ids(sorted("version desc, identifier asc"))).startsWith("r-03", "r-07", "r-01", "r-02");
    assertThat(ids(sorted("license asc"))).startsWith("r-01", "r-05", "r-09", "r-02");
  }

  static Stream<String> sorts() {
    return Stream.of("", "created_at asc", "count asc", "count desc", "grade asc, count desc",
        "ratio desc, count asc", "access_level asc", "access_level desc, label asc", "day desc, flag asc",
        "flag desc, ratio asc, grade desc", "label asc", "identifier desc", "license desc, count asc",
        "version asc, created_at desc", "count asc, identifier desc", "payload_type asc",
        "parent_identifier desc, label asc", "is_deleted asc, count desc", "taken_at asc, ratio desc",
        "updated_at asc", "version desc");
  }

  @ParameterizedTest(name = "sort by [{0}]")
  @MethodSource("sorts")
  void oneBigPageIsInTheSpecifiedOrder(String sort) {
    createRows();
    List<Resource> expected = new ArrayList<>(bigPage(sorted("identifier asc")).results());
    expected.sort(specifiedOrder(sortKeys(sort)));

    assertThat(ids(sorted(sort))).isEqualTo(identifiers(expected));
  }

  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §6.5 pages.

  @ParameterizedTest(name = "sort by [{0}]")
  @MethodSource("sorts")
  void walkingAllPagesReturnsEachRowOnceInTheOrderOfOneBigPage(String sort) {
    createRows();
    List<String> expected = ids(sorted(sort));

    for (int limit : new int[] {1, 3, 5}) {
      assertThat(walked(walk(sorted(sort), limit))).as("limit %d", limit).isEqualTo(expected);
    }
    // The same walks in the past, where current and history tables are read together.
    Instant before = store.lastCommitTime();
    create(datasource("later"));
    for (int limit : new int[] {1, 3, 5}) {
      assertThat(walked(walk(sorted(sort).toBuilder().asOf(before).build(), limit)))
          .as("limit %d, as of the commit before the last", limit).isEqualTo(expected);
    }
  }

  @Test
  void walkingAllPagesWithASmallLimitReturnsEachMatchingRowExactlyOnce() {
    createRows();
    QueryRequest request = sorted("grade desc, day asc")
        .toBuilder().filter(Filter.where("count", Operator.NULL, false)).build();

    List<QueryPage> pages = walk(request, 3);

    assertThat(walked(pages)).doesNotHaveDuplicates().isEqualTo(ids(request)).hasSize(9);
  }

  @Test
  void lastPageHasNoNextCursor() {
    createRows();

    List<QueryPage> pages = walk(QueryRequest.of(TYPE).build(), 5);

    assertThat(pages).extracting(p -> p.results().size()).containsExactly(5, 5, 2);
    assertThat(pages.get(0).nextCursor()).isNotNull();
    assertThat(pages.get(1).nextCursor()).isNotNull();
    assertThat(pages.get(2).nextCursor()).isNull();
  }

  @Test
  void aResultThatFillsItsLastPageExactlyEndsWithoutAnEmptyPage() {
    createRows();

    List<QueryPage> pages = walk(QueryRequest.of(TYPE).build(), 4);

    assertThat(pages).extracting(p -> p.results().size()).containsExactly(4, 4, 4);
    assertThat(pages.get(2).nextCursor()).isNull();
  }

  @Test
  void anEmptyResultIsOneEmptyPageWithoutCursor() {
    createRows();

    QueryPage page = store.query(QueryRequest.of(TYPE).filter(Filter.eq("label", "zzz")).limit(3).build());

    assertThat(page.results()).isEmpty();
    assertThat(page.nextCursor()).isNull();
    assertThat(page.limit()).isEqualTo(3);
  }

  @Test
  void countEqualsTheNumberOfRowsPaged() {
    createRows();
    QueryRequest request = sorted("ratio asc").toBuilder().filter(FilterJson.parse(json("""
        {"or": [{"field": "grade", "op": "=", "value": "low"}, {"field": "ratio", "op": ">=", "value": 2}]}
        """))).build();

    int paged = walked(walk(request, 2)).size();

    assertThat(paged).isEqualTo(7);
    assertThat(store.count(request).value()).isEqualTo(paged);
  }

  @Test
  void countIgnoresLimitAndCursor() {
    createRows();
    QueryRequest request = sorted("count asc").toBuilder().limit(2).build();
    QueryPage first = store.query(request);

    assertThat(store.count(request).value()).isEqualTo(12);
    assertThat(store.count(request.next(first)).value()).isEqualTo(12);
  }

  @Test
  void everyPageOfAWalkReportsTheFirstPagesTime() {
    createRows();
    QueryRequest request = sorted("label asc").toBuilder().limit(4).build();

    QueryPage first = store.query(request);
    create(sample("r-13", 0));
    QueryPage second = store.query(request.next(first));
    create(sample("r-14", 0));
    QueryPage third = store.query(request.next(second));

    assertThat(first.asOf()).isEqualTo(readOne("r-11").createdAt());
    assertThat(List.of(second.asOf(), third.asOf())).containsOnly(first.asOf());
  }

  @Test
  void pagingWhileWritesInterleaveYieldsExactlyTheFirstPagesSnapshot() {
    createRows();
    QueryRequest request = sorted("count asc").toBuilder().filter(Filter.eq("grade", "low")).limit(2).build();
    List<String> snapshot = ids(request);
    assertThat(snapshot).containsExactly("r-06", "r-11", "r-08", "r-01", "r-04");

    QueryPage page = store.query(request);
    List<String> all = new ArrayList<>(identifiers(page.results()));
    // Before page 2: a new row sorting first, one sorting last, one into the middle of page 2.
    create(sample("n-1", -5), sample("n-2", 99), NewResource.builder(TYPE, "n-3").set("label", "x")
        .set("count", 2).set("grade", "low").build());
    // A row of page 2 moves to page 1's range, another stops matching, a non-matching one starts to.
    store.update(Map.of("r-08", change("count", -1), "r-01", change("grade", "high"),
        "r-12", change("grade", "low")));
    page = store.query(request.next(page));
    all.addAll(identifiers(page.results()));
    // Before page 3: the last row is deleted, and one already returned moves to the end.
    store.delete(List.of("r-04"));
    store.update(Map.of("r-06", change("count", 50)));
    while (page.nextCursor() != null) {
      page = store.query(request.next(page));
      all.addAll(identifiers(page.results()));
    }

    assertThat(all).isEqualTo(snapshot);
    assertThat(ids(request)).isNotEqualTo(snapshot);
  }

  @Test
  void pagingWhileAnotherThreadWritesYieldsExactlyTheFirstPagesSnapshot() throws Exception {
    createRows();
    QueryRequest request = sorted("count asc").toBuilder().limit(2).build();
    QueryPage big = bigPage(request);

    QueryPage page = store.query(request);
    assertThat(page.asOf()).isEqualTo(big.asOf());
    List<String> all = new ArrayList<>(identifiers(page.results()));
    CountDownLatch started = new CountDownLatch(1);
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      Future<?> writes = writer.submit(() -> {
        started.countDown();
        for (int batch = 0; batch < 10; batch++) {
          int b = batch;
          store.create(IntStream.range(0, 3).mapToObj(i -> sample("w-" + b + "-" + i, b * 3L + i - 10)).toList());
          store.update(Map.of("r-0" + (b % 9 + 1), change("count", 100 - b)));
          if (b < 3) {
            store.delete(List.of("r-1" + b));
          }
        }
      });
      assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
      while (page.nextCursor() != null) {
        page = store.query(request.next(page));
        assertThat(page.asOf()).isEqualTo(big.asOf());
        all.addAll(identifiers(page.results()));
      }
      writes.get(5, TimeUnit.MINUTES);
    } finally {
      writer.shutdownNow();
    }

    assertThat(all).isEqualTo(identifiers(big.results()));
    assertThat(store.count(QueryRequest.of(TYPE).build()).value()).isEqualTo(12 + 30 - 3);
  }

  @Test
  void aCursorReplayedGivesTheSamePage() {
    createRows();
    QueryRequest request = sorted("day asc, flag desc").toBuilder().limit(3).build();
    QueryPage first = store.query(request);
    QueryPage second = store.query(request.next(first));

    store.update(Map.of("r-05", change("day", "2020-01-01")));
    create(sample("r-13", 0));

    assertThat(store.query(request.next(first))).isEqualTo(second);
  }

  @Test
  void changingTheLimitBetweenPagesContinuesTheWalk() {
    createRows();
    QueryRequest request = sorted("label asc");

    QueryPage first = store.query(request.toBuilder().limit(2).build());
    QueryPage rest = store.query(request.toBuilder().limit(20).cursor(first.nextCursor()).build());

    assertThat(identifiers(first.results())).containsExactly("r-03", "r-04");
    assertThat(identifiers(rest.results())).hasSize(10).startsWith("r-02").endsWith("r-12");
    assertThat(rest.nextCursor()).isNull();
  }

  @Test
  void limitDefaultsTo100() {
    registerSample();
    create(IntStream.range(0, 150).mapToObj(i -> sample(String.format("d-%03d", i), i)).toArray(NewResource[]::new));
    QueryRequest request = QueryRequest.of(TYPE).build();

    QueryPage first = store.query(request);
    QueryPage second = store.query(request.next(first));

    assertThat(first.limit()).isEqualTo(QueryRequest.DEFAULT_LIMIT).isEqualTo(100);
    assertThat(first.results()).hasSize(100);
    assertThat(first.nextCursor()).isNotNull();
    assertThat(second.results()).hasSize(50);
    assertThat(second.nextCursor()).isNull();
  }

  @Test
  void limitOf1000IsTheMaximum() {
    registerSample();
    create(IntStream.range(0, 1001).mapToObj(i -> sample(String.format("m-%04d", i), i)).toArray(NewResource[]::new));
    QueryRequest request = QueryRequest.of(TYPE).sortBy("count", SortOrder.ASC).limit(1000).build();

    QueryPage first = store.query(request);
    QueryPage second = store.query(request.next(first));

    assertThat(first.results()).hasSize(1000);
    assertThat(first.limit()).isEqualTo(1000);
    assertThat(first.nextCursor()).isNotNull();
    assertThat(identifiers(second.results())).containsExactly("m-1000");
    assertThat(second.nextCursor()).isNull();
  }

  @Test
  void limitOfZeroIsRejected() {
    createRows();

    assertQueryRejected(QueryRequest.of(TYPE).limit(0).build(), "limit", "0");
    assertQueryRejected(QueryRequest.of(TYPE).limit(-1).build(), "limit", "-1");
  }

  @Test
  void limitOver1000IsRejected() {
    createRows();

    assertQueryRejected(QueryRequest.of(TYPE).limit(1001).build(), "limit", "1001");
  }

  @Test
  void offsetSkipsRowsOfTheOrderAndTheNextCursorContinuesAfterThePage() {
    createRows();
    QueryRequest request = sorted("label asc").toBuilder().filter(Filter.where("count", Operator.NOT_IN, List.of(9L)))
        .build();
    List<String> all = ids(request);

    QueryPage page = store.query(request.toBuilder().offset(3).limit(4).build());
    QueryPage rest = store.query(request.toBuilder().offset(3).limit(4).build().next(page));

    assertThat(all).hasSize(9);
    assertThat(identifiers(page.results())).isEqualTo(all.subList(3, 7));
    assertThat(identifiers(rest.results())).isEqualTo(all.subList(7, 9));
    assertThat(rest.nextCursor()).isNull();
    assertThat(identifiers(store.query(request.toBuilder().offset(9).build()).results())).isEmpty();
    assertThat(identifiers(store.query(request.toBuilder().offset(0).build()).results())).isEqualTo(all);
    assertThat(store.count(request.toBuilder().offset(5).build()).value()).as("count ignores the offset").isEqualTo(9);
    List<String> scanned = new ArrayList<>();
    store.scan(request.toBuilder().offset(2).limit(3).build(), r -> scanned.add(r.identifier()));
    assertThat(scanned).as("a scan skips the offset, then caps at the limit").isEqualTo(all.subList(2, 5));
  }

  @Test
  void anOffsetPageReadsAtItsAsOf() {
    createRows();
    Instant afterTwoCommits = readOne("r-06").createdAt();
    create(sample("r-00", 0));
    QueryRequest request = sorted("label asc").toBuilder().asOf(afterTwoCommits).offset(5).build();

    QueryPage page = store.query(request);

    assertThat(page.asOf()).isEqualTo(afterTwoCommits);
    assertThat(identifiers(page.results())).containsExactly("r-01", "r-12");
  }

  @Test
  void offsetPastTheCapOrWithACursorIsRejected() {
    createRows();
    QueryRequest request = sorted("label asc").toBuilder().limit(2).build();
    QueryPage first = store.query(request);

    assertThat(store.query(request.toBuilder().offset(QueryRequest.MAX_OFFSET).build()).results()).isEmpty();
    assertQueryRejected(request.toBuilder().offset(QueryRequest.MAX_OFFSET + 1).build(), "offset", "10001", "cursor");
    assertQueryRejected(request.toBuilder().offset(-1).build(), "offset", "-1");
    assertQueryRejected(request.toBuilder().cursor(first.nextCursor()).offset(2).build(), "offset", "cursor");
  }

  @Test
  void tamperedCursorIsRejected() {
    createRows();
    QueryRequest request = sorted("label asc").toBuilder().limit(3).build();
    String cursor = store.query(request).nextCursor();
    int dot = cursor.indexOf('.');
    assertThat(dot).as("cursor '%s' has a payload and a signature", cursor).isPositive();

    for (int at : new int[] {0, dot / 2, dot - 2, dot + 1, dot + (cursor.length() - dot) / 2}) {
      char flipped = cursor.charAt(at) == 'A' ? 'B' : 'A';
      String tampered = cursor.substring(0, at) + flipped + cursor.substring(at + 1);
      assertQueryRejected(request.toBuilder().cursor(tampered).build(), "cursor");
    }
    assertQueryRejected(request.toBuilder().cursor(cursor.substring(0, cursor.length() - 4)).build(), "cursor");
    assertQueryRejected(request.toBuilder().cursor(cursor.substring(0, dot)).build(), "cursor");
    assertQueryRejected(request.toBuilder().cursor("not-a-cursor").build(), "cursor");
    assertQueryRejected(request.toBuilder().cursor("").build(), "cursor");
  }

  @Test
  void cursorFromAnotherQueryIsRejected() {
    createRows();
    createHierarchy();
    QueryRequest request = sorted("label asc").toBuilder().filter(Filter.eq("grade", "low")).limit(2).build();
    String cursor = store.query(request).nextCursor();

    assertQueryRejected(request.toBuilder().filter(Filter.eq("grade", "high")).cursor(cursor).build(),
        "cursor", "another query");
    assertQueryRejected(request.toBuilder().filter(null).cursor(cursor).build(), "cursor", "another query");
    assertQueryRejected(request.toBuilder().sortBy("count", SortOrder.ASC).cursor(cursor).build(),
        "cursor", "another query");
    assertQueryRejected(request.toBuilder().children("ds-1").cursor(cursor).build(), "cursor", "another query");
    assertQueryRejected(request.toBuilder().identifiers(List.of("r-01")).cursor(cursor).build(),
        "cursor", "another query");
    assertQueryRejected(request.toBuilder().select("label").cursor(cursor).build(), "cursor", "another query");
    assertQueryRejected(QueryRequest.of("artefact").limit(2).cursor(cursor).build(), "cursor", "another query");
  }

  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §4 as_of.

  @Test
  void queryAndCountAsOfAPastCommitReturnTheStateThen() {
    registerSample();
    Instant t1 = create(rows("r-01", "r-02", "r-03", "r-04"));
    Instant t2 = commit(() -> store.update(Map.of("r-01", change("grade", "high"), "r-02", change("grade", "low"))));
    Instant t3 = create(rows("r-06"));
    Instant t4 = commit(() -> store.delete(List.of("r-04")));
    QueryRequest low = sorted("identifier asc").toBuilder().filter(Filter.eq("grade", "low")).build();

    Map<Instant, List<String>> expected = new LinkedHashMap<>();
    expected.put(t1, List.of("r-01", "r-04"));
    expected.put(t2, List.of("r-02", "r-04"));
    expected.put(t3, List.of("r-02", "r-04", "r-06"));
    expected.put(t4, List.of("r-02", "r-06"));
    expected.forEach((t, ids) -> {
      QueryRequest then = low.toBuilder().asOf(t).build();
      assertThat(ids(then)).as("as of %s", t).isEqualTo(ids);
      assertThat(store.count(then).value()).as("count as of %s", t).isEqualTo(ids.size());
    });
    Resource r1 = bigPage(low.toBuilder().asOf(t1).build()).results().get(0);
    assertThat(r1.get("grade")).isEqualTo("low");
    assertThat(r1.version()).isEqualTo(1);
    assertThat(r1.updatedAt()).isEqualTo(t1);
  }

  @Test
  void queryAsOfBetweenTwoCommitsSeesTheEarlierOne() {
    registerSample();
    create(rows("r-01"));
    Instant t2 = create(rows("r-02"));

    QueryRequest request = QueryRequest.of(TYPE).asOf(t2.minus(1, ChronoUnit.MICROS)).build();
    assertThat(ids(request)).containsExactly("r-01");
    assertThat(store.count(request).value()).isEqualTo(1);
  }

  @Test
  void queryAsOfBeforeAnyCommitIsEmpty() {
    createRows();

    QueryRequest request = QueryRequest.of(TYPE).asOf(Instant.EPOCH).build();
    assertThat(ids(request)).isEmpty();
    assertThat(store.count(request).value()).isZero();
  }

  @Test
  void descendantsFollowATypeNestedInItselfAndTypesThatMayHangAnywhere() {
    registerType(PayloadType.fromJsonSchema("folder", """
        {"type": "object", "properties": {"label": {"type": "string"}}, "additionalProperties": false}"""));
    create(datasource("ds-1"), datasource("ds-2"), patient("p-1", "ds-1"));
    create(NewResource.builder("folder", "f-1").parent("ds-1").build(),
        NewResource.builder("folder", "f-2").parent("f-1").build(),
        NewResource.builder("folder", "f-3").parent("f-2").build(),
        NewResource.builder("folder", "f-9").parent("ds-2").build());
    create(artefact("a-1", "f-3"), artefact("a-2", "p-1"), artefact("a-3", "ds-1"), artefact("a-9", "f-9"));

    assertThat(ids(QueryRequest.of("folder").descendants("ds-1").build())).containsExactlyInAnyOrder("f-1", "f-2",
        "f-3");
    assertThat(ids(QueryRequest.of("folder").descendants("f-2").build())).containsExactly("f-3");
    assertThat(ids(QueryRequest.of("artefact").descendants("ds-1").build())).containsExactlyInAnyOrder("a-1", "a-2",
        "a-3");
    assertThat(ids(QueryRequest.of("artefact").descendants("f-1").build())).containsExactly("a-1");
    assertThat(ids(QueryRequest.of("patient").descendants("ds-2").build())).isEmpty();
  }

  @Test
  void pageReportsTheTimeItReadAt() {
    registerSample();
    Instant t1 = create(rows("r-01"));
    Instant t2 = create(rows("r-02"));

    assertThat(store.query(QueryRequest.of(TYPE).build()).asOf()).isEqualTo(t2);
    assertThat(store.query(QueryRequest.of(TYPE).asOf(t1).build()).asOf()).isEqualTo(t1);
  }

  @Test
  void aFutureAsOfReadsAndPinsTheLatestCommit() {
    registerSample();
    create(rows("r-01", "r-02", "r-03"));
    Instant latest = store.lastCommitTime();
    QueryRequest future = QueryRequest.of(TYPE).asOf(latest.plus(1, ChronoUnit.DAYS)).limit(2).build();

    QueryPage first = store.query(future);
    create(rows("r-04"));
    QueryPage second = store.query(future.next(first));

    assertThat(first.asOf()).isEqualTo(latest);
    assertThat(second.asOf()).isEqualTo(latest);
    assertThat(first.results()).hasSize(2);
    assertThat(identifiers(second.results())).as("the walk stays at the first page's commit").hasSize(1)
        .doesNotContain("r-04");
  }

  @Test
  void pastQueryAnswersDoNotChangeAfterLaterWrites() {
    createRows();
    Instant t = store.lastCommitTime();
    QueryRequest request = sorted("count desc, label asc").toBuilder().asOf(t).limit(5).build();
    List<QueryPage> before = walk(request, 5);

    store.update(Map.of("r-01", change("count", 0), "r-02", change("label", "zz")));
    store.delete(List.of("r-03"));
    create(sample("r-13", 7));

    assertThat(walk(request, 5)).isEqualTo(before);
    assertThat(store.count(request).value()).isEqualTo(12);
  }
}
