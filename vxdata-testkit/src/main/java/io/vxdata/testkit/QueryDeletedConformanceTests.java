package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.artefact;
import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.identifiers;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.NewResource;
import io.vxdata.Resource;
import io.vxdata.ValidationException;
import io.vxdata.query.Filter;
import io.vxdata.query.Operator;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.SortKey;
import io.vxdata.schema.BuiltInTypes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Deleted resources and changes since a time in queries (docs/behaviour.md §14.3):
 * {@code include_deleted} returns tombstones with {@code is_deleted: true}, {@code updated_since}
 * keeps the resources whose version was written strictly after a time; both combine with scope,
 * filters, order, pages, counts, scans and {@code as_of}.
 */
public abstract class QueryDeletedConformanceTests extends VxDataTestSupport {

  private List<Resource> all(QueryRequest request) {
    List<Resource> out = new ArrayList<>();
    QueryPage page = store.query(request);
    out.addAll(page.results());
    while (page.nextCursor() != null) {
      page = store.query(request.next(page));
      out.addAll(page.results());
    }
    return out;
  }

  private List<String> ids(QueryRequest request) {
    return identifiers(all(request));
  }

  private long count(QueryRequest request) {
    return store.count(request).value();
  }

  private static QueryRequest.Builder artefacts() {
    return QueryRequest.of(BuiltInTypes.ARTEFACT).sort(SortKey.asc("identifier"));
  }

  @Test
  void includeDeletedReturnsTombstonesMarkedDeleted() {
    create(datasource("ds-1"), artefact("a-1", "ds-1"), artefact("a-2", "ds-1"), artefact("a-3", "ds-1"));
    store.delete(List.of("a-2"));

    assertThat(ids(artefacts().build())).containsExactly("a-1", "a-3");
    assertThat(count(artefacts().build())).isEqualTo(2);
    List<Resource> withDeleted = all(artefacts().includeDeleted(true).build());
    assertThat(identifiers(withDeleted)).containsExactly("a-1", "a-2", "a-3");
    assertThat(withDeleted).extracting(Resource::isDeleted).containsExactly(false, true, false);
    assertThat(withDeleted.get(1).version()).isEqualTo(2);
    assertThat(count(artefacts().includeDeleted(true).build())).isEqualTo(3);
    assertThat(ids(artefacts().includeDeleted(true)
        .filter(Filter.where(io.vxdata.Fields.IS_DELETED, Operator.EQ, true)).build())).containsExactly("a-2");
    Set<String> scanned = new TreeSet<>();
    store.scan(artefacts().includeDeleted(true).build(), r -> scanned.add(r.identifier()));
    assertThat(scanned).containsExactly("a-1", "a-2", "a-3");
  }

  @Test
  void updatedSinceKeepsVersionsWrittenStrictlyAfterTheTime() {
    Instant created = create(artefact("a-1", null), artefact("a-2", null), artefact("a-3", null));
    Instant updated = store.update(Map.of("a-2", change("role", "mask"))).committedAt();
    Instant deleted = commit(() -> store.delete(List.of("a-3")));

    assertThat(ids(artefacts().updatedSince(created).build())).containsExactly("a-2");
    assertThat(ids(artefacts().updatedSince(created).includeDeleted(true).build())).containsExactly("a-2", "a-3");
    assertThat(ids(artefacts().updatedSince(updated).includeDeleted(true).build())).containsExactly("a-3");
    assertThat(ids(artefacts().updatedSince(deleted).includeDeleted(true).build())).isEmpty();
    assertThat(ids(artefacts().updatedSince(created.minus(1, ChronoUnit.MICROS)).build())).containsExactly("a-1",
        "a-2");
    assertThat(count(artefacts().updatedSince(created).includeDeleted(true).build())).isEqualTo(2);
    // A restore is a new version too.
    Instant restored = commit(() -> store.restore(List.of("a-3")));
    assertThat(ids(artefacts().updatedSince(deleted).build())).containsExactly("a-3");
    assertThat(all(artefacts().updatedSince(deleted).build()).get(0).updatedAt()).isEqualTo(restored);
  }

  @Test
  void asOfReadsTheVersionsValidThenBeforeTheyAreKeptOrLeftOut() {
    Instant created = create(artefact("a-1", null), artefact("a-2", null));
    Instant updated = store.update(Map.of("a-1", change("role", "mask"))).committedAt();
    Instant deleted = commit(() -> store.delete(List.of("a-2")));

    assertThat(ids(artefacts().includeDeleted(true).asOf(updated).build())).containsExactly("a-1", "a-2");
    assertThat(all(artefacts().includeDeleted(true).asOf(updated).build()))
        .extracting(Resource::isDeleted).containsExactly(false, false);
    assertThat(ids(artefacts().updatedSince(created).asOf(updated).includeDeleted(true).build()))
        .containsExactly("a-1");
    assertThat(ids(artefacts().updatedSince(created).asOf(deleted).includeDeleted(true).build()))
        .containsExactly("a-1", "a-2");
    assertThat(count(artefacts().updatedSince(created).asOf(deleted).includeDeleted(true).build())).isEqualTo(2);
    assertThat(ids(artefacts().includeDeleted(true).asOf(created.minus(1, ChronoUnit.MICROS)).build())).isEmpty();
  }

  @Test
  void aChangesQueryCombinesWithFiltersOrderPagesAndCount() {
    create(datasource("ds-1"));
    List<NewResource> batch = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      batch.add(NewResource.builder(BuiltInTypes.ARTEFACT, String.format("a-%02d", i)).parent("ds-1")
          .set("uri", "s3://b/" + i).set("size_bytes", (long) i).build());
    }
    Instant since = store.create(batch).committedAt();
    Map<String, io.vxdata.ResourceUpdate> updates = new HashMap<>();
    for (int i = 0; i < 12; i += 3) {
      updates.put(String.format("a-%02d", i), change("role", "mask"));
    }
    store.update(updates);
    store.delete(List.of("a-01", "a-04", "a-07"));
    store.delete(List.of("a-00"));

    QueryRequest changes = QueryRequest.of(BuiltInTypes.ARTEFACT).children("ds-1").includeDeleted(true)
        .updatedSince(since).filter(Filter.where("size_bytes", Operator.LT, 10L))
        .sort(SortKey.asc("updated_at")).limit(2).build();
    List<Resource> paged = all(changes);
    // a-03, a-06, a-09 updated; then a-01, a-04, a-07 deleted; then a-00 (updated, then deleted).
    assertThat(identifiers(paged)).containsExactly("a-03", "a-06", "a-09", "a-01", "a-04", "a-07", "a-00");
    assertThat(paged).extracting(Resource::isDeleted).containsExactly(false, false, false, true, true, true, true);
    assertThat(count(changes)).isEqualTo(7);
    QueryRequest descending = QueryRequest.of(BuiltInTypes.ARTEFACT).children("ds-1").includeDeleted(true)
        .updatedSince(since).filter(Filter.where("size_bytes", Operator.LT, 10L))
        .sort(SortKey.desc("updated_at")).limit(3).build();
    assertThat(identifiers(all(descending))).containsExactly("a-00", "a-07", "a-04", "a-01", "a-09", "a-06", "a-03");
    // A cursor continues only the query it came from.
    String cursor = store.query(changes).nextCursor();
    assertThatThrownBy(() -> store.query(changes.toBuilder().includeDeleted(false).cursor(cursor).build()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("cursor");
    assertThatThrownBy(() -> store.query(changes.toBuilder().updatedSince(since.plusSeconds(1)).cursor(cursor)
        .build())).isInstanceOf(ValidationException.class).hasMessageContaining("cursor");
  }

  @Test
  void withDeletedIncludedDescendantScopeWalksThroughTombstones() {
    create(datasource("ds-1"), patient("pt-1", "ds-1"), patient("pt-2", "ds-1"));
    create(study("st-1", "pt-1", "u-1"), study("st-2", "pt-2", "u-2"));
    store.delete(List.of("pt-1"));

    QueryRequest.Builder studies = QueryRequest.of(BuiltInTypes.STUDY).descendants("ds-1")
        .sort(SortKey.asc("identifier"));
    assertThat(ids(studies.build())).containsExactly("st-2");
    assertThat(ids(studies.includeDeleted(true).build())).containsExactly("st-1", "st-2");
    assertThat(count(studies.includeDeleted(true).build())).isEqualTo(2);
    assertThat(ids(QueryRequest.of(BuiltInTypes.STUDY).children("pt-1").includeDeleted(true).build()))
        .containsExactly("st-1");
    assertThat(ids(QueryRequest.of(BuiltInTypes.STUDY).children("pt-1").build())).isEmpty();
  }

  @Test
  void anUpdatedSinceOutsideTheStorableYearsIsRefusedNamingIt() {
    assertThatThrownBy(() -> store.query(artefacts().updatedSince(Instant.parse("-0001-01-01T00:00:00Z")).build()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("updated_since");
    assertThatThrownBy(() -> store.count(artefacts().updatedSince(Instant.parse("+10000-01-01T00:00:00Z")).build()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("updated_since");
  }
}
