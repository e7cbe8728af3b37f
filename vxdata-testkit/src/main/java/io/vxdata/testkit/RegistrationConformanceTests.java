package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.artefact;
import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.vxdata.Cascade;
import io.vxdata.Fields;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.ValidationException;
import io.vxdata.schema.BuiltInTypes;
import io.vxdata.schema.PayloadType;
import io.vxdata.spi.Identifiers;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Registering patients and studies with server-allocated identifiers (docs/behaviour.md §5) and registering
 * payload types (docs/behaviour.md §2.2). Subclass it with a backend's {@link #newStore()}.
 */
public abstract class RegistrationConformanceTests extends VxDataTestSupport {

  /** A record a payload type is derived from; primitive components are required. */
  record Measurement(String label, long count, double value, boolean valid, LocalDate day, Instant takenAt,
      List<String> tags, List<Long> samples) {}

  /** A record type that the tests restrict to study parents. */
  record Finding(String summary) {}

  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §5 patients and studies.

  private static final String UID = "MRN-000123";

  private void createDatasources() {
    create(datasource("ds-1"), datasource("ds-2"));
  }

  @Test
  void registerPatientReturnsAnOpaqueValidIdentifier() {
    createDatasources();
    String id = store.registerPatient("ds-1", UID).identifier();

    assertThat(Identifiers.isValid(id)).as("'%s' is a valid identifier", id).isTrue();
    assertThat(id).doesNotContain(UID).doesNotContain("000123");
  }

  @Test
  void registeredPatientIsReadableUnderItsDatasource() {
    createDatasources();
    String id = store.registerPatient("ds-1", UID).identifier();

    Resource p = readOne(id);
    assertThat(p.payloadType()).isEqualTo("patient");
    assertThat(p.parentIdentifier()).isEqualTo("ds-1");
    assertThat(p.get("datasource_id")).isEqualTo("ds-1");
    assertThat(p.get("external_uid")).isEqualTo(UID);
    assertThat(p.version()).isEqualTo(1);
    assertThat(childrenOf("ds-1", null)).containsExactly(id);
  }

  @Test
  void registeredIdentifiersAreDistinctAndTimeOrdered() {
    createDatasources();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(store.registerPatient(i % 2 == 0 ? "ds-1" : "ds-2", "uid-" + (5 - i)).identifier());
    }

    assertThat(ids).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void sameUidUnderAnotherDatasourceIsAnotherPatient() {
    createDatasources();
    String first = store.registerPatient("ds-1", UID).identifier();
    String second = store.registerPatient("ds-2", UID).identifier();

    assertThat(second).isNotEqualTo(first);
    assertThat(store.resolvePatient("ds-2", UID)).isEqualTo(second);
  }

  @Test
  void registeringAPatientTwiceIsRejected() {
    createDatasources();
    store.registerPatient("ds-1", UID);

    assertRejected(ValidationException.class, () -> store.registerPatient("ds-1", UID), UID);
  }

  @Test
  void registeringUnderAnUnknownDatasourceIsNotFound() {
    createDatasources();
    assertRejected(NotFoundException.class, () -> store.registerPatient("no-such-ds", UID), "no-such-ds");
  }

  @Test
  void registeringUnderADeletedDatasourceIsNotFound() {
    createDatasources();
    store.delete(List.of("ds-2"));

    assertRejected(NotFoundException.class, () -> store.registerPatient("ds-2", UID), "ds-2");
  }

  @Test
  void resolvePatientFindsTheRegisteredPatient() {
    createDatasources();
    String id = store.registerPatient("ds-1", UID).identifier();
    store.registerPatient("ds-1", "other-uid");

    assertThat(store.resolvePatient("ds-1", UID)).isEqualTo(id);
  }

  @Test
  void resolvingAnUnknownPatientIsNotFound() {
    createDatasources();
    store.registerPatient("ds-1", UID);

    assertThatThrownBy(() -> store.resolvePatient("ds-1", "unknown-uid"))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("unknown-uid");
    assertThatThrownBy(() -> store.resolvePatient("ds-2", UID))
        .isInstanceOf(NotFoundException.class).hasMessageContaining(UID);
  }

  @Test
  void resolvingADeletedPatientIsNotFound() {
    createDatasources();
    String id = store.registerPatient("ds-1", UID).identifier();
    store.delete(List.of(id));

    assertThatThrownBy(() -> store.resolvePatient("ds-1", UID))
        .isInstanceOf(NotFoundException.class).hasMessageContaining(UID);
  }

  @Test
  void uidOfADeletedPatientCanBeRegisteredAgain() {
    createDatasources();
    String old = store.registerPatient("ds-1", UID).identifier();
    store.delete(List.of(old));

    String renewed = store.registerPatient("ds-1", UID).identifier();

    assertThat(renewed).isNotEqualTo(old);
    assertThat(store.resolvePatient("ds-1", UID)).isEqualTo(renewed);
  }

  @Test
  void registerStudyCreatesAStudyUnderThePatient() {
    createDatasources();
    String patient = store.registerPatient("ds-1", UID).identifier();

    String id = store.registerStudy(patient, "ACC-42").identifier();

    Resource s = readOne(id);
    assertThat(Identifiers.isValid(id)).as("'%s' is a valid identifier", id).isTrue();
    assertThat(id).doesNotContain("ACC-42").isNotEqualTo(patient);
    assertThat(s.payloadType()).isEqualTo("study");
    assertThat(s.parentIdentifier()).isEqualTo(patient);
    assertThat(s.get("external_uid")).isEqualTo("ACC-42");
    assertThat(store.resolveStudy(patient, "ACC-42")).isEqualTo(id);
  }

  @Test
  void studyIdentifiersAreDistinctAndTimeOrdered() {
    createDatasources();
    String patient = store.registerPatient("ds-1", UID).identifier();

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(store.registerStudy(patient, "acc-" + (5 - i)).identifier());
    }

    assertThat(ids).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void registeringAStudyTwiceIsRejected() {
    createDatasources();
    String patient = store.registerPatient("ds-1", UID).identifier();
    store.registerStudy(patient, "ACC-42");

    assertRejected(ValidationException.class, () -> store.registerStudy(patient, "ACC-42"), "ACC-42");
  }

  @Test
  void registeringAStudyUnderAnUnknownOrDeletedPatientIsNotFound() {
    createDatasources();
    String patient = store.registerPatient("ds-1", UID).identifier();
    store.delete(List.of(patient));

    assertRejected(NotFoundException.class, () -> store.registerStudy("no-such-patient", "ACC-42"),
        "no-such-patient");
    assertRejected(NotFoundException.class, () -> store.registerStudy(patient, "ACC-42"), patient);
  }

  @Test
  void resolvingAnUnknownOrDeletedStudyIsNotFound() {
    createDatasources();
    String patient = store.registerPatient("ds-1", UID).identifier();
    String study = store.registerStudy(patient, "ACC-42").identifier();
    store.delete(List.of(study));

    assertThatThrownBy(() -> store.resolveStudy(patient, "ACC-42"))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("ACC-42");
    assertThatThrownBy(() -> store.resolveStudy(patient, "ACC-99"))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("ACC-99");
  }

  @Test
  void uidOfADeletedStudyCanBeRegisteredAgain() {
    createDatasources();
    String patient = store.registerPatient("ds-1", UID).identifier();
    String old = store.registerStudy(patient, "ACC-42").identifier();
    store.delete(List.of(old));

    String renewed = store.registerStudy(patient, "ACC-42").identifier();

    assertThat(renewed).isNotEqualTo(old);
    assertThat(store.resolveStudy(patient, "ACC-42")).isEqualTo(renewed);
  }

  @Test
  void concurrentRegistrationsOfOneKeyHaveExactlyOneWinner() throws Exception {
    createDatasources();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int key = 0; key < 10; key++) {
        String uid = "race-" + key;
        CountDownLatch start = new CountDownLatch(1);
        Callable<Optional<String>> register = () -> {
          start.await();
          try {
            return Optional.of(store.registerPatient("ds-1", uid).identifier());
          } catch (ValidationException e) {
            assertThat(e).hasMessageContaining(uid);
            return Optional.empty();
          }
        };
        Future<Optional<String>> first = pool.submit(register);
        Future<Optional<String>> second = pool.submit(register);
        start.countDown();

        List<String> winners = Stream.of(first.get(1, TimeUnit.MINUTES), second.get(1, TimeUnit.MINUTES))
            .flatMap(Optional::stream).toList();
        assertThat(winners).as("winners for %s", uid).hasSize(1);
        assertThat(store.resolvePatient("ds-1", uid)).isEqualTo(winners.get(0));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(childrenOf("ds-1", null)).hasSize(10);
  }


  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §12.3 keys hold on every write path, not only registration. A patient's key is (its datasource,
  // external_uid), a study's (its patient, external_uid); datasource_id is derived from the parent.
  // Each rejected write is checked to have written nothing: no commit, and reads unchanged.

  private static NewResource keyedPatient(String identifier, String datasource, String externalUid) {
    return NewResource.builder(BuiltInTypes.PATIENT, identifier).parent(datasource)
        .set("external_uid", externalUid).build();
  }

  @Test
  void createWithATakenKeyIsRejected() {
    createDatasources();
    String holder = store.registerPatient("ds-1", UID).identifier();
    String study = store.registerStudy(holder, "ACC-42").identifier();

    assertRejected(ValidationException.class, () -> store.create(List.of(keyedPatient("p-dup", "ds-1", UID))),
        "p-dup", "external_uid", holder);
    assertRejected(ValidationException.class, () -> store.create(List.of(study("s-dup", holder, "ACC-42"))),
        "s-dup", "external_uid", study);

    assertThat(readable(null, "p-dup", "s-dup")).isEmpty();
    assertThat(store.resolvePatient("ds-1", UID)).isEqualTo(holder);
    assertThat(store.resolveStudy(holder, "ACC-42")).isEqualTo(study);
  }

  @Test
  void createWithADatasourceIdOtherThanTheParentIsRejected() {
    createDatasources();

    assertRejected(ValidationException.class, () -> store.create(List.of(NewResource.builder("patient", "p-1")
        .parent("ds-1").set("datasource_id", "ds-2").set("external_uid", UID).build())), "p-1", "datasource_id", "ds-2");
    assertThat(readable(null, "p-1")).isEmpty();

    create(keyedPatient("p-1", "ds-1", UID));
    assertThat(readOne("p-1").get("datasource_id")).as("derived from the parent").isEqualTo("ds-1");
    assertThat(store.resolvePatient("ds-1", UID)).isEqualTo("p-1");
  }

  @Test
  void keysPassedBetweenResourcesInOneBatchAreAccepted() {
    createDatasources();
    create(keyedPatient("p-1", "ds-1", "a"), keyedPatient("p-2", "ds-1", "b"), keyedPatient("p-3", "ds-1", "c"));

    // p-1 and p-2 trade keys in one batch; then p-1 takes the key of p-3, deleted before, while p-2 takes
    // the one p-1 gives up.
    store.update(Map.of("p-1", change("external_uid", "b"), "p-2", change("external_uid", "a")));
    store.delete(List.of("p-3"), Cascade.RESTRICT);
    store.update(Map.of("p-1", change("external_uid", "c"), "p-2", change("external_uid", "b")));

    assertThat(store.resolvePatient("ds-1", "b")).isEqualTo("p-2");
    assertThat(store.resolvePatient("ds-1", "c")).isEqualTo("p-1");
    assertThatThrownBy(() -> store.resolvePatient("ds-1", "a")).isInstanceOf(NotFoundException.class);
    assertRejected(ValidationException.class, () -> store.create(List.of(keyedPatient("p-5", "ds-1", "c"))),
        "p-5", "external_uid", "p-1");
  }

  @Test
  void createWithoutAKeyIsRejected() {
    createDatasources();

    assertRejected(ValidationException.class, () -> store.create(List.of(NewResource.builder("patient", "p-1")
        .parent("ds-1").set("sex", "F").build())), "p-1", "external_uid");
    assertRejected(ValidationException.class, () -> store.create(List.of(NewResource.builder("patient", "p-1")
        .parent("ds-1").set("external_uid", "").build())), "p-1", "external_uid");

    assertThat(readable(null, "p-1")).isEmpty();
  }

  @Test
  void batchWithTwoItemsOfOneKeyIsRejected() {
    createDatasources();
    create(keyedPatient("p-0", "ds-1", "other"));

    assertRejected(ValidationException.class, () -> store.create(List.of(keyedPatient("p-1", "ds-1", UID),
        keyedPatient("p-2", "ds-1", UID))), "external_uid", "p-1", "p-2");
    assertRejected(ValidationException.class, () -> store.create(List.of(study("s-1", "p-0", "ACC-42"),
        study("s-2", "p-0", "ACC-42"))), "external_uid", "s-1", "s-2");
    // One external uid under two datasources is two keys, also within one batch.
    create(keyedPatient("p-3", "ds-1", "a"), keyedPatient("p-4", "ds-2", "a"));

    assertThat(readable(null, "p-1", "p-2", "s-1", "s-2")).isEmpty();
    assertThatThrownBy(() -> store.resolvePatient("ds-1", UID)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void updateToATakenKeyIsRejected() {
    createDatasources();
    String holder = store.registerPatient("ds-1", UID).identifier();
    String other = store.registerPatient("ds-1", "MRN-2").identifier();
    String study = store.registerStudy(holder, "ACC-42").identifier();
    String otherStudy = store.registerStudy(holder, "ACC-43").identifier();

    assertRejected(ValidationException.class, () -> store.update(Map.of(other, change("external_uid", UID))),
        other, "external_uid", holder);
    assertRejected(ValidationException.class, () -> store.update(Map.of(otherStudy, change("external_uid", "ACC-42"))),
        otherStudy, "external_uid", study);
    assertRejected(ValidationException.class, () -> store.update(Map.of(other, change("external_uid", null))),
        other, "external_uid");
    assertRejected(ValidationException.class, () -> store.update(Map.of(other, change("datasource_id", "ds-2"))),
        other, "datasource_id");

    assertThat(readOne(other).version()).isEqualTo(1);
    assertThat(readOne(other).get("external_uid")).isEqualTo("MRN-2");
    assertThat(readOne(otherStudy).version()).isEqualTo(1);
    assertThat(store.resolvePatient("ds-1", UID)).isEqualTo(holder);
    // Changing a key to a free one is allowed, and resolving follows it.
    store.update(Map.of(other, change("external_uid", "MRN-3")));
    assertThat(store.resolvePatient("ds-1", "MRN-3")).isEqualTo(other);
    assertThatThrownBy(() -> store.resolvePatient("ds-1", "MRN-2")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void moveKeepsDatasourceIdTrueAndIsRejectedIntoATakenKey() {
    createDatasources();
    String moved = store.registerPatient("ds-1", UID).identifier();
    String holder = store.registerPatient("ds-2", "MRN-2").identifier();
    String blocked = store.registerPatient("ds-1", "MRN-2").identifier();
    Instant before = store.lastCommitTime();

    store.update(Map.of(moved, change(Fields.PARENT_IDENTIFIER, "ds-2")));

    Resource after = readOne(moved);
    assertThat(after.get("datasource_id")).isEqualTo("ds-2");
    assertThat(after.version()).isEqualTo(2);
    assertThat(readOne(moved, before).get("datasource_id")).isEqualTo("ds-1");
    assertThat(store.resolvePatient("ds-2", UID)).isEqualTo(moved);
    assertThatThrownBy(() -> store.resolvePatient("ds-1", UID)).isInstanceOf(NotFoundException.class);

    assertRejected(ValidationException.class, () -> store.update(Map.of(blocked, change(Fields.PARENT_IDENTIFIER,
        "ds-2"))), blocked, "external_uid", holder);
    assertThat(readOne(blocked).parentIdentifier()).isEqualTo("ds-1");
    assertThat(readOne(blocked).get("datasource_id")).isEqualTo("ds-1");
    assertThat(store.resolvePatient("ds-2", "MRN-2")).isEqualTo(holder);
  }

  @Test
  void restoreIntoATakenKeyIsRejected() {
    createDatasources();
    String old = store.registerPatient("ds-1", UID).identifier();
    store.delete(List.of(old));
    String renewed = store.registerPatient("ds-1", UID).identifier();

    assertRejected(ValidationException.class, () -> store.restore(List.of(old)), old, "external_uid", renewed);
    assertRejected(ValidationException.class, () -> store.update(Map.of(old, change(Fields.IS_DELETED, false))),
        old, "external_uid", renewed);

    assertThat(readable(null, old)).isEmpty();
    assertThat(store.resolvePatient("ds-1", UID)).isEqualTo(renewed);
    // Restoring with a free key in the same update is the way back.
    store.update(Map.of(old, ResourceUpdate.builder().set(Fields.IS_DELETED, false).set("external_uid", "MRN-old")
        .build()));
    assertThat(store.resolvePatient("ds-1", "MRN-old")).isEqualTo(old);
  }

  @Test
  void reCreatingATombstonedIdentifierIntoATakenKeyIsRejected() {
    createDatasources();
    create(keyedPatient("p-1", "ds-1", UID));
    store.delete(List.of("p-1"));
    create(keyedPatient("p-2", "ds-1", UID));

    assertRejected(ValidationException.class, () -> store.create(List.of(keyedPatient("p-1", "ds-1", UID))),
        "p-1", "external_uid", "p-2");

    assertThat(readable(null, "p-1")).isEmpty();
    assertThat(store.resolvePatient("ds-1", UID)).isEqualTo("p-2");
    create(keyedPatient("p-1", "ds-1", "MRN-new"));
    assertThat(readOne("p-1").version()).isEqualTo(3);
  }


  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §2.2 payload types.

  private static final String VERSION_ONE = """
      {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false}
      """;

  @Test
  void builtInTypesAreRegistered() {
    Map<String, PayloadType> types = store.payloadTypes();

    assertThat(types).containsKeys("datasource", "patient", "study", "artefact");
    assertThat(types.get("datasource").fieldNames()).containsExactly("name", "description", "site");
    assertThat(types.get("patient").parentTypes()).containsExactly("datasource");
    assertThat(types.get("study").parentTypes()).containsExactly("patient");
    assertThat(types.get("artefact").parentTypes()).isEmpty();
  }

  @Test
  void typeFromAJsonSchemaStoresEveryKindOfField() {
    registerType(PayloadType.fromJsonSchema("sample", SAMPLE_SCHEMA));
    create(NewResource.builder("sample", "s-1").set("label", "x").set("count", 3L).set("ratio", 0.25)
        .set("flag", true).set("day", LocalDate.of(2025, 2, 28))
        .set("taken_at", Instant.parse("2025-02-28T23:59:59.000001Z")).set("grade", "high")
        .set("tags", List.of("b", "a", "b")).set("sizes", List.of(3L, -1L)).build());

    assertThat(readOne("s-1").payload()).containsExactly(entry("label", "x"), entry("count", 3L),
        entry("ratio", 0.25d), entry("flag", true), entry("day", LocalDate.of(2025, 2, 28)),
        entry("taken_at", Instant.parse("2025-02-28T23:59:59.000001Z")), entry("grade", "high"),
        entry("tags", List.of("b", "a", "b")), entry("sizes", List.of(3L, -1L)));
    assertThat(store.payloadTypes()).containsKey("sample");
  }

  @Test
  void typeFromARecordStoresEveryKindOfField() {
    registerType(PayloadType.fromRecord("measurement", Measurement.class));
    create(NewResource.builder("measurement", "m-1").set("label", "bp").set("count", 2).set("value", 1.5)
        .set("valid", false).set("day", "2024-12-31").set("taken_at", "2024-12-31T23:00:00Z")
        .set("tags", List.of("x")).set("samples", List.of(10, 20)).build());

    Resource m = readOne("m-1");
    assertThat(m.payload()).containsExactly(entry("label", "bp"), entry("count", 2L), entry("value", 1.5d),
        entry("valid", false), entry("day", LocalDate.of(2024, 12, 31)),
        entry("taken_at", Instant.parse("2024-12-31T23:00:00Z")), entry("tags", List.of("x")),
        entry("samples", List.of(10L, 20L)));
  }

  @Test
  void requiredRecordComponentMustBeSet() {
    registerType(PayloadType.fromRecord("measurement", Measurement.class));

    assertRejected(ValidationException.class, () -> store.create(List.of(NewResource.builder("measurement", "m-1")
        .set("count", 1).set("value", 1.0).build())), "m-1", "valid");
  }

  @Test
  void listElementOfTheWrongTypeIsRejected() {
    registerType(PayloadType.fromJsonSchema("sample", SAMPLE_SCHEMA));

    assertRejected(ValidationException.class, () -> store.create(List.of(NewResource.builder("sample", "s-1")
        .set("label", "x").set("sizes", List.of(1, "two")).build())), "s-1", "sizes");
  }

  @Test
  void parentTypeRestrictionIsEnforced() {
    registerType(PayloadType.fromRecord("finding", Finding.class).withParentTypes("study"));
    create(datasource("ds-1"), patient("p-1", "ds-1"), study("s-1", "p-1", "uid-1"));

    create(NewResource.builder("finding", "f-ok").parent("s-1").set("summary", "fine").build());
    assertRejected(ValidationException.class, () -> store.create(List.of(
        NewResource.builder("finding", "f-bad").parent("ds-1").build())), "f-bad", "parent_identifier");
    assertRejected(ValidationException.class, () -> store.create(List.of(
        NewResource.builder("finding", "f-orphan").build())), "f-orphan", "parent_identifier");

    assertThat(readable(null, "f-ok", "f-bad", "f-orphan")).containsExactly("f-ok");
    assertThat(store.payloadTypes().get("finding").parentTypes()).containsExactly("study");
  }

  @Test
  void parentTypesNarrowOnlyWhereNoResourceStandsOrStoodUnderTheOnesDropped() {
    registerType(PayloadType.fromRecord("finding", Finding.class).withParentTypes("study", "patient"));
    registerType(PayloadType.fromRecord("remark", Finding.class).withParentTypes("study", "patient"));
    create(datasource("ds-1"), patient("p-1", "ds-1"), study("s-1", "p-1", "uid-1"),
        NewResource.builder("finding", "f-1").parent("p-1").build(),
        NewResource.builder("remark", "r-1").parent("s-1").build());

    assertRejected(ValidationException.class,
        () -> registerType(PayloadType.fromRecord("finding", Finding.class).withParentTypes("study")),
        "finding", "x-vxdata-parent-types", "patient");
    // Moved away, it still stood under a patient in the past, which reads as of then must show.
    store.update(Map.of("f-1", ResourceUpdate.builder().parent("s-1").build()));
    assertRejected(ValidationException.class,
        () -> registerType(PayloadType.fromRecord("finding", Finding.class).withParentTypes("study")),
        "finding", "patient");
    assertThat(store.payloadTypes().get("finding").parentTypes()).containsExactlyInAnyOrder("study", "patient");

    registerType(PayloadType.fromRecord("remark", Finding.class).withParentTypes("study"));
    registerType(PayloadType.fromRecord("finding", Finding.class).withParentTypes("study", "patient", "datasource"));

    assertThat(store.payloadTypes().get("remark").parentTypes()).containsExactly("study");
    assertThat(readOne("s-1").children()).contains(List.of("f-1", "r-1"));
  }

  @Test
  void reRegisteringTheSameTypeChangesNothing() {
    PayloadType type = PayloadType.fromJsonSchema("evolving", VERSION_ONE);
    registerType(type);
    create(NewResource.builder("evolving", "e-1").set("a", "x").build());

    registerType(type);

    assertThat(store.payloadTypes().get("evolving").fieldNames()).containsExactly("a");
    assertThat(readOne("e-1").payload()).containsExactly(entry("a", "x"));
  }

  @Test
  void newOptionalFieldReadsAsNullOnOldResources() {
    registerType(PayloadType.fromJsonSchema("evolving", VERSION_ONE));
    Instant before = create(NewResource.builder("evolving", "e-1").set("a", "x").build());

    registerType(PayloadType.fromJsonSchema("evolving", """
        {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
         "additionalProperties": false}
        """));
    create(NewResource.builder("evolving", "e-2").set("a", "y").set("b", 5).build());

    assertThat(readOne("e-1").payload()).containsExactly(entry("a", "x"), entry("b", null));
    assertThat(readOne("e-1", before).get("a")).isEqualTo("x");
    assertThat(readOne("e-2").get("b")).isEqualTo(5L);
    assertThat(store.payloadTypes().get("evolving").fieldNames()).containsExactly("a", "b");
  }

  static Stream<Arguments> incompatibleChanges() {
    return Stream.of(
        Arguments.of("removed field", """
            {"type": "object", "properties": {"b": {"type": "string"}}}""", "a"),
        Arguments.of("new required field", """
            {"type": "object", "properties": {"a": {"type": "string"}, "c": {"type": "string"}},
             "required": ["c"]}""", "c"),
        Arguments.of("changed field type", """
            {"type": "object", "properties": {"a": {"type": "integer"}}}""", "a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("incompatibleChanges")
  void incompatibleReRegistrationIsRejected(String change, String schema, String field) {
    registerType(PayloadType.fromJsonSchema("evolving", VERSION_ONE));
    create(NewResource.builder("evolving", "e-1").set("a", "x").build());
    PayloadType incompatible = PayloadType.fromJsonSchema("evolving", schema);

    assertThatThrownBy(() -> registerType(incompatible))
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("evolving", field);

    assertThat(store.payloadTypes().get("evolving").fieldNames()).containsExactly("a");
    assertThat(readOne("e-1").payload()).containsExactly(entry("a", "x"));
  }

  @Test
  void sqlKeywordsWorkAsTypeAndFieldNames() {
    registerType(PayloadType.fromJsonSchema("order", """
        {"type": "object", "properties": {
          "select": {"type": "string"}, "group": {"type": "integer"}, "from": {"type": "string", "format": "date"},
          "user": {"type": "boolean"}, "limit": {"type": "number"}, "where": {"type": "array", "items": {"type": "string"}},
          "table": {"type": "string", "x-vxdata-index": true}},
         "required": ["select"], "additionalProperties": false}
        """));
    Instant created = create(NewResource.builder("order", "o-1").set("select", "*").set("group", 1)
        .set("from", "2024-01-01").set("user", true).set("limit", 10).set("where", List.of("1=1"))
        .set("table", "t").build());

    store.update(Map.of("o-1", ResourceUpdate.builder().set("group", 2).clear("table").build()));

    assertThat(readOne("o-1").payload()).containsExactly(entry("select", "*"), entry("group", 2L),
        entry("from", LocalDate.of(2024, 1, 1)), entry("user", true), entry("limit", 10.0d),
        entry("where", List.of("1=1")), entry("table", null));
    assertThat(readOne("o-1", created).get("group")).isEqualTo(1L);
    assertThat(store.delete(List.of("o-1")).count()).isEqualTo(1);
  }

  @Test
  void schemasDescribeEveryTypeWithItsMetadataFields() {
    registerType(PayloadType.fromJsonSchema("sample", SAMPLE_SCHEMA));

    Map<String, String> schemas = store.schemas();

    assertThat(schemas).containsKeys("datasource", "patient", "study", "artefact", "sample");
    Map<String, PayloadType> types = store.payloadTypes();
    assertThat(schemas.keySet()).isEqualTo(types.keySet());
    schemas.forEach((name, schema) -> {
      Set<String> properties = new HashSet<>();
      json(schema).path("properties").fieldNames().forEachRemaining(properties::add);
      assertThat(properties).as("properties of schema %s", name)
          .containsAll(Fields.METADATA).containsAll(types.get(name).fieldNames());
    });
  }

  @Test
  void schemasAreValidJsonSchema202012Documents() {
    registerType(PayloadType.fromRecord("measurement", Measurement.class));
    Schema metaSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    Map<String, List<String>> problems = new LinkedHashMap<>();
    store.schemas().forEach((name, schema) -> {
      List<com.networknt.schema.Error> errors = metaSchema.validate(json(schema));
      if (!errors.isEmpty()) {
        problems.put(name, errors.stream().map(Object::toString).toList());
      }
    });

    assertThat(problems).isEmpty();
    assertThat(store.schemas()).containsKeys(BuiltInTypes.all().stream().map(PayloadType::name)
        .toArray(String[]::new));
    assertThat(json(store.schemas().get("measurement")).path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
  }
}
