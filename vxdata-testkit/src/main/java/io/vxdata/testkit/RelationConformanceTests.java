package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.family;
import static io.vxdata.testkit.Fixtures.identifiers;
import static io.vxdata.testkit.Fixtures.member;
import static io.vxdata.testkit.Fixtures.patient;
import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.AccessLevel;
import io.vxdata.AsOf;
import io.vxdata.ForbiddenException;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.ReadOptions;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.WriteResult;
import io.vxdata.access.Grant;
import io.vxdata.access.Principal;
import io.vxdata.access.Role;
import io.vxdata.query.Filter;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.SortOrder;
import io.vxdata.relation.Cardinality;
import io.vxdata.relation.Link;
import io.vxdata.relation.RelationType;
import io.vxdata.schema.BuiltInTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Relations and links (docs/behaviour.md §15.1), with the built-in {@code family} type and its
 * {@code member_of} relation: attach, detach and attach again in transaction time, reads as of before
 * and after, deletes and restores of either end, cardinalities, ends that are missing, deleted or
 * invisible, and the {@code related} query condition with other filters and pages. Every refused
 * write writes nothing.
 */
public abstract class RelationConformanceTests extends VxDataTestSupport {

  private static final String MEMBER_OF = BuiltInTypes.MEMBER_OF;

  private WriteResult attach(Link... links) {
    return store.relations().attach(List.of(links));
  }

  private WriteResult detach(Link... links) {
    return store.relations().detach(List.of(links));
  }

  /** The members of a family, as of {@code asOf}, in identifier order. */
  private List<String> members(VxData view, String family, AsOf asOf) {
    return identifiers(view.query(QueryRequest.of(BuiltInTypes.PATIENT).filter(Filter.relatedTo(MEMBER_OF, family))
        .sortBy("identifier", SortOrder.ASC).asOf(asOf).build()).results());
  }

  private List<String> members(String family, Instant asOf) {
    return members(store, family, asOf == null ? AsOf.latest() : AsOf.at(asOf));
  }

  /** The family of a patient, by query, as of {@code asOf}. */
  private List<String> familyOf(String patient, Instant asOf) {
    return identifiers(store.query(QueryRequest.of(BuiltInTypes.FAMILY).filter(Filter.relatedFrom(MEMBER_OF, patient))
        .asOf(asOf == null ? AsOf.latest() : AsOf.at(asOf)).build()).results());
  }

  private List<Link> linksOf(VxData view, String identifier, Instant asOf) {
    ReadOptions options = (asOf == null ? ReadOptions.latest() : ReadOptions.asOf(asOf)).withLinks();
    List<Resource> found = view.read(List.of(identifier), options).value();
    assertThat(found).as("read of %s", identifier).hasSize(1);
    return found.get(0).links().orElseThrow();
  }

  private List<Link> linksOf(String identifier, Instant asOf) {
    return linksOf(store, identifier, asOf);
  }

  private void family1WithTwoPatients() {
    create(datasource("ds-1"), patient("pt-1", "ds-1"), patient("pt-2", "ds-1"), family("fam-1", "ds-1"),
        family("fam-2", "ds-1"));
  }

  @Test
  void theBuiltInRelationAndType() {
    RelationType memberOf = store.relations().types().get(MEMBER_OF);
    assertThat(memberOf).isEqualTo(new RelationType(MEMBER_OF, "patient", "family", Cardinality.ONE, Cardinality.MANY));
    assertThat(store.payloadTypes()).containsKey(BuiltInTypes.FAMILY);
    assertThat(store.payloadTypes().get(BuiltInTypes.FAMILY).parentTypes()).containsExactly(BuiltInTypes.DATASOURCE);
  }

  @Test
  void attachDetachAndAttachAgainAreVersionedInTransactionTime() {
    family1WithTwoPatients();
    Instant before = store.lastCommitTime();

    WriteResult attached = attach(member("pt-1", "fam-1"), member("pt-2", "fam-1"), member("pt-1", "fam-1"));
    assertThat(attached.count()).isEqualTo(2);
    assertThat(attached.committedAt()).isEqualTo(store.lastCommitTime()).isAfter(before);
    Instant t1 = attached.committedAt();

    // One call each: the members of a family, the family of a patient.
    assertThat(members("fam-1", null)).containsExactly("pt-1", "pt-2");
    assertThat(familyOf("pt-1", null)).containsExactly("fam-1");
    assertThat(linksOf("pt-1", null)).containsExactly(member("pt-1", "fam-1"));
    assertThat(linksOf("fam-1", null)).containsExactly(member("pt-1", "fam-1"), member("pt-2", "fam-1"));
    assertThat(store.read(List.of("pt-1")).value().get(0).links()).as("links only when asked for").isEmpty();

    // Attaching what is attached changes nothing and commits nothing.
    WriteResult again = attach(member("pt-1", "fam-1"));
    assertThat(again.count()).isZero();
    assertThat(again.committedAt()).isEqualTo(t1);
    assertThat(store.lastCommitTime()).isEqualTo(t1);

    WriteResult detached = detach(member("pt-1", "fam-1"));
    assertThat(detached.count()).isEqualTo(1);
    Instant t2 = detached.committedAt();
    assertThat(detach(member("pt-1", "fam-1")).count()).as("detaching a detached link").isZero();
    assertThat(store.lastCommitTime()).isEqualTo(t2);
    assertThat(members("fam-1", null)).containsExactly("pt-2");
    assertThat(familyOf("pt-1", null)).isEmpty();
    assertThat(linksOf("pt-1", null)).isEmpty();

    // Once detached, the patient may join another family; then the first again.
    Instant t3 = attach(member("pt-1", "fam-2")).committedAt();
    Instant t4 = commit(() -> detach(member("pt-1", "fam-2")));
    Instant t5 = attach(member("pt-1", "fam-1")).committedAt();

    // Reads as of each time see the links valid then.
    assertThat(members("fam-1", before)).isEmpty();
    assertThat(members("fam-1", t1)).containsExactly("pt-1", "pt-2");
    assertThat(members("fam-1", t2)).containsExactly("pt-2");
    assertThat(familyOf("pt-1", t3)).containsExactly("fam-2");
    assertThat(familyOf("pt-1", t4)).isEmpty();
    assertThat(familyOf("pt-1", t5)).containsExactly("fam-1");
    assertThat(linksOf("pt-1", t1)).containsExactly(member("pt-1", "fam-1"));
    assertThat(linksOf("pt-1", t2)).isEmpty();
    assertThat(linksOf("fam-2", t3)).containsExactly(member("pt-1", "fam-2"));
    assertThat(linksOf("fam-2", t5)).isEmpty();
    assertThat(store.count(QueryRequest.of("patient").filter(Filter.relatedTo(MEMBER_OF, "fam-1"))
        .asOf(t2).build()).value()).isEqualTo(1);
  }

  @Test
  void cardinalitiesAreEnforcedAndARefusedBatchWritesNothing() {
    family1WithTwoPatients();
    attach(member("pt-1", "fam-1"));

    // A patient has one family: a second one is refused, naming the patient; nothing of the batch is written.
    assertRejected(ValidationException.class, () -> attach(member("pt-2", "fam-1"), member("pt-1", "fam-2")),
        "pt-1", "member_of");
    assertRejected(ValidationException.class, () -> attach(member("pt-2", "fam-1"), member("pt-2", "fam-2")),
        "pt-2");
    assertThat(members("fam-1", null)).containsExactly("pt-1");
    assertThat(members("fam-2", null)).isEmpty();

    // A relation that allows one source per target too.
    registerRelation(new RelationType("twin_of", "patient", "patient", Cardinality.ONE, Cardinality.ONE));
    create(patient("pt-3", "ds-1"));
    assertThat(store.relations().attach(List.of(new Link("twin_of", "pt-1", "pt-2"))).count()).isEqualTo(1);
    assertRejected(ValidationException.class,
        () -> store.relations().attach(List.of(new Link("twin_of", "pt-3", "pt-2"))), "pt-2", "twin_of");
  }

  @Test
  void linksToMissingDeletedOrWronglyTypedResourcesAreRefused() {
    family1WithTwoPatients();
    create(family("fam-gone", "ds-1"));
    store.delete(List.of("fam-gone"));

    assertRejected(NotFoundException.class, () -> attach(member("pt-1", "fam-1"), member("pt-2", "fam-nope")),
        "fam-nope");
    assertRejected(NotFoundException.class, () -> attach(member("pt-1", "fam-1"), member("pt-2", "fam-gone")),
        "fam-gone", "deleted");
    assertRejected(ValidationException.class, () -> attach(member("pt-1", "fam-1"), member("fam-2", "fam-1")),
        "fam-2", "member_of");
    assertRejected(ValidationException.class, () -> attach(member("pt-1", "pt-2")), "pt-2", "family");
    assertRejected(ValidationException.class,
        () -> store.relations().attach(List.of(new Link("sibling_of", "pt-1", "pt-2"))), "sibling_of");
    assertRejected(NotFoundException.class, () -> detach(member("pt-1", "fam-nope")), "fam-nope");
    assertThat(members("fam-1", null)).isEmpty();
  }

  @Test
  void deletingEitherEndDetachesAndRestoringAttachesAgain() {
    family1WithTwoPatients();
    Instant attached = attach(member("pt-1", "fam-1"), member("pt-2", "fam-1")).committedAt();

    Instant patientGone = store.delete(List.of("pt-1")).committedAt();
    assertThat(members("fam-1", null)).containsExactly("pt-2");
    assertThat(members("fam-1", attached)).containsExactly("pt-1", "pt-2");
    assertThat(linksOf("fam-1", null)).containsExactly(member("pt-2", "fam-1"));
    Instant patientBack = store.restore(List.of("pt-1")).committedAt();
    assertThat(members("fam-1", null)).containsExactly("pt-1", "pt-2");
    assertThat(members("fam-1", patientGone)).containsExactly("pt-2");

    Instant familyGone = store.update(java.util.Map.of("fam-1", ResourceUpdate.builder().set("is_deleted", true)
        .build())).committedAt();
    assertThat(familyOf("pt-1", null)).isEmpty();
    assertThat(linksOf("pt-2", null)).isEmpty();
    store.restore(List.of("fam-1"));
    assertThat(members("fam-1", null)).containsExactly("pt-1", "pt-2");
    assertThat(members("fam-1", patientBack)).containsExactly("pt-1", "pt-2");
    assertThat(linksOf("pt-2", familyGone)).isEmpty();

    // A cascade from the datasource takes both ends; restoring it brings the links back.
    store.delete(List.of("ds-1"));
    store.restore(List.of("ds-1"));
    assertThat(members("fam-1", null)).containsExactly("pt-1", "pt-2");

    // A link detached before the delete stays detached after the restore.
    detach(member("pt-2", "fam-1"));
    store.delete(List.of("pt-2"));
    store.restore(List.of("pt-2"));
    assertThat(members("fam-1", null)).containsExactly("pt-1");

    // A new life of a deleted resource starts without links.
    store.delete(List.of("pt-1"));
    store.create(List.of(patient("pt-1", "ds-1")));
    assertThat(members("fam-1", null)).isEmpty();
  }

  @Test
  void aDeleteByFilterDetachesTooAndARestoreAttachesAgain() {
    family1WithTwoPatients();
    Instant attached = attach(member("pt-1", "fam-1"), member("pt-2", "fam-1")).committedAt();

    assertThat(store.deleteWhere(new io.vxdata.DeleteWhere(BuiltInTypes.FAMILY, Filter.eq("name", "Family fam-1"),
        io.vxdata.Cascade.CASCADE, 10)).count()).isEqualTo(1);
    assertThat(familyOf("pt-1", null)).isEmpty();
    assertThat(linksOf("pt-2", null)).isEmpty();
    assertThat(members("fam-1", attached)).containsExactly("pt-1", "pt-2");
    store.restore(List.of("fam-1"));
    assertThat(members("fam-1", null)).containsExactly("pt-1", "pt-2");
  }

  @Test
  void aRestoreDoesNotBreakACardinality() {
    family1WithTwoPatients();
    registerRelation(new RelationType("guardian_of", "patient", "patient", Cardinality.ONE, Cardinality.ONE));
    create(patient("pt-3", "ds-1"));
    store.relations().attach(List.of(new Link("guardian_of", "pt-1", "pt-2")));
    store.delete(List.of("pt-1"));
    store.relations().attach(List.of(new Link("guardian_of", "pt-3", "pt-2")));

    assertThat(store.restore(List.of("pt-1")).count()).isEqualTo(1);
    assertThat(linksOf("pt-2", null)).containsExactly(new Link("guardian_of", "pt-3", "pt-2"));
  }

  @Test
  void theRelatedConditionCombinesWithOtherFiltersAndPages() {
    create(datasource("ds-1"), family("fam-1", "ds-1"), family("fam-2", "ds-1"));
    List<NewResource> patients = new ArrayList<>();
    List<Link> links = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String id = String.format("pt-%02d", i);
      patients.add(NewResource.builder("patient", id).parent("ds-1").set("external_uid", "u" + i)
          .set("sex", i % 3 == 0 ? "F" : "M").set("birth_year", 1950L + i).build());
      links.add(member(id, i % 2 == 0 ? "fam-1" : "fam-2"));
    }
    store.create(patients);
    store.relations().attach(links);

    Filter women = Filter.eq("sex", "F");
    Filter inFamily1 = Filter.relatedTo(MEMBER_OF, "fam-1");
    QueryRequest request = QueryRequest.of("patient").filter(Filter.and(inFamily1, women))
        .sortBy("birth_year", SortOrder.DESC).limit(2).build();
    List<String> walked = new ArrayList<>();
    QueryPage page = store.query(request);
    walked.addAll(identifiers(page.results()));
    while (page.nextCursor() != null) {
      page = store.query(request.next(page));
      walked.addAll(identifiers(page.results()));
    }
    assertThat(walked).containsExactly("pt-24", "pt-18", "pt-12", "pt-06", "pt-00");
    assertThat(store.count(request).value()).isEqualTo(5);

    Filter notInFamily1 = Filter.not(inFamily1);
    assertThat(store.count(QueryRequest.of("patient").filter(notInFamily1).build()).value()).isEqualTo(15);
    Filter either = Filter.or(Filter.relatedTo(MEMBER_OF, "fam-2"), Filter.where("birth_year", io.vxdata.query.Operator.LT,
        1952L));
    assertThat(store.count(QueryRequest.of("patient").filter(either).build()).value()).isEqualTo(16);
    assertThat(identifiers(store.query(QueryRequest.of("patient").filter(inFamily1).children("ds-1")
        .identifiers(List.of("pt-00", "pt-01", "pt-02")).select("sex").build()).results()))
        .containsExactlyInAnyOrder("pt-00", "pt-02");
    assertThat(identifiers(store.query(QueryRequest.of("family").filter(Filter.relatedFrom(MEMBER_OF, "pt-07"))
        .build()).results())).containsExactly("fam-2");

    // A relation that does not link the queried type, or an unknown one, is refused naming it.
    assertRejected(ValidationException.class, () -> store.query(QueryRequest.of("family")
        .filter(Filter.relatedTo(MEMBER_OF, "fam-1")).build()), "member_of");
    assertRejected(ValidationException.class, () -> store.query(QueryRequest.of("patient")
        .filter(Filter.relatedTo("sibling_of", "fam-1")).build()), "sibling_of");
  }

  @Test
  void registeringRelations() {
    RelationType cites = new RelationType("cites", "study", "study", Cardinality.MANY, Cardinality.MANY);
    registerRelation(cites);
    Instant after = store.lastCommitTime();
    registerRelation(cites);
    assertThat(store.lastCommitTime()).as("registering the same relation again").isEqualTo(after);
    assertThat(store.relations().types()).containsEntry("cites", cites);
    assertRejected(ValidationException.class, () -> store.relations().register(
        new RelationType("cites", "study", "artefact", Cardinality.MANY, Cardinality.MANY)), "cites");
    assertRejected(ValidationException.class, () -> store.relations().register(
        new RelationType("owns", "study", "nosuchtype", Cardinality.MANY, Cardinality.MANY)), "nosuchtype");
  }

  /** Registers a relation on the store under test. */
  protected void registerRelation(RelationType type) {
    store.relations().register(type);
  }

  // ---- access (docs/behaviour.md §13) ----

  private VxData principal(String id, Role role, String... datasources) {
    store.access().createPrincipal(Principal.of(id, "Principal " + id, AccessLevel.RESTRICTED));
    for (String datasource : datasources) {
      store.access().grant(new Grant(datasource, id, role));
    }
    return store.as(id);
  }

  @Test
  void linksNeverTellOfWhatTheCallerCannotSee() {
    create(datasource("ds-a"), datasource("ds-b"), patient("pt-a", "ds-a"), patient("pt-b", "ds-b"),
        family("fam-a", "ds-a"), family("fam-b", "ds-b"));
    attach(member("pt-a", "fam-b"), member("pt-b", "fam-a"));
    VxData alice = principal("alice", Role.EDITOR, "ds-a");
    Instant now = store.lastCommitTime();

    assertThat(members(alice, "fam-b", AsOf.latest())).as("members of an invisible family").isEmpty();
    assertThat(members(alice, "fam-a", AsOf.latest())).as("an invisible member").isEmpty();
    assertThat(members(alice, "fam-b", AsOf.at(now))).isEmpty();
    assertThat(linksOf(alice, "pt-a", null)).isEmpty();
    assertThat(linksOf(alice, "fam-a", now)).isEmpty();
    assertThat(alice.count(QueryRequest.of("patient").filter(Filter.not(Filter.relatedTo(MEMBER_OF, "fam-b")))
        .build()).value()).isEqualTo(1);

    // An invisible end is not found, like a missing one; nothing is written.
    assertRejected(NotFoundException.class, () -> alice.relations().detach(List.of(member("pt-a", "fam-b"))), "fam-b");
    create(patient("pt-a2", "ds-a"));
    assertRejected(NotFoundException.class, () -> alice.relations().attach(List.of(member("pt-a2", "fam-b"))),
        "fam-b");
    assertThat(alice.relations().attach(List.of(member("pt-a2", "fam-a"))).count()).isEqualTo(1);
    assertThat(members(alice, "fam-a", AsOf.latest())).containsExactly("pt-a2");

    // A viewer sees the links but may not change them.
    VxData bob = principal("bob", Role.VIEWER, "ds-a");
    assertThat(members(bob, "fam-a", AsOf.latest())).containsExactly("pt-a2");
    assertRejected(ForbiddenException.class, () -> bob.relations().detach(List.of(member("pt-a2", "fam-a"))), "bob");
    assertRejected(ForbiddenException.class, () -> bob.relations().register(
        new RelationType("cites", "study", "study", Cardinality.MANY, Cardinality.MANY)), "admin");
    assertThat(members("fam-a", null)).containsExactly("pt-a2", "pt-b");
  }
}
