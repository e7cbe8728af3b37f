package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.artefact;
import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.identifiers;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.AccessLevel;
import io.vxdata.AsOf;
import io.vxdata.Cascade;
import io.vxdata.DatasourceDetails;
import io.vxdata.DatasourceStats;
import io.vxdata.ForbiddenException;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.ReadOptions;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.UnauthenticatedException;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.VxDataException;
import io.vxdata.access.Access;
import io.vxdata.access.Grant;
import io.vxdata.access.IssuedToken;
import io.vxdata.access.Principal;
import io.vxdata.access.PrincipalUpdate;
import io.vxdata.access.Role;
import io.vxdata.access.Transaction;
import io.vxdata.query.Filter;
import io.vxdata.query.Operator;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.SortKey;
import io.vxdata.schema.BuiltInTypes;
import io.vxdata.schema.PayloadType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Access control and audit (docs/behaviour.md §13): principals, grants, clearance, the visibility
 * rule on every read path, the write rules, audit fields, the transaction log and tokens, through
 * the store's {@link VxData#as} views and {@link VxData#access()}; plus a seeded leak property test.
 *
 * <p>The store under test is the system handle. Backends assert on their own storage (the token
 * hash in a database row) in tests of their own.
 */
public abstract class AccessConformanceTests extends VxDataTestSupport {

  private Access admin() {
    return store.access();
  }

  /** A principal with the given clearance, and its view. */
  private VxData principal(String id, AccessLevel clearance) {
    admin().createPrincipal(Principal.of(id, "Principal " + id, clearance));
    return store.as(id, "req-" + id);
  }

  private void grant(String datasource, String principal, Role role) {
    admin().grant(new Grant(datasource, principal, role));
  }

  /**
   * ds-a (internal) → pt-a1 (internal) → st-a1 (internal), st-a2 (confidential);
   * ds-a → art-a (restricted); ds-b → pt-b1 → st-b1; art-free (no parent).
   */
  private void tree() {
    create(datasource("ds-a"), datasource("ds-b"));
    create(patient("pt-a1", "ds-a"), patient("pt-b1", "ds-b"));
    create(study("st-a1", "pt-a1", "u1"),
        NewResource.builder(BuiltInTypes.STUDY, "st-a2").parent("pt-a1").set("external_uid", "u2")
            .accessLevel(AccessLevel.CONFIDENTIAL).build(),
        study("st-b1", "pt-b1", "u3"));
    create(NewResource.builder(BuiltInTypes.ARTEFACT, "art-a").parent("ds-a").accessLevel(AccessLevel.RESTRICTED)
        .build(), artefact("art-free", null));
  }

  private static List<String> readIds(VxData vx, String... ids) {
    return identifiers(vx.read(List.of(ids), ReadOptions.latest().withoutChildren()).value());
  }

  private static List<String> queryIds(VxData vx, QueryRequest request) {
    List<String> out = new ArrayList<>();
    QueryPage page = vx.query(request);
    out.addAll(identifiers(page.results()));
    while (page.nextCursor() != null) {
      page = vx.query(request.toBuilder().cursor(page.nextCursor()).build());
      out.addAll(identifiers(page.results()));
    }
    return out;
  }

  private static Set<String> scanIds(VxData vx, QueryRequest request) {
    Set<String> out = new TreeSet<>();
    vx.scan(request, r -> out.add(r.identifier()));
    return out;
  }

  // ---- visibility (docs/behaviour.md §13.2, docs/behaviour.md §13.3) ----

  @Test
  void aViewerSeesItsDatasourceWithinItsClearanceOnEveryReadPath() {
    tree();
    VxData alice = principal("alice", AccessLevel.INTERNAL);
    grant("ds-a", "alice", Role.VIEWER);

    assertThat(readIds(alice, "ds-a", "pt-a1", "st-a1", "st-a2", "art-a", "ds-b", "pt-b1", "st-b1", "art-free"))
        .containsExactly("ds-a", "pt-a1", "st-a1");
    // The first identifier picks the table read first, whether or not the reader may see it.
    assertThat(readIds(alice, "st-b1", "st-a2", "pt-a1", "art-a", "st-a1", "ds-b"))
        .containsExactly("pt-a1", "st-a1");
    assertThat(alice.read(List.of("pt-a1")).value().get(0).children()).contains(List.of("st-a1"));
    assertThat(alice.read(List.of("ds-a")).value().get(0).children()).contains(List.of("pt-a1"));
    assertThat(queryIds(alice, QueryRequest.of(BuiltInTypes.STUDY).build())).containsExactly("st-a1");
    assertThat(queryIds(alice, QueryRequest.of(BuiltInTypes.STUDY).descendants("ds-a").limit(1).build()))
        .containsExactly("st-a1");
    assertThat(alice.count(QueryRequest.of(BuiltInTypes.STUDY).build()).value()).isEqualTo(1);
    assertThat(alice.count(QueryRequest.of(BuiltInTypes.ARTEFACT).build()).value()).isZero();
    assertThat(scanIds(alice, QueryRequest.of(BuiltInTypes.STUDY).build())).containsExactly("st-a1");
    assertThat(alice.parents("st-a1").value()).containsExactly("pt-a1", "ds-a");
    assertThatThrownBy(() -> alice.parents("st-a2")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> alice.parents("st-b1")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> alice.parents("art-free")).isInstanceOf(NotFoundException.class);
    List<DatasourceStats> stats = alice.datasourceStats(AsOf.latest()).value();
    assertThat(stats).extracting(DatasourceStats::datasourceId).containsExactly("ds-a");
    assertThat(stats.get(0).studies()).isEqualTo(1);
    assertThat(stats.get(0).artefacts()).isZero();
    assertThat(stats.get(0).resources()).isEqualTo(2);
    List<DatasourceDetails> details = alice.datasourceDetails(null, AsOf.latest()).value();
    assertThat(details).extracting(DatasourceDetails::datasourceId).containsExactly("ds-a");
    assertThat(details.get(0).types().get(BuiltInTypes.STUDY).active()).isEqualTo(1);
    assertThat(details.get(0).types()).doesNotContainKey(BuiltInTypes.ARTEFACT);
    assertThatThrownBy(() -> alice.datasourceDetails("ds-b", AsOf.latest())).isInstanceOf(NotFoundException.class);
    assertThat(alice.resolvePatient("ds-a", "uid-pt-a1")).isEqualTo("pt-a1");
    assertThatThrownBy(() -> alice.resolvePatient("ds-b", "uid-pt-b1")).isInstanceOf(NotFoundException.class);
    assertThat(alice.resolveStudy("pt-a1", "u1")).isEqualTo("st-a1");
    assertThatThrownBy(() -> alice.resolveStudy("pt-a1", "u2")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void clearanceHidesContentButNotTheShapeOfTheTree() {
    create(datasource("ds-a"));
    create(NewResource.builder(BuiltInTypes.PATIENT, "pt-secret").parent("ds-a").set("external_uid", "x")
        .accessLevel(AccessLevel.RESTRICTED).build());
    create(study("st-open", "pt-secret", "s1"));
    VxData bob = principal("bob", AccessLevel.INTERNAL);
    grant("ds-a", "bob", Role.VIEWER);

    assertThat(readIds(bob, "pt-secret", "st-open")).containsExactly("st-open");
    assertThat(bob.read(List.of("st-open")).value().get(0).parentIdentifier()).isEqualTo("pt-secret");
    assertThat(bob.parents("st-open").value()).containsExactly("pt-secret", "ds-a");
    assertThat(queryIds(bob, QueryRequest.of(BuiltInTypes.STUDY).descendants("ds-a").build())).containsExactly("st-open");
    assertThat(bob.read(List.of("ds-a")).value().get(0).children()).contains(List.of());
    assertThat(bob.datasourceStats(AsOf.latest()).value().get(0).patients()).isZero();
    assertThat(bob.datasourceStats(AsOf.latest()).value().get(0).studies()).isEqualTo(1);
  }

  @Test
  void statisticsCountWhatTheReaderSeesUnderADatasourceAboveItsClearance() {
    create(NewResource.builder(BuiltInTypes.DATASOURCE, "ds-c").set("name", "Secret name")
        .accessLevel(AccessLevel.CONFIDENTIAL).build(), datasource("ds-e"),
        NewResource.builder(BuiltInTypes.DATASOURCE, "ds-d").set("name", "Other secret")
            .accessLevel(AccessLevel.CONFIDENTIAL).build());
    create(patient("pt-c1", "ds-c"), NewResource.builder(BuiltInTypes.PATIENT, "pt-c2").parent("ds-c")
        .set("external_uid", "c2").accessLevel(AccessLevel.CONFIDENTIAL).build(),
        NewResource.builder(BuiltInTypes.PATIENT, "pt-d1").parent("ds-d")
        .set("external_uid", "d1").accessLevel(AccessLevel.CONFIDENTIAL).build());
    create(study("st-c1", "pt-c1", "c1"), artefact("art-d", "ds-d"));
    store.delete(List.of("art-d"));
    VxData ivy = principal("ivy", AccessLevel.INTERNAL);
    grant("ds-c", "ivy", Role.VIEWER);
    grant("ds-d", "ivy", Role.VIEWER);
    grant("ds-e", "ivy", Role.VIEWER);

    // what ivy may see under ds-c is counted; ds-c's name is content above its clearance
    assertThat(ivy.count(QueryRequest.of(BuiltInTypes.PATIENT).build()).value()).isEqualTo(1);
    List<DatasourceStats> stats = ivy.datasourceStats(AsOf.latest()).value();
    assertThat(stats).extracting(DatasourceStats::datasourceId).containsExactly("ds-c", "ds-e");
    assertThat(stats.get(0).name()).isNull();
    assertThat(stats.get(0).patients()).isEqualTo(1);
    assertThat(stats.get(0).studies()).isEqualTo(1);
    assertThat(stats.get(0).resources()).isEqualTo(2);
    assertThat(stats.get(1).name()).isEqualTo("Datasource ds-e");
    assertThat(stats.toString()).doesNotContain("Secret name", "Other secret");
    DatasourceDetails details = ivy.datasourceDetails("ds-c", AsOf.latest()).value().get(0);
    assertThat(details.name()).isNull();
    assertThat(details.types().get(BuiltInTypes.PATIENT).active()).isEqualTo(1);
    assertThat(details.versions()).isEqualTo(2);
    assertThat(ivy.datasourceDetails(null, AsOf.latest()).value()).extracting(DatasourceDetails::datasourceId)
        .containsExactly("ds-c", "ds-e");
    // nothing active visible under a datasource above the clearance (a visible tombstone is not enough):
    // as if it did not exist
    assertThatThrownBy(() -> ivy.datasourceDetails("ds-d", AsOf.latest())).isInstanceOf(NotFoundException.class)
        .hasMessage(catchMessage(() -> ivy.datasourceDetails("ds-zz", AsOf.latest())).replace("ds-zz", "ds-d"));
    // admins see the names
    assertThat(store.datasourceStats(AsOf.latest()).value()).extracting(DatasourceStats::name)
        .contains("Secret name", "Other secret");
  }

  private static String catchMessage(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void adminsSeeEverythingAndUnparentedResourcesAreAdminOnly() {
    tree();
    admin().createPrincipal(new Principal("root", "Root", true, AccessLevel.PUBLIC, false));
    VxData root = store.as("root");
    VxData carol = principal("carol", AccessLevel.RESTRICTED);
    grant("ds-a", "carol", Role.OWNER);
    grant("ds-b", "carol", Role.OWNER);

    assertThat(readIds(root, "art-free", "art-a", "st-a2")).containsExactly("art-free", "art-a", "st-a2");
    assertThat(readIds(carol, "art-free", "art-a", "st-a2")).containsExactly("art-a", "st-a2");
    assertThat(root.count(QueryRequest.of(BuiltInTypes.ARTEFACT).build()).value()).isEqualTo(2);
  }

  @Test
  void revokingAGrantOrLoweringClearanceAppliesAtOnceAlsoToThePast() {
    tree();
    Instant before = store.lastCommitTime();
    VxData dave = principal("dave", AccessLevel.CONFIDENTIAL);
    grant("ds-a", "dave", Role.VIEWER);
    assertThat(readIds(dave, "st-a1", "st-a2")).containsExactly("st-a1", "st-a2");

    admin().updatePrincipal("dave", PrincipalUpdate.clearance(AccessLevel.INTERNAL));
    assertThat(readIds(dave, "st-a1", "st-a2")).containsExactly("st-a1");

    admin().revokeGrant("ds-a", "dave");
    assertThat(readIds(dave, "st-a1")).isEmpty();
    assertThat(identifiers(dave.read(List.of("st-a1"), ReadOptions.asOf(before)).value())).isEmpty();
    assertThat(dave.count(QueryRequest.of(BuiltInTypes.STUDY).asOf(before).build()).value()).isZero();

    grant("ds-a", "dave", Role.VIEWER);
    admin().updatePrincipal("dave", PrincipalUpdate.disabled(true));
    assertThatThrownBy(() -> readIds(dave, "st-a1")).isInstanceOf(UnauthenticatedException.class);
    assertThatThrownBy(() -> store.as("dave")).isInstanceOf(UnauthenticatedException.class);
    assertThatThrownBy(() -> store.as("nobody")).isInstanceOf(UnauthenticatedException.class);
  }

  // ---- per-record rights (docs/behaviour.md §13.4) ----

  /** Each identifier's {@code can_edit} as {@code vx} reads it with permissions; invisible ones absent. */
  private static Map<String, Boolean> canEdit(VxData vx, ReadOptions options, String... ids) {
    Map<String, Boolean> out = new java.util.LinkedHashMap<>();
    for (Resource r : vx.read(List.of(ids), options.withPermissions()).value()) {
      out.put(r.identifier(), r.canEdit().orElseThrow(() -> new AssertionError("no can_edit on " + r.identifier())));
    }
    return out;
  }

  private static Map<String, Boolean> canEdit(VxData vx, String... ids) {
    return canEdit(vx, ReadOptions.latest(), ids);
  }

  /** Each result's {@code can_edit} over every page of {@code request} with permissions. */
  private static Map<String, Boolean> queryCanEdit(VxData vx, QueryRequest request) {
    Map<String, Boolean> out = new java.util.LinkedHashMap<>();
    QueryRequest asked = request.toBuilder().includePermissions(true).build();
    QueryPage page = vx.query(asked);
    while (true) {
      for (Resource r : page.results()) {
        out.put(r.identifier(), r.canEdit().orElseThrow(() -> new AssertionError("no can_edit on " + r.identifier())));
      }
      if (page.nextCursor() == null) {
        return out;
      }
      page = vx.query(asked.toBuilder().cursor(page.nextCursor()).build());
    }
  }

  @Test
  void canEditFollowsTheWriteRuleForEachCaller() {
    tree();
    VxData viewer = principal("viewer", AccessLevel.RESTRICTED);
    VxData editor = principal("editor", AccessLevel.INTERNAL);
    VxData owner = principal("owner", AccessLevel.CONFIDENTIAL);
    grant("ds-a", "viewer", Role.VIEWER);
    grant("ds-a", "editor", Role.EDITOR);
    grant("ds-b", "editor", Role.VIEWER);
    grant("ds-a", "owner", Role.OWNER);
    admin().createPrincipal(new Principal("root", "Root", true, AccessLevel.PUBLIC, false));
    VxData root = store.as("root");
    String[] all = {"ds-a", "pt-a1", "st-a1", "st-a2", "art-a", "ds-b", "pt-b1", "st-b1", "art-free"};

    assertThat(canEdit(viewer, all)).containsExactly(Map.entry("ds-a", false), Map.entry("pt-a1", false),
        Map.entry("st-a1", false), Map.entry("st-a2", false), Map.entry("art-a", false));
    // st-a2 (confidential) and art-a (restricted) are above the editor's clearance: not there at all
    assertThat(canEdit(editor, all)).containsExactly(Map.entry("ds-a", true), Map.entry("pt-a1", true),
        Map.entry("st-a1", true), Map.entry("ds-b", false), Map.entry("pt-b1", false), Map.entry("st-b1", false));
    assertThat(canEdit(owner, all)).containsExactly(Map.entry("ds-a", true), Map.entry("pt-a1", true),
        Map.entry("st-a1", true), Map.entry("st-a2", true));
    assertThat(canEdit(root, all)).hasSize(all.length).containsOnlyKeys(all).doesNotContainValue(false);
    assertThat(canEdit(store, all)).hasSize(all.length).doesNotContainValue(false);

    assertThat(queryCanEdit(editor, QueryRequest.of(BuiltInTypes.STUDY).sortBy("identifier",
        io.vxdata.query.SortOrder.ASC).limit(1).build()))
        .containsExactly(Map.entry("st-a1", true), Map.entry("st-b1", false));
    assertThat(queryCanEdit(viewer, QueryRequest.of(BuiltInTypes.STUDY).build()))
        .containsOnly(Map.entry("st-a1", false), Map.entry("st-a2", false));
    assertThat(queryCanEdit(editor, QueryRequest.of(BuiltInTypes.STUDY).descendants("ds-a").build()))
        .containsExactly(Map.entry("st-a1", true));
    assertThat(queryCanEdit(root, QueryRequest.of(BuiltInTypes.ARTEFACT).build()))
        .containsOnly(Map.entry("art-a", true), Map.entry("art-free", true));
    assertThat(queryCanEdit(store, QueryRequest.of(BuiltInTypes.STUDY).build())).hasSize(3)
        .doesNotContainValue(false);
    // a projection keeps it
    Resource projected = editor.query(QueryRequest.of(BuiltInTypes.STUDY).identifiers(List.of("st-a1"))
        .select("version").includePermissions(true).build()).results().get(0);
    assertThat(projected.canEdit()).contains(true);
    assertThat(projected.has("modality")).isFalse();

    // not asked: absent, on every path
    assertThat(editor.read(List.of("st-a1", "st-b1")).value()).extracting(Resource::canEdit)
        .containsOnly(Optional.empty());
    assertThat(root.query(QueryRequest.of(BuiltInTypes.STUDY).build()).results()).extracting(Resource::canEdit)
        .containsOnly(Optional.empty());
    assertThat(store.read(List.of("st-a1")).value()).extracting(Resource::canEdit).containsOnly(Optional.empty());
    // a count has no results to carry it: the option changes nothing
    assertThat(editor.count(QueryRequest.of(BuiltInTypes.STUDY).includePermissions(true).build()).value())
        .isEqualTo(2);
  }

  @Test
  void canEditAppliesTheCallersRightsNowToTombstonesAndThePast() {
    tree();
    VxData editor = principal("editor", AccessLevel.CONFIDENTIAL);
    grant("ds-a", "editor", Role.EDITOR);
    grant("ds-b", "editor", Role.VIEWER);
    Instant before = store.lastCommitTime();

    // a tombstone: the same rule
    store.delete(List.of("st-a1"));
    assertThat(queryCanEdit(editor, QueryRequest.of(BuiltInTypes.STUDY).includeDeleted(true).build()))
        .containsOnly(Map.entry("st-a1", true), Map.entry("st-a2", true), Map.entry("st-b1", false));

    // the past: the version's own root, with the caller's rights now
    store.update(Map.of("pt-b1", ResourceUpdate.builder().parent("ds-a").build()));
    assertThat(canEdit(editor, ReadOptions.asOf(before), "pt-b1", "st-a1")).containsExactly(
        Map.entry("pt-b1", false), Map.entry("st-a1", true));
    assertThat(canEdit(editor, "pt-b1", "st-b1")).containsExactly(Map.entry("pt-b1", true), Map.entry("st-b1", true));
    assertThat(queryCanEdit(editor, QueryRequest.of(BuiltInTypes.PATIENT).asOf(before).build()))
        .containsOnly(Map.entry("pt-a1", true), Map.entry("pt-b1", false));

    // rights changed since: the past follows them
    admin().grant(new Grant("ds-a", "editor", Role.VIEWER));
    assertThat(canEdit(editor, ReadOptions.asOf(before), "pt-a1", "st-a1")).containsExactly(
        Map.entry("pt-a1", false), Map.entry("st-a1", false));
    admin().updatePrincipal("editor", PrincipalUpdate.clearance(AccessLevel.INTERNAL));
    grant("ds-a", "editor", Role.EDITOR);
    assertThat(canEdit(editor, "pt-a1", "st-a2")).containsExactly(Map.entry("pt-a1", true));
  }

  // ---- writes (docs/behaviour.md §13.4) ----

  @Test
  void writesNeedEditorAndRefusalsWriteNothing() {
    tree();
    VxData viewer = principal("viewer", AccessLevel.RESTRICTED);
    VxData editor = principal("editor", AccessLevel.INTERNAL);
    grant("ds-a", "viewer", Role.VIEWER);
    grant("ds-a", "editor", Role.EDITOR);

    rejected(ForbiddenException.class, () -> viewer.update(Map.of("st-a1", change("modality", "MR"))));
    rejected(ForbiddenException.class, () -> viewer.create(List.of(study("st-new", "pt-a1", "n1"))));
    rejected(ForbiddenException.class, () -> viewer.delete(List.of("st-a1")));
    // invisible: as if it did not exist
    rejected(NotFoundException.class, () -> editor.update(Map.of("st-b1", change("modality", "MR"))));
    rejected(NotFoundException.class, () -> editor.update(Map.of("st-a2", change("modality", "MR"))));
    rejected(NotFoundException.class, () -> editor.delete(List.of("st-b1")));
    rejected(NotFoundException.class, () -> editor.restore(List.of("art-free")));
    rejected(ValidationException.class, () -> editor.create(List.of(study("st-x", "pt-b1", "n2"))));
    // a batch with one refused item writes nothing
    rejected(NotFoundException.class, () -> editor.update(Map.of("st-a1", change("modality", "MR"),
        "st-b1", change("modality", "MR"))));
    // datasources and types need an admin; unparented resources too
    rejected(ForbiddenException.class, () -> editor.create(List.of(datasource("ds-new"))));
    rejected(ForbiddenException.class, () -> editor.create(List.of(artefact("art-new", null))));
    assertThatThrownBy(() -> editor.registerType(PayloadType.fromJsonSchema("sample", SAMPLE_SCHEMA)))
        .isInstanceOf(ForbiddenException.class);
    // above its own clearance
    rejected(ForbiddenException.class, () -> editor.update(Map.of("st-a1",
        ResourceUpdate.builder().accessLevel(AccessLevel.RESTRICTED).build())));

    assertThat(editor.update(Map.of("st-a1", change("modality", "MR"))).count()).isEqualTo(1);
    assertThat(editor.create(List.of(study("st-new", "pt-a1", "n1"))).count()).isEqualTo(1);
    assertThat(editor.registerPatient("ds-a", "ext-9").identifier()).startsWith("pt-");
    assertThatThrownBy(() -> viewer.registerPatient("ds-a", "ext-10")).isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> editor.registerPatient("ds-b", "ext-11")).isInstanceOf(NotFoundException.class);
    assertThat(editor.delete(List.of("st-new")).count()).isEqualTo(1);
    assertThat(editor.restore(List.of("st-new")).count()).isEqualTo(1);
  }

  @Test
  void aMoveNeedsEditorOnBothDatasourcesAndCarriesItsSubtree() {
    tree();
    VxData mover = principal("mover", AccessLevel.INTERNAL);
    VxData watcherB = principal("watcher-b", AccessLevel.INTERNAL);
    grant("ds-a", "mover", Role.EDITOR);
    grant("ds-b", "mover", Role.VIEWER);
    grant("ds-b", "watcher-b", Role.VIEWER);

    rejected(ForbiddenException.class,
        () -> mover.update(Map.of("pt-a1", ResourceUpdate.builder().parent("ds-b").build())));
    grant("ds-b", "mover", Role.EDITOR);
    // st-a2 (confidential) moves with pt-a1 although the mover cannot see it: moving a parent is not
    // writing its descendants, and it stays confidential.
    assertThat(mover.update(Map.of("pt-a1", ResourceUpdate.builder().parent("ds-b").build())).count()).isEqualTo(1);

    assertThat(readIds(watcherB, "pt-a1", "st-a1", "st-a2")).containsExactly("pt-a1", "st-a1");
    assertThat(queryIds(watcherB, QueryRequest.of(BuiltInTypes.STUDY).build())).containsExactlyInAnyOrder("st-a1",
        "st-b1");
    admin().revokeGrant("ds-a", "mover");
    admin().revokeGrant("ds-b", "mover");
    grant("ds-a", "mover", Role.VIEWER);
    assertThat(readIds(mover, "pt-a1", "st-a1")).isEmpty();
    assertThat(store.datasourceStats(AsOf.latest()).value()).filteredOn(s -> s.datasourceId().equals("ds-b"))
        .singleElement().extracting(DatasourceStats::studies).isEqualTo(3L);
  }

  @Test
  void aCascadeNeedsEditOnEveryDescendantInvisibleOnesIncluded() {
    tree();
    VxData editor = principal("editor", AccessLevel.INTERNAL);
    grant("ds-a", "editor", Role.EDITOR);

    // st-a2 is confidential: the editor cannot see it, so it cannot tombstone it either
    rejected(ForbiddenException.class, () -> editor.delete(List.of("pt-a1"), Cascade.CASCADE));
    assertThat(readOne("st-a2").isDeleted()).isFalse();
    assertThatThrownBy(() -> editor.delete(List.of("pt-a1"), Cascade.CASCADE))
        .hasMessageNotContaining("st-a2");

    admin().updatePrincipal("editor", PrincipalUpdate.clearance(AccessLevel.CONFIDENTIAL));
    assertThat(editor.delete(List.of("pt-a1"), Cascade.CASCADE).count()).isEqualTo(3);
    assertThat(editor.restore(List.of("pt-a1")).count()).isEqualTo(3);
  }

  @Test
  void theAdminFlagAndDisablingApplyToTheNextCallOfAViewMadeBefore() {
    tree();
    admin().createPrincipal(new Principal("root", "Root", true, AccessLevel.RESTRICTED, false));
    VxData root = store.as("root");
    VxData plain = principal("plain", AccessLevel.RESTRICTED);
    grant("ds-a", "root", Role.VIEWER);
    assertThat(readIds(root, "art-free", "st-b1", "st-a2")).containsExactly("art-free", "st-b1", "st-a2");
    assertThat(readIds(plain, "art-free", "st-b1")).isEmpty();

    admin().updatePrincipal("root", new PrincipalUpdate(null, false, null, null));
    admin().updatePrincipal("plain", new PrincipalUpdate(null, true, null, null));
    // demoted: no more than its grant, on every path, at once
    assertThat(readIds(root, "art-free", "st-b1", "st-a2")).containsExactly("st-a2");
    assertThat(root.count(QueryRequest.of(BuiltInTypes.STUDY).build()).value()).isEqualTo(2);
    assertThat(root.datasourceStats(AsOf.latest()).value()).extracting(DatasourceStats::datasourceId)
        .containsExactly("ds-a");
    assertThatThrownBy(() -> root.parents("st-b1")).isInstanceOf(NotFoundException.class);
    rejected(ForbiddenException.class, () -> root.create(List.of(datasource("ds-r"))));
    assertThatThrownBy(() -> root.access().principals()).isInstanceOf(ForbiddenException.class);
    // promoted: everything, at once
    assertThat(readIds(plain, "art-free", "st-b1")).containsExactly("art-free", "st-b1");
    assertThat(plain.create(List.of(datasource("ds-p"))).count()).isEqualTo(1);
    assertThat(plain.access().principals()).extracting(Principal::id).contains("root");

    admin().updatePrincipal("plain", PrincipalUpdate.disabled(true));
    assertThatThrownBy(() -> readIds(plain, "art-free")).isInstanceOf(UnauthenticatedException.class);
    assertThatThrownBy(() -> plain.count(QueryRequest.of(BuiltInTypes.STUDY).build()))
        .isInstanceOf(UnauthenticatedException.class);
    assertThatThrownBy(() -> plain.datasourceStats(AsOf.latest())).isInstanceOf(UnauthenticatedException.class);
    rejected(UnauthenticatedException.class, () -> plain.create(List.of(datasource("ds-q"))));
    assertThatThrownBy(() -> plain.access().whoami()).isInstanceOf(UnauthenticatedException.class);
    assertThatThrownBy(() -> plain.access().issueToken("plain", null)).isInstanceOf(UnauthenticatedException.class);
    assertThatThrownBy(() -> plain.access().tokens("plain")).isInstanceOf(UnauthenticatedException.class);
    admin().updatePrincipal("plain", PrincipalUpdate.disabled(false));
    assertThat(readIds(plain, "art-free")).containsExactly("art-free");
  }

  // ---- writes reveal nothing of what the writer cannot see (docs/behaviour.md §13.3, §13.4) ----

  @Test
  void anIdentifierHeldOutOfSightIsTakenWithoutSayingByWhat() {
    tree();
    store.create(List.of(artefact("art-gone", "ds-b")));
    store.delete(List.of("art-gone"));
    VxData editor = principal("editor", AccessLevel.INTERNAL);
    grant("ds-a", "editor", Role.EDITOR);

    VxDataException active = refusal(ValidationException.class,
        () -> editor.create(List.of(study("st-b1", "pt-a1", "n1"))));
    VxDataException tombstone = refusal(ValidationException.class,
        () -> editor.create(List.of(study("art-gone", "pt-a1", "n1"))));
    VxDataException aboveClearance = refusal(ValidationException.class,
        () -> editor.create(List.of(study("st-a2", "pt-a1", "n1"))));
    assertThat(active.getMessage()).contains("taken").doesNotContain("study", "active", "ds-b");
    assertThat(tombstone.getMessage().replace("art-gone", "X")).isEqualTo(active.getMessage().replace("st-b1", "X"));
    assertThat(aboveClearance.getMessage().replace("st-a2", "X")).isEqualTo(active.getMessage().replace("st-b1", "X"));
    // one the writer sees is named as before
    assertThat(refusal(ValidationException.class, () -> editor.create(List.of(study("st-a1", "pt-a1", "n1"))))
        .getMessage()).contains("already an active study");
    // the system handle may still give a tombstoned identifier a new life
    assertThat(store.create(List.of(artefact("art-gone", "ds-b"))).count()).isEqualTo(1);
  }

  @Test
  void aParentOrLineageOutOfSightIsAsAbsentAsAMissingOne() {
    tree();
    VxData editor = principal("editor", AccessLevel.INTERNAL);
    grant("ds-a", "editor", Role.EDITOR);

    assertSameRefusal(() -> editor.create(List.of(study("st-x", "pt-b1", "n1"))),
        () -> editor.create(List.of(study("st-x", "pt-zz", "n1"))), "pt-b1", "pt-zz");
    // a parent of the wrong type is not described either
    assertSameRefusal(() -> editor.create(List.of(study("st-x", "ds-b", "n1"))),
        () -> editor.create(List.of(study("st-x", "pt-zz", "n1"))), "ds-b", "pt-zz");
    assertSameRefusal(() -> editor.update(Map.of("st-a1", ResourceUpdate.builder().parent("ds-b").build())),
        () -> editor.update(Map.of("st-a1", ResourceUpdate.builder().parent("pt-zz").build())), "ds-b", "pt-zz");
    // derived_from
    assertSameRefusal(
        () -> editor.create(List.of(NewResource.builder(BuiltInTypes.ARTEFACT, "art-x").parent("pt-a1")
            .derivedFrom("st-b1").build())),
        () -> editor.create(List.of(NewResource.builder(BuiltInTypes.ARTEFACT, "art-x").parent("pt-a1")
            .derivedFrom("st-zz").build())), "st-b1", "st-zz");
    assertSameRefusal(
        () -> editor.update(Map.of("st-a1", ResourceUpdate.builder().derivedFrom(List.of("st-a2")).build())),
        () -> editor.update(Map.of("st-a1", ResourceUpdate.builder().derivedFrom(List.of("st-zz")).build())),
        "st-a2", "st-zz");
    // an entry the list already held may stay: it reveals nothing new
    store.update(Map.of("st-a1", ResourceUpdate.builder().derivedFrom(List.of("st-b1")).build()));
    assertThat(editor.update(Map.of("st-a1", ResourceUpdate.builder().derivedFrom(List.of("st-b1", "pt-a1"))
        .build())).count()).isEqualTo(1);
  }

  @Test
  void aKeyHeldOutOfSightIsTakenWithoutNamingItsHolder() {
    tree();
    store.create(List.of(NewResource.builder(BuiltInTypes.PATIENT, "pt-hidden").parent("ds-a")
        .set("external_uid", "secret-uid").accessLevel(AccessLevel.RESTRICTED).build(),
        NewResource.builder(BuiltInTypes.PATIENT, "pt-b2").parent("ds-b").set("external_uid", "secret-uid").build()));
    VxData editor = principal("editor", AccessLevel.INTERNAL);
    grant("ds-a", "editor", Role.EDITOR);
    grant("ds-b", "editor", Role.EDITOR);

    List<VxDataException> refusals = List.of(
        refusal(ValidationException.class, () -> editor.create(List.of(NewResource.builder(BuiltInTypes.PATIENT, "pt-n")
            .parent("ds-a").set("external_uid", "secret-uid").build()))),
        refusal(ValidationException.class, () -> editor.registerPatient("ds-a", "secret-uid")),
        refusal(ValidationException.class,
            () -> editor.update(Map.of("pt-b2", ResourceUpdate.builder().parent("ds-a").build()))),
        // st-a2 (confidential) holds the study key (pt-a1, u2)
        refusal(ValidationException.class, () -> editor.create(List.of(study("st-n", "pt-a1", "u2")))),
        refusal(ValidationException.class, () -> editor.registerStudy("pt-a1", "u2")));
    for (VxDataException e : refusals) {
      assertThat(e.getMessage()).doesNotContain("pt-hidden", "st-a2");
      assertThat(e.violations()).extracting(io.vxdata.Violation::identifier).doesNotContain("pt-hidden", "st-a2");
    }
    // a holder the writer sees is named
    assertThat(refusal(ValidationException.class, () -> editor.create(List.of(study("st-n", "pt-a1", "u1"))))
        .getMessage()).contains("st-a1");
    assertThat(refusal(ValidationException.class, () -> editor.registerStudy("pt-a1", "u1")).violations())
        .extracting(io.vxdata.Violation::identifier).containsExactly("st-a1");
  }

  @Test
  void aRefusedDeleteDoesNotNameChildrenOutOfSight() {
    tree();
    store.create(List.of(NewResource.builder(BuiltInTypes.PATIENT, "pt-a2").parent("ds-a").set("external_uid", "a2")
        .build()));
    store.create(List.of(NewResource.builder(BuiltInTypes.STUDY, "st-secret").parent("pt-a2")
        .set("external_uid", "s").accessLevel(AccessLevel.RESTRICTED).build()));
    VxData editor = principal("editor", AccessLevel.INTERNAL);
    grant("ds-a", "editor", Role.EDITOR);

    VxDataException mixed = refusal(ValidationException.class, () -> editor.delete(List.of("pt-a1"), Cascade.RESTRICT));
    assertThat(mixed.getMessage()).contains("st-a1").doesNotContain("st-a2");
    VxDataException hidden = refusal(ValidationException.class, () -> editor.delete(List.of("pt-a2"), Cascade.RESTRICT));
    assertThat(hidden.getMessage()).doesNotContain("st-secret");
  }

  // ---- audit (docs/behaviour.md §13.6) ----

  @Test
  void everyVersionSaysWhoCreatedAndWhoUpdatedItAndHistoryKeepsIt() {
    create(datasource("ds-a"));
    create(patient("pt-1", "ds-a"));
    Instant systemTime = store.lastCommitTime();
    VxData erin = principal("erin", AccessLevel.INTERNAL);
    grant("ds-a", "erin", Role.EDITOR);
    erin.update(Map.of("pt-1", change("sex", "F")));
    erin.create(List.of(study("st-1", "pt-1", "e1")));

    Resource now = readOne("pt-1");
    assertThat(now.createdBy()).isEqualTo("system");
    assertThat(now.updatedBy()).isEqualTo("erin");
    Resource then = readOne("pt-1", systemTime);
    assertThat(then.updatedBy()).isEqualTo("system");
    assertThat(readOne("st-1").createdBy()).isEqualTo("erin");

    QueryRequest byErin = QueryRequest.of(BuiltInTypes.PATIENT).filter(Filter.eq("updated_by", "erin")).build();
    assertThat(queryIds(store, byErin)).containsExactly("pt-1");
    assertThat(queryIds(store, byErin.toBuilder().asOf(systemTime).build())).isEmpty();
    assertThat(queryIds(store, QueryRequest.of(BuiltInTypes.PATIENT)
        .filter(Filter.where("created_by", Operator.IN, List.of("system"))).sort(SortKey.asc("updated_by")).build()))
        .containsExactly("pt-1");
    Resource projected = store.query(QueryRequest.of(BuiltInTypes.STUDY).select("created_by").build())
        .results().get(0);
    assertThat(projected.has("created_by")).isTrue();
    assertThat(projected.has("updated_by")).isFalse();
    assertThat(projected.createdBy()).isEqualTo("erin");
  }

  @Test
  void everyCommitIsLoggedAndOwnersSeeTheirDatasourcesCommits() {
    create(datasource("ds-a"), datasource("ds-b"));
    VxData frank = principal("frank", AccessLevel.INTERNAL);
    grant("ds-a", "frank", Role.OWNER);
    Instant created = frank.create(List.of(patient("pt-1", "ds-a"))).committedAt();
    store.create(List.of(patient("pt-2", "ds-b")));

    List<Transaction> all = admin().transactions(null, 100);
    assertThat(all).extracting(Transaction::operation)
        .containsExactly("create", "create_principal", "grant", "create", "create");
    Transaction mine = all.get(3);
    assertThat(mine.transactionTime()).isEqualTo(created);
    assertThat(mine.principalId()).isEqualTo("frank");
    assertThat(mine.count()).isEqualTo(1);
    assertThat(mine.requestId()).isEqualTo("req-frank");
    assertThat(all.get(0).principalId()).isEqualTo("system");
    assertThat(admin().transactions(created, 100)).hasSize(1);
    assertThat(admin().transactions(null, 1)).hasSize(1);

    assertThat(frank.access().transactions(null, 100)).extracting(Transaction::transactionTime)
        .containsExactly(all.get(0).transactionTime(), all.get(2).transactionTime(), created);
    VxData viewer = principal("viewer", AccessLevel.INTERNAL);
    grant("ds-a", "viewer", Role.VIEWER);
    assertThat(viewer.access().transactions(null, 100)).isEmpty();
  }

  @Test
  void typeRegistrationsAndAccessChangesAreCommitsInTheLog() {
    create(datasource("ds-a"));
    Instant before = store.lastCommitTime();
    registerType(PayloadType.fromJsonSchema("sample", SAMPLE_SCHEMA));
    registerType(PayloadType.fromJsonSchema("sample", SAMPLE_SCHEMA));
    admin().createPrincipal(Principal.of("olga", "Olga", AccessLevel.INTERNAL));
    grant("ds-a", "olga", Role.OWNER);
    VxData olga = store.as("olga", "req-olga");
    IssuedToken token = olga.access().issueToken("olga", null);
    olga.access().revokeToken(token.id());
    olga.access().revokeToken(token.id());
    admin().createPrincipal(Principal.of("pete", "Pete", AccessLevel.INTERNAL));
    olga.access().grant(new Grant("ds-a", "pete", Role.VIEWER));
    olga.access().grant(new Grant("ds-a", "pete", Role.VIEWER));
    olga.access().revokeGrant("ds-a", "pete");
    olga.access().revokeGrant("ds-a", "pete");
    admin().updatePrincipal("pete", PrincipalUpdate.clearance(AccessLevel.CONFIDENTIAL));
    admin().updatePrincipal("pete", PrincipalUpdate.clearance(AccessLevel.CONFIDENTIAL));

    List<Transaction> log = admin().transactions(before, 100);
    // changes that change nothing are no commits
    assertThat(log).extracting(Transaction::operation).containsExactly("register_type", "create_principal", "grant",
        "issue_token", "revoke_token", "create_principal", "grant", "revoke_grant", "update_principal");
    assertThat(log).extracting(Transaction::transactionTime).isSorted().doesNotHaveDuplicates()
        .allSatisfy(t -> assertThat(t).isAfter(before));
    assertThat(log.get(log.size() - 1).transactionTime()).isEqualTo(store.lastCommitTime());
    assertThat(log.get(0).principalId()).isEqualTo(Principal.SYSTEM);
    assertThat(log.get(3)).satisfies(t -> {
      assertThat(t.principalId()).isEqualTo("olga");
      assertThat(t.requestId()).isEqualTo("req-olga");
      assertThat(t.count()).isEqualTo(1);
    });
    // the owner sees the grant changes on its datasource, not principals' or tokens'
    assertThat(olga.access().transactions(before, 100)).extracting(Transaction::operation)
        .containsExactly("grant", "grant", "revoke_grant");
    // nothing in the log holds a secret
    assertThat(log.toString()).doesNotContain(token.secret());
  }

  // ---- principals, grants, tokens (docs/behaviour.md §13.1, docs/behaviour.md §13.5) ----

  @Test
  void onlyAdminsAdministerPrincipalsAndOnlyOwnersTheirGrants() {
    create(datasource("ds-a"), datasource("ds-b"));
    VxData owner = principal("owner", AccessLevel.INTERNAL);
    VxData other = principal("other", AccessLevel.INTERNAL);
    grant("ds-a", "owner", Role.OWNER);
    grant("ds-b", "other", Role.VIEWER);

    assertThat(owner.access().whoami().id()).isEqualTo("owner");
    assertThat(store.access().whoami().id()).isEqualTo(Principal.SYSTEM);
    assertThatThrownBy(() -> owner.access().createPrincipal(Principal.of("x", "X", AccessLevel.PUBLIC)))
        .isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> owner.access().principals()).isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> owner.as("other")).isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> owner.access().authenticate("x")).isInstanceOf(ForbiddenException.class);

    owner.access().grant(new Grant("ds-a", "other", Role.EDITOR));
    assertThat(owner.access().grants("ds-a")).containsExactly(new Grant("ds-a", "other", Role.EDITOR),
        new Grant("ds-a", "owner", Role.OWNER));
    assertThatThrownBy(() -> owner.access().grant(new Grant("ds-b", "owner", Role.OWNER)))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> other.access().grants("ds-b")).isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> other.access().grant(new Grant("ds-a", "other", Role.OWNER)))
        .isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> admin().createPrincipal(Principal.of("system", "S", AccessLevel.PUBLIC)))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> admin().createPrincipal(Principal.of("owner", "again", AccessLevel.PUBLIC)))
        .isInstanceOf(ValidationException.class);
    assertThat(admin().principals()).extracting(Principal::id).containsExactly("other", "owner");
  }

  @Test
  void tokensAuthenticateUntilRevokedOrTheirPrincipalIsDisabled() {
    principal("gina", AccessLevel.INTERNAL);
    IssuedToken token = admin().issueToken("gina", null);
    assertThat(token.secret().length()).isGreaterThanOrEqualTo(43);
    assertThat(token.toString()).doesNotContain(token.secret());
    assertThat(admin().authenticate(token.secret())).map(Principal::id).contains("gina");
    assertThat(admin().authenticate(token.secret() + "x")).isEmpty();
    assertThat(admin().authenticate("short")).isEmpty();
    assertThat(admin().authenticate(null)).isEmpty();
    assertThat(admin().tokens("gina")).singleElement().satisfies(t -> {
      assertThat(t.id()).isEqualTo(token.id());
      assertThat(t.revoked()).isFalse();
    });

    // Expiry runs by the store's clock: ClockConformanceTests drives it.
    VxData gina = store.as("gina");
    IssuedToken own = gina.access().issueToken("gina", Instant.now().plus(1, ChronoUnit.HOURS));
    assertThatThrownBy(() -> gina.access().issueToken("other", null)).isInstanceOf(ForbiddenException.class);
    assertThat(admin().authenticate(own.secret())).map(Principal::id).contains("gina");

    gina.access().revokeToken(token.id());
    assertThat(admin().authenticate(token.secret())).isEmpty();
    assertThat(admin().tokens("gina")).filteredOn(t -> t.id().equals(token.id())).singleElement()
        .satisfies(t -> assertThat(t.revoked()).isTrue());

    IssuedToken third = admin().issueToken("gina", null);
    admin().updatePrincipal("gina", PrincipalUpdate.disabled(true));
    assertThat(admin().authenticate(third.secret())).isEmpty();
    admin().updatePrincipal("gina", PrincipalUpdate.disabled(false));
    assertThat(admin().authenticate(third.secret())).isPresent();
    assertThatThrownBy(() -> admin().issueToken("gina", Instant.now().minusSeconds(1)))
        .isInstanceOf(ValidationException.class);
  }

  /**
   * The store's first-start bootstrap ({@link Access#bootstrap}) with a random secret. A backend
   * that does not offer it to its clients (HTTP: the server bootstraps at its start) runs it on the
   * store behind them.
   */
  protected Optional<IssuedToken> bootstrap(String adminId) {
    return admin().bootstrap(adminId, null);
  }

  @Test
  void bootstrapCreatesTheFirstAdminOnce() {
    Optional<IssuedToken> first = bootstrap("admin");
    assertThat(first).isPresent();
    assertThat(admin().authenticate(first.get().secret())).map(Principal::admin).contains(true);
    assertThat(bootstrap("admin")).isEmpty();
    assertThatThrownBy(() -> store.as("admin").access().bootstrap("admin", null))
        .isInstanceOf(ForbiddenException.class);
  }

  // ---- leak property (docs/behaviour.md §13.3) ----

  /**
   * Random trees with random grants and levels: for random principals, every read path returns
   * exactly the visible set computed here, independently of the store. Seeded, so reproducible.
   */
  @Test
  void noReadPathLeaksAnInvisibleResource() {
    for (long seed = 1; seed <= 3; seed++) {
      leakRound(seed);
    }
  }

  private record Node(String id, String type, String parent, AccessLevel level, String root) {}

  private void leakRound(long seed) {
    Random random = new Random(seed);
    String p = "s" + seed + "-";
    List<Node> nodes = new ArrayList<>();
    List<NewResource> batch = new ArrayList<>();
    int datasources = 3;
    AccessLevel[] levels = AccessLevel.values();
    for (int d = 0; d < datasources; d++) {
      String id = p + "ds" + d;
      AccessLevel level = levels[random.nextInt(levels.length)];
      nodes.add(new Node(id, BuiltInTypes.DATASOURCE, null, level, id));
      batch.add(NewResource.builder(BuiltInTypes.DATASOURCE, id).set("name", "Datasource " + id).accessLevel(level)
          .build());
    }
    for (int i = 0; i < 30; i++) {
      String id = p + "pt" + i;
      Node ds = nodes.get(random.nextInt(datasources));
      AccessLevel level = levels[random.nextInt(levels.length)];
      nodes.add(new Node(id, BuiltInTypes.PATIENT, ds.id(), level, ds.root()));
      batch.add(NewResource.builder(BuiltInTypes.PATIENT, id).parent(ds.id()).set("external_uid", id)
          .accessLevel(level).build());
    }
    List<Node> patients = nodes.stream().filter(n -> n.type().equals(BuiltInTypes.PATIENT)).toList();
    for (int i = 0; i < 60; i++) {
      String id = p + "st" + i;
      Node pt = patients.get(random.nextInt(patients.size()));
      AccessLevel level = levels[random.nextInt(levels.length)];
      nodes.add(new Node(id, BuiltInTypes.STUDY, pt.id(), level, pt.root()));
      batch.add(NewResource.builder(BuiltInTypes.STUDY, id).parent(pt.id()).set("external_uid", id)
          .set("modality", random.nextBoolean() ? "MR" : "CT").accessLevel(level).build());
    }
    for (int i = 0; i < 20; i++) {
      String id = p + "art" + i;
      boolean free = random.nextInt(5) == 0;
      Node parent = free ? null : nodes.get(random.nextInt(nodes.size()));
      AccessLevel level = levels[random.nextInt(levels.length)];
      nodes.add(new Node(id, BuiltInTypes.ARTEFACT, parent == null ? null : parent.id(), level,
          parent == null ? null : parent.root()));
      batch.add(NewResource.builder(BuiltInTypes.ARTEFACT, id).parent(parent == null ? null : parent.id())
          .set("size_bytes", (long) i).accessLevel(level).build());
    }
    store.create(batch);
    Map<String, Node> byId = new HashMap<>();
    nodes.forEach(n -> byId.put(n.id(), n));

    for (int k = 0; k < 4; k++) {
      String pid = p + "user" + k;
      AccessLevel clearance = levels[random.nextInt(levels.length)];
      admin().createPrincipal(Principal.of(pid, pid, clearance));
      Set<String> granted = new HashSet<>();
      for (int d = 0; d < datasources; d++) {
        if (random.nextBoolean()) {
          granted.add(p + "ds" + d);
          grant(p + "ds" + d, pid, Role.values()[random.nextInt(Role.values().length)]);
        }
      }
      VxData view = store.as(pid);
      Function<Node, Boolean> visible = n -> n.root() != null && granted.contains(n.root())
          && n.level().compareTo(clearance) <= 0;
      String why = "seed " + seed + ", principal " + pid + " (" + clearance + ", " + granted + ")";

      List<String> all = nodes.stream().map(Node::id).toList();
      Set<String> expected = new TreeSet<>(nodes.stream().filter(visible::apply).map(Node::id).toList());
      assertThat(new TreeSet<>(readIds(view, all.toArray(String[]::new)))).as(why).isEqualTo(expected);

      for (String type : List.of(BuiltInTypes.DATASOURCE, BuiltInTypes.PATIENT, BuiltInTypes.STUDY,
          BuiltInTypes.ARTEFACT)) {
        Set<String> ofType = new TreeSet<>(nodes.stream().filter(n -> n.type().equals(type) && visible.apply(n)
            && n.id().startsWith(p)).map(Node::id).toList());
        QueryRequest q = QueryRequest.of(type).filter(Filter.where("identifier", Operator.LIKE, p + "%"))
            .sort(SortKey.desc(random.nextBoolean() ? "access_level" : "updated_by")).limit(1 + random.nextInt(7))
            .build();
        List<String> paged = queryIds(view, q);
        assertThat(paged).as(why + " query " + type).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(paged)).as(why + " query " + type).isEqualTo(ofType);
        assertThat(view.count(q).value()).as(why + " count " + type).isEqualTo(ofType.size());
        assertThat(scanIds(view, q.toBuilder().limit(null).build())).as(why + " scan " + type).isEqualTo(ofType);
      }
      // children, scoped queries and parents
      for (Node n : nodes) {
        List<String> kids = nodes.stream().filter(c -> n.id().equals(c.parent()) && visible.apply(c))
            .map(Node::id).sorted().toList();
        if (visible.apply(n)) {
          assertThat(view.read(List.of(n.id())).value().get(0).children()).as(why + " children of " + n.id())
              .contains(kids);
          List<String> chain = new ArrayList<>();
          for (Node at = n; at.parent() != null; at = byId.get(at.parent())) {
            chain.add(at.parent());
          }
          assertThat(view.parents(n.id()).value()).as(why + " parents of " + n.id()).isEqualTo(chain);
        } else {
          assertThatThrownBy(() -> view.parents(n.id())).as(why + " parents of " + n.id())
              .isInstanceOf(NotFoundException.class);
        }
      }
      // statistics
      Map<String, Long> studies = new HashMap<>();
      Map<String, Long> resources = new HashMap<>();
      for (Node n : nodes) {
        if (n.root() != null && !n.type().equals(BuiltInTypes.DATASOURCE) && visible.apply(n)) {
          resources.merge(n.root(), 1L, Long::sum);
          if (n.type().equals(BuiltInTypes.STUDY)) {
            studies.merge(n.root(), 1L, Long::sum);
          }
        }
      }
      for (DatasourceStats s : view.datasourceStats(AsOf.latest()).value()) {
        if (!s.datasourceId().startsWith(p)) {
          continue;
        }
        boolean seen = visible.apply(byId.get(s.datasourceId()));
        assertThat(seen || resources.getOrDefault(s.datasourceId(), 0L) > 0).as(why + " stats of " + s.datasourceId())
            .isTrue();
        assertThat(s.name() == null).as(why + " name of " + s.datasourceId()).isEqualTo(!seen);
        assertThat(s.studies()).as(why + " studies of " + s.datasourceId())
            .isEqualTo(studies.getOrDefault(s.datasourceId(), 0L));
        assertThat(s.resources()).as(why + " resources of " + s.datasourceId())
            .isEqualTo(resources.getOrDefault(s.datasourceId(), 0L));
      }
      long listed = view.datasourceStats(AsOf.latest()).value().stream().filter(s -> s.datasourceId().startsWith(p))
          .count();
      // a datasource is listed when the reader sees it or something under it (its name only if it sees it)
      assertThat(listed).as(why + " datasources listed").isEqualTo(granted.stream()
          .filter(d -> visible.apply(byId.get(d)) || resources.getOrDefault(d, 0L) > 0).count());
      for (DatasourceDetails d : view.datasourceDetails(null, AsOf.latest()).value()) {
        if (d.datasourceId().startsWith(p)) {
          long active = d.types().values().stream().mapToLong(DatasourceDetails.TypeCounts::active).sum();
          assertThat(active).as(why + " details of " + d.datasourceId())
              .isEqualTo(resources.getOrDefault(d.datasourceId(), 0L));
        }
      }
    }
  }

  /** Asserts that {@code call} fails with {@code type} and commits nothing, and answers the exception. */
  private VxDataException refusal(Class<? extends VxDataException> type, Runnable call) {
    Instant before = store.lastCommitTime();
    VxDataException thrown = null;
    try {
      call.run();
    } catch (VxDataException e) {
      thrown = e;
    }
    assertThat(thrown).as("the refusal").isInstanceOf(type);
    assertThat(store.lastCommitTime()).as("lastCommitTime after a rejected write").isEqualTo(before);
    return thrown;
  }

  /**
   * Asserts that two calls are refused alike, the first naming {@code hidden} where the second names
   * {@code absent}: an answer about something out of sight is the answer about something missing.
   */
  private void assertSameRefusal(Runnable aboutHidden, Runnable aboutAbsent, String hidden, String absent) {
    VxDataException a = refusal(VxDataException.class, aboutHidden);
    VxDataException b = refusal(VxDataException.class, aboutAbsent);
    assertThat(a.getClass()).isEqualTo(b.getClass());
    assertThat(a.getMessage().replace(hidden, "?")).isEqualTo(b.getMessage().replace(absent, "?"));
  }

  /** Asserts that {@code call} fails with {@code type} and commits nothing. */
  private void rejected(Class<? extends VxDataException> type, Runnable call) {
    Instant before = store.lastCommitTime();
    assertThatThrownBy(call::run).isInstanceOf(type);
    assertThat(store.lastCommitTime()).as("lastCommitTime after a rejected write").isEqualTo(before);
  }
}
