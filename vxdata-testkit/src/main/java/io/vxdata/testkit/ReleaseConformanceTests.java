package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.identifiers;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.AccessLevel;
import io.vxdata.AsOf;
import io.vxdata.ForbiddenException;
import io.vxdata.HistoryEntry;
import io.vxdata.HistoryPage;
import io.vxdata.HistoryRequest;
import io.vxdata.NotFoundException;
import io.vxdata.ReadOptions;
import io.vxdata.Resource;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.VxData;
import io.vxdata.VxDataException;
import io.vxdata.access.Grant;
import io.vxdata.access.Principal;
import io.vxdata.access.Role;
import io.vxdata.access.Transaction;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import io.vxdata.release.Release;
import io.vxdata.release.ReleasePage;
import io.vxdata.release.Releases;
import io.vxdata.schema.BuiltInTypes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Releases (docs/behaviour.md §14.4): named, immutable transaction times, created by admins, listed
 * newest first, and accepted by every read in place of {@code as_of}.
 */
public abstract class ReleaseConformanceTests extends VxDataTestSupport {

  private Releases releases() {
    return store.releases();
  }

  /** The field the one violation of a refusal names. */
  private static String refusedField(Class<? extends VxDataException> type, ThrowingCallable call) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(thrown).isInstanceOf(type);
    List<Violation> violations = ((VxDataException) thrown).violations();
    assertThat(violations).hasSize(1);
    return violations.get(0).field();
  }

  /** Asserts that {@code call} is a validation error naming {@code field} and commits nothing. */
  private void assertInvalid(String field, ThrowingCallable call) {
    Instant before = store.lastCommitTime();
    assertThat(refusedField(ValidationException.class, call)).isEqualTo(field);
    assertThat(store.lastCommitTime()).as("lastCommitTime after a refusal").isEqualTo(before);
  }

  private static List<String> names(ReleasePage page) {
    return page.releases().stream().map(Release::name).toList();
  }

  @Test
  void aReleaseIsCreatedGotAndListedNewestFirstByPages() {
    Instant t1 = create(datasource("ds-1"));
    Instant t2 = create(patient("pt-1", "ds-1"));
    Instant t3 = create(study("st-1", "pt-1", "u-1"));

    Release latest = releases().create("v3", AsOf.latest(), "the third");
    assertThat(latest.transactionTime()).isEqualTo(t3);
    assertThat(latest.description()).isEqualTo("the third");
    assertThat(latest.createdBy()).isEqualTo(Principal.SYSTEM);
    // Creating a release is a commit of its own, logged like the other administrative changes.
    Instant logged = store.lastCommitTime();
    assertThat(latest.createdAt()).isEqualTo(logged).isAfter(t3);
    List<Transaction> log = store.access().transactions(t3, 100);
    assertThat(log).extracting(Transaction::operation).containsExactly("create_release");
    assertThat(log.get(0).transactionTime()).isEqualTo(logged);

    releases().create("v1", AsOf.at(t1), null);
    releases().create("v2-b", AsOf.at(t2), "b");
    releases().create("v2-a", AsOf.at(t2), "a");

    assertThat(releases().get("v3")).isEqualTo(latest);
    assertThat(releases().get("v1").description()).isNull();
    assertThat(releases().get("v1").transactionTime()).isEqualTo(t1);

    ReleasePage first = releases().list(3, null);
    assertThat(names(first)).containsExactly("v3", "v2-a", "v2-b");
    assertThat(first.limit()).isEqualTo(3);
    assertThat(first.nextCursor()).isNotNull();
    ReleasePage second = releases().list(3, first.nextCursor());
    assertThat(names(second)).containsExactly("v1");
    assertThat(second.nextCursor()).isNull();
    assertThat(names(releases().list(null, null))).containsExactly("v3", "v2-a", "v2-b", "v1");
    assertThat(releases().list(null, null).limit()).isEqualTo(100);
    // A page that ends exactly with the last release has no next cursor.
    assertThat(releases().list(4, null).nextCursor()).isNull();
  }

  @Test
  void anEmptyStoreHasNoReleasesAndAnUnknownOneIsNotFound() {
    assertThat(releases().list(null, null).releases()).isEmpty();
    assertThat(releases().list(null, null).nextCursor()).isNull();
    assertThatThrownBy(() -> releases().get("nope")).isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
  }

  @Test
  void readingAtAReleaseEqualsReadingAtItsTimeOnEveryReadPath() {
    create(datasource("ds-1"), datasource("ds-2"));
    create(patient("pt-1", "ds-1"), patient("pt-2", "ds-2"));
    create(study("st-1", "pt-1", "u-1"), study("st-2", "pt-1", "u-2"));
    store.update(Map.of("st-1", change("modality", "CT")));
    Instant at = releases().create("r1", AsOf.latest(), null).transactionTime();
    // Everything after the release is left out of a read at it: the release is frozen.
    store.update(Map.of("st-1", change("modality", "MR")));
    create(study("st-3", "pt-1", "u-3"));
    store.delete(List.of("st-2"));
    create(study("st-4", "pt-2", "u-4"));

    AsOf release = AsOf.release("r1");
    AsOf time = AsOf.at(at);
    List<String> ids = List.of("ds-1", "pt-1", "st-1", "st-2", "st-3", "st-4");

    var read = store.read(ids, ReadOptions.at(release));
    assertThat(read.asOf()).isEqualTo(at);
    assertThat(read.value()).isEqualTo(store.read(ids, ReadOptions.at(time)).value());
    assertThat(identifiers(read.value())).containsExactly("ds-1", "pt-1", "st-1", "st-2");
    assertThat(read.value().get(2).payload()).containsEntry("modality", "CT");

    QueryRequest studies = QueryRequest.of(BuiltInTypes.STUDY).descendants("ds-1").limit(1).build();
    List<String> paged = new ArrayList<>();
    QueryRequest q = studies.toBuilder().asOf(release).build();
    QueryPage page = store.query(q);
    assertThat(page.asOf()).isEqualTo(at);
    assertThat(page.results()).isEqualTo(store.query(studies.toBuilder().asOf(time).build()).results());
    paged.addAll(identifiers(page.results()));
    while (page.nextCursor() != null) {
      page = store.query(q.next(page));
      assertThat(page.asOf()).isEqualTo(at);
      paged.addAll(identifiers(page.results()));
    }
    assertThat(paged).containsExactlyInAnyOrder("st-1", "st-2");

    var count = store.count(studies.toBuilder().asOf(release).build());
    assertThat(count.asOf()).isEqualTo(at);
    assertThat(count.value()).isEqualTo(2L);

    List<String> scanned = new ArrayList<>();
    assertThat(store.scan(studies.toBuilder().asOf(release).limit(null).build(), r -> scanned.add(r.identifier())))
        .isEqualTo(at);
    assertThat(scanned).containsExactlyInAnyOrder("st-1", "st-2");

    var parents = store.parents("st-2", release);
    assertThat(parents.asOf()).isEqualTo(at);
    assertThat(parents.value()).containsExactly("pt-1", "ds-1");

    var stats = store.datasourceStats(release);
    assertThat(stats.asOf()).isEqualTo(at);
    assertThat(stats.value()).isEqualTo(store.datasourceStats(time).value());
    var details = store.datasourceDetails("ds-1", release);
    assertThat(details.asOf()).isEqualTo(at);
    assertThat(details.value()).isEqualTo(store.datasourceDetails("ds-1", time).value());

    HistoryPage history = store.history("st-1", HistoryRequest.at(release));
    assertThat(history.asOf()).isEqualTo(at);
    assertThat(history.versions()).extracting(HistoryEntry::version).containsExactly(2L, 1L);
    assertThat(history.versions().get(0).validTo()).isNull();
    assertThat(history.versions()).isEqualTo(store.history("st-1", HistoryRequest.at(time)).versions());
    HistoryPage one = store.history("st-1", HistoryRequest.at(release).withLimit(1));
    assertThat(store.history("st-1", HistoryRequest.at(release).withLimit(1).next(one)).versions())
        .extracting(HistoryEntry::version).containsExactly(1L);

    // And the release itself has not moved.
    assertThat(releases().get("r1").transactionTime()).isEqualTo(at);
  }

  @Test
  void aReleaseNameIsTakenForGood() {
    create(datasource("ds-1"));
    Instant t = store.lastCommitTime();
    releases().create("fixed", AsOf.at(t), null);
    create(patient("pt-1", "ds-1"));
    assertInvalid("name", () -> releases().create("fixed", AsOf.at(t), null));
    assertInvalid("name", () -> releases().create("fixed", AsOf.latest(), "moved?"));
    assertThat(releases().get("fixed").transactionTime()).isEqualTo(t);
    assertThat(names(releases().list(null, null))).containsExactly("fixed");
  }

  @Test
  void aMalformedRequestIsRefusedNamingItsField() {
    create(datasource("ds-1"));
    for (String bad : List.of("", "-lead", ".lead", "a/b", "a b", "ä", "x".repeat(101), "a?b")) {
      assertInvalid("name", () -> releases().create(bad, AsOf.latest(), null));
    }
    releases().create("x".repeat(100), AsOf.latest(), null);
    releases().create("R_1.0-rc.2", AsOf.latest(), null);
    assertInvalid("description", () -> releases().create("long", AsOf.latest(), "d".repeat(1001)));
    assertInvalid("as_of", () -> releases().create("of-a-release", AsOf.release("R_1.0-rc.2"), null));
    assertInvalid("limit", () -> releases().list(0, null));
    assertInvalid("limit", () -> releases().list(1001, null));
    assertInvalid("cursor", () -> releases().list(1, "not-a-cursor"));
    assertThat(refusedField(ValidationException.class, () -> AsOf.release("a/b"))).isEqualTo("release");
    assertThat(names(releases().list(null, null))).containsExactlyInAnyOrder("x".repeat(100), "R_1.0-rc.2");
  }

  @Test
  void aReleaseAfterTheLastCommitIsRefused() {
    Instant last = create(datasource("ds-1"));
    assertInvalid("as_of", () -> releases().create("future", AsOf.at(last.plus(1, ChronoUnit.DAYS)), null));
    assertThatThrownBy(() -> releases().get("future")).isInstanceOf(NotFoundException.class);
    // At the last commit exactly, and before it, is fine.
    assertThat(releases().create("now", AsOf.at(last), null).transactionTime()).isEqualTo(last);
    assertThat(releases().create("epoch", AsOf.at(Instant.EPOCH), null).transactionTime()).isEqualTo(Instant.EPOCH);
  }

  @Test
  void anUnknownReleaseIsAValidationErrorOnEveryReadPath() {
    create(datasource("ds-1"), patient("pt-1", "ds-1"));
    AsOf unknown = AsOf.release("no-such");
    QueryRequest q = QueryRequest.of(BuiltInTypes.PATIENT).asOf(unknown).build();
    List<ThrowingCallable> reads = List.of(
        () -> store.read(List.of("pt-1"), ReadOptions.at(unknown)),
        () -> store.query(q),
        () -> store.count(q),
        () -> store.scan(q, r -> { }),
        () -> store.parents("pt-1", unknown),
        () -> store.history("pt-1", HistoryRequest.at(unknown)),
        () -> store.datasourceStats(unknown),
        () -> store.datasourceDetails("ds-1", unknown));
    for (ThrowingCallable read : reads) {
      assertThat(refusedField(ValidationException.class, read)).isEqualTo("release");
    }
  }

  @Test
  void onlyAdminsCreateReleasesAndReadsAtOneApplyTheCallersVisibility() {
    create(datasource("ds-a"), datasource("ds-b"));
    create(patient("pt-a", "ds-a"), patient("pt-b", "ds-b"));
    store.access().createPrincipal(Principal.of("vera", "Vera", AccessLevel.INTERNAL));
    store.access().grant(new Grant("ds-a", "vera", Role.OWNER));
    VxData vera = store.as("vera", "req-vera");

    Instant before = store.lastCommitTime();
    assertThatThrownBy(() -> vera.releases().create("mine", AsOf.latest(), null))
        .isInstanceOf(ForbiddenException.class).hasMessageContaining("admin");
    assertThat(store.lastCommitTime()).isEqualTo(before);
    assertThatThrownBy(() -> vera.releases().get("mine")).isInstanceOf(NotFoundException.class);

    Release r = releases().create("shared", AsOf.latest(), null);
    // Any principal gets and lists releases: they show names and times only.
    assertThat(vera.releases().get("shared")).isEqualTo(r);
    assertThat(names(vera.releases().list(null, null))).containsExactly("shared");

    List<Resource> seen = vera.read(List.of("pt-a", "pt-b"), ReadOptions.at(AsOf.release("shared"))).value();
    assertThat(identifiers(seen)).containsExactly("pt-a");
    assertThat(vera.count(QueryRequest.of(BuiltInTypes.PATIENT).asOf(AsOf.release("shared")).build()).value())
        .isEqualTo(1L);
    assertThatThrownBy(() -> vera.parents("pt-b", AsOf.release("shared"))).isInstanceOf(NotFoundException.class);

    // A principal made admin may create one.
    store.access().updatePrincipal("vera", new io.vxdata.access.PrincipalUpdate(null, true, null, null));
    assertThat(vera.releases().create("hers", AsOf.latest(), null).createdBy()).isEqualTo("vera");
  }
}
