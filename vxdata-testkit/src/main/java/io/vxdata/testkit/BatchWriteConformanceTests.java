package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.datasource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;

import io.vxdata.AccessLevel;
import io.vxdata.Cascade;
import io.vxdata.ChangeEntry;
import io.vxdata.ChangesRequest;
import io.vxdata.DeleteWhere;
import io.vxdata.HistoryPage;
import io.vxdata.UpdateWhere;
import io.vxdata.WriteResult;
import io.vxdata.query.Filter;
import io.vxdata.query.QueryRequest;
import java.time.LocalDate;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.PatientRegistration;
import io.vxdata.RegistrationBatch;
import io.vxdata.Resource;
import io.vxdata.StudyRegistration;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.VxDataException;
import io.vxdata.schema.PayloadType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Writes of many resources in one call: batch registration (docs/behaviour.md §5, registering in batches) and
 * payload types registered and evolved through the {@link io.vxdata.VxData} under test itself (over HTTP too).
 * Subclass it with a backend's {@link #newStore()}.
 */
public abstract class BatchWriteConformanceTests extends VxDataTestSupport {

  private void createDatasources() {
    create(datasource("ds-1"), datasource("ds-2"));
  }

  /** The fields the violations of a refusal name. */
  private static List<String> fields(Throwable thrown) {
    return ((VxDataException) thrown).violations().stream().map(Violation::field).toList();
  }

  // ---------------------------------------------------------------------------------------------
  // Batch registration.

  @Test
  void registerPatientsAnswersIdentifiersInInputOrderWithTheirFields() {
    createDatasources();
    RegistrationBatch batch = store.registerPatients(List.of(
        PatientRegistration.of("ds-2", "mrn-3").with("sex", "F").with("birth_year", 1970),
        PatientRegistration.of("ds-1", "mrn-1").with("access_level", "confidential"),
        PatientRegistration.of("ds-1", "mrn-2").with("sex", "M")));

    List<String> ids = batch.identifiers();
    assertThat(ids).hasSize(3).doesNotHaveDuplicates().isSorted();
    assertThat(store.resolvePatient("ds-2", "mrn-3")).isEqualTo(ids.get(0));
    assertThat(store.resolvePatient("ds-1", "mrn-1")).isEqualTo(ids.get(1));
    assertThat(store.resolvePatient("ds-1", "mrn-2")).isEqualTo(ids.get(2));
    Resource first = readOne(ids.get(0));
    assertThat(first.parentIdentifier()).isEqualTo("ds-2");
    assertThat(first.payload()).contains(entry("datasource_id", "ds-2"), entry("external_uid", "mrn-3"),
        entry("sex", "F"), entry("birth_year", 1970L));
    assertThat(first.createdAt()).isEqualTo(batch.committedAt());
    assertThat(readOne(ids.get(1)).accessLevel()).isEqualTo(AccessLevel.CONFIDENTIAL);
    assertThat(store.lastCommitTime()).as("one commit").isEqualTo(batch.committedAt());
  }

  @Test
  void registerStudiesAnswersIdentifiersInInputOrder() {
    createDatasources();
    String patient = store.registerPatient("ds-1", "mrn-1").identifier();

    RegistrationBatch batch = store.registerStudies(List.of(
        StudyRegistration.of(patient, "acc-2").with("modality", "MR").with("study_date", "2024-03-01"),
        StudyRegistration.of(patient, "acc-1")));

    assertThat(batch.identifiers()).hasSize(2).doesNotHaveDuplicates();
    assertThat(store.resolveStudy(patient, "acc-2")).isEqualTo(batch.identifiers().get(0));
    assertThat(store.resolveStudy(patient, "acc-1")).isEqualTo(batch.identifiers().get(1));
    assertThat(readOne(batch.identifiers().get(0)).get("modality")).isEqualTo("MR");
    assertThat(childrenOf(patient, null)).containsExactlyInAnyOrderElementsOf(batch.identifiers());
  }

  @Test
  void anEmptyBatchRegistersNothingAndCommitsNothing() {
    createDatasources();
    Instant before = store.lastCommitTime();

    RegistrationBatch batch = store.registerPatients(List.of());

    assertThat(batch.identifiers()).isEmpty();
    assertThat(batch.committedAt()).isEqualTo(before);
    assertThat(store.lastCommitTime()).isEqualTo(before);
  }

  @Test
  void oneBadItemWritesNothingAndTheErrorNamesItsIndex() {
    createDatasources();
    List<PatientRegistration> badSex = List.of(PatientRegistration.of("ds-1", "a"), PatientRegistration.of("ds-1", "b"),
        PatientRegistration.of("ds-1", "c").with("sex", "X"));
    Instant before = store.lastCommitTime();

    Throwable thrown = catchThrowable(() -> store.registerPatients(badSex));

    assertThat(thrown).isInstanceOf(ValidationException.class).hasMessageContaining("[2]");
    assertThat(fields(thrown)).containsExactly("[2].sex");
    assertThat(store.lastCommitTime()).isEqualTo(before);
    assertThatThrownBy(() -> store.resolvePatient("ds-1", "a")).isInstanceOf(NotFoundException.class);
    assertThat(childrenOf("ds-1", null)).isEmpty();

    assertThat(fields(catchThrowable(() -> store.registerPatients(List.of(PatientRegistration.of("ds-1", "a"),
        PatientRegistration.of("ds-1", "")))))).containsExactly("[1].external_uid");
    assertThat(fields(catchThrowable(() -> store.registerPatients(List.of(PatientRegistration.of("ds-1", "a"),
        PatientRegistration.of("ds-1", "b").with("no_such_field", 1)))))).containsExactly("[1].no_such_field");
    assertThat(fields(catchThrowable(() -> store.registerPatients(List.of(
        PatientRegistration.of("ds-1", "a").with("external_uid", "b")))))).containsExactly("[0].external_uid");
    Throwable unknown = catchThrowable(() -> store.registerPatients(List.of(PatientRegistration.of("ds-1", "a"),
        PatientRegistration.of("no-such-ds", "b"))));
    assertThat(unknown).isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-ds");
    assertThat(fields(unknown)).containsExactly("[1].datasource_id");
    assertThat(store.lastCommitTime()).isEqualTo(before);
    assertThat(childrenOf("ds-1", null)).isEmpty();
  }

  @Test
  void aTakenKeyOrTwoItemsOfOneKeyWriteNothing() {
    createDatasources();
    String holder = store.registerPatient("ds-1", "taken").identifier();
    Instant before = store.lastCommitTime();

    Throwable taken = catchThrowable(() -> store.registerPatients(List.of(PatientRegistration.of("ds-1", "free"),
        PatientRegistration.of("ds-1", "taken"))));
    assertThat(taken).isInstanceOf(ValidationException.class).hasMessageContainingAll("[1]", holder);
    assertThat(fields(taken)).containsExactly("[1].external_uid");

    Throwable twice = catchThrowable(() -> store.registerPatients(List.of(PatientRegistration.of("ds-1", "dup"),
        PatientRegistration.of("ds-2", "dup"), PatientRegistration.of("ds-1", "dup"))));
    assertThat(twice).isInstanceOf(ValidationException.class).hasMessageContainingAll("[0]", "[2]");
    assertThat(fields(twice)).containsExactly("[2].external_uid");

    assertThat(store.lastCommitTime()).isEqualTo(before);
    assertThat(childrenOf("ds-1", null)).containsExactly(holder);
    assertThat(childrenOf("ds-2", null)).isEmpty();
    // the same uid under two datasources is two keys
    assertThat(store.registerPatients(List.of(PatientRegistration.of("ds-1", "dup"),
        PatientRegistration.of("ds-2", "dup"))).identifiers()).hasSize(2);
  }

  @Test
  void concurrentOverlappingBatchesRegisterEachKeyExactlyOnce() throws Exception {
    createDatasources();
    List<PatientRegistration> first = new ArrayList<>();
    List<PatientRegistration> second = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      first.add(PatientRegistration.of("ds-1", "k-" + i));
      second.add(PatientRegistration.of("ds-1", "k-" + (i + 40)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<RegistrationBatch> wins = new ArrayList<>();
    List<List<PatientRegistration>> lost = new ArrayList<>();
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<RegistrationBatch>> futures = new ArrayList<>();
      for (List<PatientRegistration> batch : List.of(first, second)) {
        Callable<RegistrationBatch> register = () -> {
          start.await();
          try {
            return store.registerPatients(batch);
          } catch (ValidationException e) {
            assertThat(e).hasMessageContaining("external_uid");
            return null;
          }
        };
        futures.add(pool.submit(register));
      }
      start.countDown();
      for (int b = 0; b < 2; b++) {
        RegistrationBatch result = futures.get(b).get(1, TimeUnit.MINUTES);
        if (result == null) {
          lost.add(b == 0 ? first : second);
        } else {
          wins.add(result);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    // Both overlap on k-40..k-59: exactly one batch wins, whole, and the other writes nothing.
    assertThat(wins).hasSize(1);
    assertThat(lost).hasSize(1);
    List<PatientRegistration> won = lost.get(0) == first ? second : first;
    for (int i = 0; i < won.size(); i++) {
      assertThat(store.resolvePatient("ds-1", won.get(i).externalUid())).isEqualTo(wins.get(0).identifiers().get(i));
    }
    Set<String> wonKeys = new HashSet<>(won.stream().map(PatientRegistration::externalUid).toList());
    List<PatientRegistration> rest = lost.get(0).stream().filter(p -> !wonKeys.contains(p.externalUid())).toList();
    for (PatientRegistration p : rest) {
      assertThatThrownBy(() -> store.resolvePatient("ds-1", p.externalUid())).isInstanceOf(NotFoundException.class);
    }
    store.registerPatients(rest);
    assertThat(childrenOf("ds-1", null)).as("one patient per key").hasSize(100);
  }

  // ---------------------------------------------------------------------------------------------
  // Payload types registered through the VxData under test.

  private static final String V1 = """
      {"type": "object", "properties": {"a": {"type": "string"}}, "x-vxdata-parent-types": ["study"],
       "additionalProperties": false}
      """;

  @Test
  void aTypeRegisteredThroughTheStoreIsUsableAndEvolves() {
    create(datasource("ds-1"), Fixtures.patient("pt-1", "ds-1"), Fixtures.study("st-1", "pt-1", "u-1"));
    store.registerType(PayloadType.fromJsonSchema("note", V1));

    assertThat(store.payloadTypes().get("note").fieldNames()).containsExactly("a");
    assertThat(store.payloadTypes().get("note").parentTypes()).containsExactly("study");
    assertThat(store.schemas()).containsKey("note");
    Instant before = create(NewResource.builder("note", "n-1").parent("st-1").set("a", "x").build());

    store.registerType(PayloadType.fromJsonSchema("note", """
        {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
         "x-vxdata-parent-types": ["study"], "additionalProperties": false}
        """));
    create(NewResource.builder("note", "n-2").parent("st-1").set("a", "y").set("b", 2).build());

    assertThat(store.payloadTypes().get("note").fieldNames()).containsExactly("a", "b");
    assertThat(readOne("n-1").payload()).containsExactly(entry("a", "x"), entry("b", null));
    assertThat(readOne("n-1", before).get("a")).isEqualTo("x");
    assertThat(readOne("n-2").get("b")).isEqualTo(2L);
  }

  @Test
  void anIncompatibleTypeChangeThroughTheStoreIsRefusedNamingTheField() {
    store.registerType(PayloadType.fromJsonSchema("note", V1));
    Instant before = store.lastCommitTime();

    assertThatThrownBy(() -> store.registerType(PayloadType.fromJsonSchema("note", """
        {"type": "object", "properties": {"a": {"type": "integer"}}, "x-vxdata-parent-types": ["study"]}""")))
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("note", "a");
    assertThatThrownBy(() -> store.registerType(PayloadType.fromJsonSchema("note", """
        {"type": "object", "properties": {"a": {"type": "string"}, "c": {"type": "string"}},
         "required": ["c"], "x-vxdata-parent-types": ["study"]}""")))
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("note", "c");

    assertThat(store.payloadTypes().get("note").fieldNames()).containsExactly("a");
    assertThat(store.lastCommitTime()).isEqualTo(before);
    assertThat(Map.copyOf(store.payloadTypes())).containsKey("note");
  }

  // ---------------------------------------------------------------------------------------------
  // Writes by filter.

  private static final Filter CT = Filter.eq("modality", "CT");

  /** ds-1 → pt-1 → st-1..st-3 (CT, each with an artefact), st-4, st-5 (MR); ds-2 → pt-2 → st-6 (CT). */
  private void createStudies() {
    create(datasource("ds-1"), datasource("ds-2"), Fixtures.patient("pt-1", "ds-1"), Fixtures.patient("pt-2", "ds-2"));
    List<NewResource> studies = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      studies.add(NewResource.builder("study", "st-" + i).parent(i == 6 ? "pt-2" : "pt-1")
          .set("external_uid", "acc-" + i).set("modality", i == 4 || i == 5 ? "MR" : "CT").build());
    }
    store.create(studies);
    create(Fixtures.artefact("art-1", "st-1"), Fixtures.artefact("art-2", "st-2"), Fixtures.artefact("art-3", "st-3"));
  }

  @Test
  void updateWhereChangesEveryMatchInOneTransactionAndAsOfBeforeSeesTheOldValues() {
    createStudies();
    Instant before = store.lastCommitTime();

    WriteResult result = store.updateWhere(new UpdateWhere("study", CT, Map.of("modality", "PET",
        "study_date", "2024-05-01", "access_level", "confidential"), 4));

    assertThat(result.count()).isEqualTo(4);
    assertThat(store.lastCommitTime()).isEqualTo(result.committedAt());
    for (String id : List.of("st-1", "st-2", "st-3", "st-6")) {
      Resource now = readOne(id);
      assertThat(now.get("modality")).as(id).isEqualTo("PET");
      assertThat(now.get("study_date")).isEqualTo(LocalDate.of(2024, 5, 1));
      assertThat(now.accessLevel()).isEqualTo(AccessLevel.CONFIDENTIAL);
      assertThat(now.version()).isEqualTo(2);
      assertThat(now.updatedAt()).isEqualTo(result.committedAt());
      assertThat(now.get("external_uid")).as("untouched fields keep their values").isEqualTo("acc-" + id.substring(3));
      assertThat(readOne(id, before).get("modality")).isEqualTo("CT");
      HistoryPage history = store.history(id);
      assertThat(history.versions()).hasSize(2);
      assertThat(history.versions().get(0).validFrom()).isEqualTo(result.committedAt());
      assertThat(history.versions().get(0).changedFields()).contains("modality", "study_date", "access_level");
      assertThat(history.versions().get(1).validTo()).isEqualTo(result.committedAt());
    }
    assertThat(readOne("st-4").get("modality")).isEqualTo("MR");
    assertThat(readOne("st-4").version()).isEqualTo(1);
    assertThat(store.count(QueryRequest.of("study").filter(Filter.eq("modality", "PET")).build()).value())
        .isEqualTo(4L);
    // one transaction in the change feed: every version it wrote has its time
    List<ChangeEntry> changes = store.changes(ChangesRequest.after(before)).changes();
    assertThat(changes).hasSize(4).allSatisfy(c -> assertThat(c.transactionTime()).isEqualTo(result.committedAt()));
  }

  @Test
  void aResourceAlreadyHoldingTheValuesGetsNoVersion() {
    createStudies();
    WriteResult first = store.updateWhere(new UpdateWhere("study", Filter.eq("modality", "MR"),
        Map.of("description", "checked"), 10));
    assertThat(first.count()).isEqualTo(2);

    WriteResult again = store.updateWhere(new UpdateWhere("study", Filter.eq("modality", "MR"),
        Map.of("description", "checked"), 10));

    assertThat(again.count()).isZero();
    assertThat(again.committedAt()).isEqualTo(first.committedAt());
    assertThat(readOne("st-4").version()).isEqualTo(2);
    // a field cleared with null
    assertThat(store.updateWhere(new UpdateWhere("study", Filter.eq("modality", "MR"),
        java.util.Collections.singletonMap("description", null), 10)).count()).isEqualTo(2);
    assertThat(readOne("st-5").get("description")).isNull();
  }

  @Test
  void moreMatchesThanExpectAtMostWriteNothing() {
    createStudies();
    Instant before = store.lastCommitTime();

    Throwable update = catchThrowable(() -> store.updateWhere(new UpdateWhere("study", CT,
        Map.of("modality", "PET"), 3)));
    assertThat(update).isInstanceOf(ValidationException.class).hasMessageContainingAll("expect_at_most", "4");
    assertThat(fields(update)).containsExactly("expect_at_most");
    Throwable delete = catchThrowable(() -> store.deleteWhere(new DeleteWhere("study", CT, null, 3)));
    assertThat(delete).isInstanceOf(ValidationException.class).hasMessageContainingAll("expect_at_most", "4");
    assertThat(fields(delete)).containsExactly("expect_at_most");

    assertThat(store.lastCommitTime()).isEqualTo(before);
    assertThat(readOne("st-1").get("modality")).isEqualTo("CT");
    assertThat(readable(null, "st-1", "st-2", "st-3", "st-6", "art-1")).hasSize(5);
  }

  @Test
  void aMalformedWriteByFilterIsRefusedNamingTheFieldAndWritesNothing() {
    createStudies();
    Instant before = store.lastCommitTime();

    assertThat(fields(catchThrowable(() -> store.updateWhere(new UpdateWhere("study", null, Map.of("modality", "X"),
        10))))).containsExactly("filter");
    assertThat(fields(catchThrowable(() -> store.deleteWhere(new DeleteWhere("study", Filter.and(), null, 10)))))
        .containsExactly("filter");
    assertThat(fields(catchThrowable(() -> store.updateWhere(new UpdateWhere("study", CT, Map.of(), 10)))))
        .containsExactly("set");
    assertThat(fields(catchThrowable(() -> store.updateWhere(new UpdateWhere("study", CT, Map.of("no_such", 1), 10)))))
        .containsExactly("set.no_such");
    assertThat(fields(catchThrowable(() -> store.updateWhere(new UpdateWhere("study", CT,
        Map.of("study_date", "not a date"), 10))))).containsExactly("set.study_date");
    assertThat(fields(catchThrowable(() -> store.updateWhere(new UpdateWhere("study", CT,
        Map.of("external_uid", "same"), 10))))).containsExactly("set.external_uid");
    assertThat(fields(catchThrowable(() -> store.updateWhere(new UpdateWhere("study", CT,
        Map.of("parent_identifier", "pt-2"), 10))))).containsExactly("set.parent_identifier");
    assertThat(fields(catchThrowable(() -> store.updateWhere(new UpdateWhere("study", Filter.eq("no_field", 1),
        Map.of("modality", "X"), 10))))).hasSize(1);
    assertThat(fields(catchThrowable(() -> store.updateWhere(new UpdateWhere("nope", CT, Map.of("modality", "X"), 10)))))
        .containsExactly("payload_type");
    assertThat(fields(catchThrowable(() -> store.deleteWhere(new DeleteWhere("study", CT, null, -1)))))
        .containsExactly("expect_at_most");

    assertThat(store.lastCommitTime()).isEqualTo(before);
  }

  @Test
  void deleteWhereTombstonesTheMatchesAndTheirSubtreesAndRestoreBringsThemBack() {
    createStudies();
    Instant before = store.lastCommitTime();

    WriteResult deleted = store.deleteWhere(new DeleteWhere("study", CT, Cascade.CASCADE, 4));

    assertThat(deleted.count()).as("4 studies and 3 artefacts").isEqualTo(7);
    assertThat(readable(null, "st-1", "st-2", "st-3", "st-4", "st-5", "st-6", "art-1", "art-2", "art-3"))
        .containsExactly("st-4", "st-5");
    assertThat(readable(before, "st-1", "st-6", "art-1")).containsExactly("st-1", "st-6", "art-1");
    assertThat(store.history("art-1").versions().get(0).resource().isDeleted()).isTrue();
    assertThat(store.history("art-1").versions().get(0).validFrom()).isEqualTo(deleted.committedAt());

    WriteResult restored = store.restore(List.of("st-1", "st-6"));

    assertThat(restored.count()).as("st-1 with art-1, and st-6").isEqualTo(3);
    assertThat(readable(null, "st-1", "st-2", "st-6", "art-1", "art-2")).containsExactly("st-1", "st-6", "art-1");
    assertThat(store.resolveStudy("pt-1", "acc-1")).isEqualTo("st-1");
  }

  @Test
  void deleteWhereWithoutCascadeRefusesMatchesWithActiveChildren() {
    createStudies();
    Instant before = store.lastCommitTime();

    Throwable refused = catchThrowable(() -> store.deleteWhere(new DeleteWhere("study", CT, Cascade.RESTRICT, 10)));

    assertThat(refused).isInstanceOf(ValidationException.class).hasMessageContaining("st-1");
    assertThat(store.lastCommitTime()).isEqualTo(before);
    assertThat(readable(null, "st-1", "st-6")).containsExactly("st-1", "st-6");
    // without children it goes
    assertThat(store.deleteWhere(new DeleteWhere("study", Filter.eq("modality", "MR"), Cascade.RESTRICT, 2)).count())
        .isEqualTo(2);
  }

  @Test
  void writesByFilterSeeOnlyWhatTheCallerMayAndRefuseWhatItMayNotChange() {
    createStudies();
    store.access().createPrincipal(io.vxdata.access.Principal.of("ed", "Ed", AccessLevel.INTERNAL));
    store.access().grant(new io.vxdata.access.Grant("ds-1", "ed", io.vxdata.access.Role.EDITOR));
    store.access().createPrincipal(io.vxdata.access.Principal.of("vi", "Vi", AccessLevel.RESTRICTED));
    store.access().grant(new io.vxdata.access.Grant("ds-1", "vi", io.vxdata.access.Role.VIEWER));
    io.vxdata.VxData editor = store.as("ed");
    io.vxdata.VxData viewer = store.as("vi");

    // st-6 lies under ds-2, which the editor cannot see: not counted against the limit, not changed
    assertThat(editor.updateWhere(new UpdateWhere("study", CT, Map.of("description", "ed"), 3)).count()).isEqualTo(3);
    assertThat(readOne("st-6").get("description")).isNull();
    assertThat(readOne("st-1").updatedBy()).isEqualTo("ed");
    Instant before = store.lastCommitTime();
    assertThatThrownBy(() -> viewer.updateWhere(new UpdateWhere("study", CT, Map.of("description", "vi"), 10)))
        .isInstanceOf(io.vxdata.ForbiddenException.class);
    assertThatThrownBy(() -> editor.updateWhere(new UpdateWhere("study", CT, Map.of("access_level", "restricted"), 10)))
        .isInstanceOf(io.vxdata.ForbiddenException.class);
    // art-2 above the editor's clearance: a cascade that would tombstone it is refused whole
    store.update(Map.of("art-2", Fixtures.change("access_level", "restricted")));
    Instant beforeDelete = store.lastCommitTime();
    assertThatThrownBy(() -> editor.deleteWhere(new DeleteWhere("study", CT, null, 3)))
        .isInstanceOf(io.vxdata.ForbiddenException.class);
    assertThat(store.lastCommitTime()).isEqualTo(beforeDelete);
    assertThat(readable(null, "st-1", "st-2", "art-1")).containsExactly("st-1", "st-2", "art-1");
    assertThat(before).isBefore(beforeDelete);
  }
}
