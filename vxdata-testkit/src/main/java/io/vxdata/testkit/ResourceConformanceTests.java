package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.artefact;
import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.vxdata.AccessLevel;
import io.vxdata.AsOf;
import io.vxdata.Fields;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.ReadOptions;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.ValidationException;
import io.vxdata.schema.PayloadType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Creating, reading and updating resources (docs/behaviour.md §3.1–§3.3) and walking up the hierarchy (docs/behaviour.md §7
 * parents). Subclass it with a backend's {@link #newStore()}.
 */
public abstract class ResourceConformanceTests extends VxDataTestSupport {

  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §3.1 create.

  @Test
  void createReturnsTheCountAndEveryResourceIsReadable() {
    int created = store.create(List.of(datasource("ds-1"), datasource("ds-2"), artefact("a-1", null))).count();

    assertThat(created).isEqualTo(3);
    assertThat(readable(null, "ds-1", "ds-2", "a-1")).containsExactly("ds-1", "ds-2", "a-1");
  }

  @Test
  void newResourceHasVersionOneDefaultAccessLevelAndNoTombstone() {
    create(datasource("ds-1"));

    Resource ds = readOne("ds-1");
    assertThat(ds.version()).isEqualTo(1);
    assertThat(ds.accessLevel()).isEqualTo(AccessLevel.INTERNAL);
    assertThat(ds.isDeleted()).isFalse();
    assertThat(ds.license()).isNull();
    assertThat(ds.derivedFrom()).isEmpty();
    assertThat(ds.parentIdentifier()).isNull();
    assertThat(ds.payloadType()).isEqualTo("datasource");
  }

  @Test
  void createdAtAndUpdatedAtAreTheCommitTime() {
    Instant committed = create(datasource("ds-1"));

    Resource ds = readOne("ds-1");
    assertThat(ds.createdAt()).isEqualTo(committed);
    assertThat(ds.updatedAt()).isEqualTo(committed);
  }

  @Test
  void createStoresTheGivenMetadata() {
    create(datasource("src-1"), NewResource.builder("artefact", "a-1").license("CC-BY-4.0")
        .accessLevel(AccessLevel.RESTRICTED).derivedFrom("src-1").set("uri", "s3://b/a-1").build());

    Resource a = readOne("a-1");
    assertThat(a.license()).isEqualTo("CC-BY-4.0");
    assertThat(a.accessLevel()).isEqualTo(AccessLevel.RESTRICTED);
    assertThat(a.derivedFrom()).containsExactly("src-1");
  }

  @Test
  void looselyGivenValuesAreReadBackCanonical() {
    registerType(PayloadType.fromJsonSchema("sample", SAMPLE_SCHEMA));
    create(NewResource.builder("sample", "s-1").set("label", "x").set("count", 7).set("ratio", 2)
        .set("day", "2024-01-02").set("taken_at", "2024-01-02T03:04:05.123456789+02:00")
        .set("sizes", List.of(1, 2)).build());

    Resource s = readOne("s-1");
    assertThat(s.get("count")).isEqualTo(7L);
    assertThat(s.get("ratio")).isEqualTo(2.0d);
    assertThat(s.get("day")).isEqualTo(LocalDate.of(2024, 1, 2));
    assertThat(s.get("taken_at")).isEqualTo(Instant.parse("2024-01-02T01:04:05.123456Z"));
    assertThat(s.get("sizes")).isEqualTo(List.of(1L, 2L));
  }

  @Test
  void dateTimeValuesAreTruncatedToMicroseconds() {
    registerType(PayloadType.fromJsonSchema("sample", SAMPLE_SCHEMA));
    create(NewResource.builder("sample", "s-1").set("label", "x")
        .set("taken_at", Instant.parse("2030-06-07T08:09:10.987654321Z")).build());

    assertThat(readOne("s-1").get("taken_at")).isEqualTo(Instant.parse("2030-06-07T08:09:10.987654Z"));
  }

  @Test
  void unsetOptionalFieldsReadBackAsNullInSchemaOrder() {
    create(datasource("ds-1"));

    assertThat(readOne("ds-1").payload())
        .containsExactly(entry("name", "Datasource ds-1"), entry("description", null), entry("site", null));
  }

  @Test
  void parentsAndLineageMayBeEarlierItemsOfTheSameBatch() {
    create(datasource("ds-1"), patient("p-1", "ds-1"), study("s-1", "p-1", "uid-1"),
        NewResource.builder("artefact", "a-1").parent("s-1").derivedFrom("s-1", "p-1").build());

    assertThat(readOne("s-1").parentIdentifier()).isEqualTo("p-1");
    assertThat(readOne("a-1").derivedFrom()).containsExactly("s-1", "p-1");
  }

  @Test
  void lineageMayNameADeletedResource() {
    create(artefact("old", null));
    store.delete(List.of("old"));

    create(NewResource.builder("artefact", "new").derivedFrom("old").build());

    assertThat(readOne("new").derivedFrom()).containsExactly("old");
  }

  static Stream<Arguments> invalidItems() {
    return Stream.of(
        Arguments.of("unknown payload type", NewResource.builder("no_such_type", "bad-1").build(),
            List.of("bad-1", "payload_type")),
        Arguments.of("unknown field", NewResource.builder("datasource", "bad-1").set("name", "n")
            .set("colour", "red").build(), List.of("bad-1", "colour")),
        Arguments.of("metadata name as payload field", NewResource.builder("datasource", "bad-1")
            .set("name", "n").set("version", 5).build(), List.of("bad-1", "version")),
        Arguments.of("wrong value type", NewResource.builder("patient", "bad-1").parent("ds-1")
            .set("birth_year", "nineteen-eighty").build(), List.of("bad-1", "birth_year")),
        Arguments.of("value outside its enum", NewResource.builder("patient", "bad-1").parent("ds-1")
            .set("sex", "X").build(), List.of("bad-1", "sex")),
        Arguments.of("missing required field", NewResource.builder("datasource", "bad-1").build(),
            List.of("bad-1", "name")),
        Arguments.of("malformed identifier", datasource("bad id!"), List.of("bad id!")),
        Arguments.of("identifier repeated in the batch", datasource("ds-new"), List.of("ds-new")),
        Arguments.of("identifier already active", datasource("ds-1"), List.of("ds-1")),
        Arguments.of("parent missing", patient("bad-1", "no-such-ds"), List.of("bad-1", "parent_identifier")),
        Arguments.of("parent deleted", patient("bad-1", "ds-gone"), List.of("bad-1", "parent_identifier")),
        Arguments.of("parent of a disallowed type", study("bad-1", "ds-1", "uid-1"),
            List.of("bad-1", "parent_identifier")),
        Arguments.of("required parent absent", patient("bad-1", null), List.of("bad-1", "parent_identifier")),
        Arguments.of("a parent for a root type", NewResource.builder("datasource", "bad-1").set("name", "n")
            .parent("ds-1").build(), List.of("bad-1", "parent_identifier", "root")),
        Arguments.of("lineage naming a never-existing resource", NewResource.builder("artefact", "bad-1")
            .derivedFrom("never-existed").build(), List.of("bad-1", "derived_from")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidItems")
  void batchWithAnInvalidItemIsRejectedWhole(String problem, NewResource invalid, List<String> mentioned) {
    create(datasource("ds-1"), datasource("ds-gone"));
    store.delete(List.of("ds-gone"));
    // The invalid item comes last, so a store writing item by item would already have written the others.
    List<NewResource> batch = List.of(datasource("ds-new"), patient("p-new", "ds-new"), invalid);

    assertRejected(ValidationException.class, () -> store.create(batch), mentioned.toArray(String[]::new));

    assertThat(readable(null, "ds-new", "p-new")).isEmpty();
    assertThat(readOne("ds-1").version()).isEqualTo(1);
    assertThat(childrenOf("ds-1", null)).isEmpty();
  }


  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §3.2 read.

  @Test
  void readReturnsResourcesInInputOrder() {
    create(datasource("ds-a"), datasource("ds-b"), datasource("ds-c"));

    assertThat(readable(null, "ds-c", "ds-a", "ds-b")).containsExactly("ds-c", "ds-a", "ds-b");
  }

  @Test
  void readSkipsMissingAndDeletedIdentifiers() {
    create(datasource("ds-a"), datasource("ds-gone"), datasource("ds-b"));
    store.delete(List.of("ds-gone"));

    assertThat(readable(null, "ds-a", "missing", "ds-gone", "ds-b")).containsExactly("ds-a", "ds-b");
  }

  @Test
  void readReturnsARepeatedIdentifierOnceAtItsFirstPosition() {
    create(datasource("ds-a"), datasource("ds-b"));

    assertThat(readable(null, "ds-b", "ds-a", "ds-b", "ds-a")).containsExactly("ds-b", "ds-a");
  }

  @Test
  void readOfNoIdentifiersReturnsNothing() {
    create(datasource("ds-a"));

    assertThat(store.read(List.of()).value()).isEmpty();
  }

  @Test
  void childrenAreTheActiveDirectChildrenSorted() {
    create(datasource("ds-1"), patient("p-b", "ds-1"), patient("p-c", "ds-1"), patient("p-a", "ds-1"),
        study("s-1", "p-a", "uid-1"));
    store.delete(List.of("p-c"));

    assertThat(childrenOf("ds-1", null)).containsExactly("p-a", "p-b");
    assertThat(childrenOf("s-1", null)).isEmpty();
  }

  @Test
  void childrenAreSortedByCodePoint() {
    create(artefact("root", null), artefact("c1", "root"), artefact("c.z", "root"), artefact("c-a", "root"),
        artefact("c-B", "root"), artefact("C0", "root"));

    assertThat(childrenOf("root", null)).containsExactly("C0", "c-B", "c-a", "c.z", "c1");
  }

  /** A type allowed under studies and patients, so that a patient's children come from three types' tables. */
  private static final String NOTE_SCHEMA = """
      {"type": "object", "properties": {"text": {"type": "string"}}, "additionalProperties": false,
       "x-vxdata-parent-types": ["study", "patient"]}
      """;

  @Test
  void childrenComeFromEveryTypeAllowedUnderTheParentNowAndInThePast() {
    registerType(PayloadType.fromJsonSchema("note", NOTE_SCHEMA));
    create(datasource("ds-1"), patient("p-1", "ds-1"), patient("p-2", "ds-1"), study("s-1", "p-1", "uid-1"),
        artefact("a-p", "p-1"), artefact("a-s", "s-1"), artefact("a-ds", "ds-1"),
        NewResource.builder("note", "n-p").parent("p-1").build(),
        NewResource.builder("note", "n-s").parent("s-1").build());
    Instant before = store.lastCommitTime();
    create(NewResource.builder("note", "n-p2").parent("p-1").build(), study("s-2", "p-2", "uid-2"));

    Map<String, List<String>> now = childrenByParent(null, "s-1", "p-1", "ds-1", "p-2", "a-p");
    assertThat(now).containsExactly(entry("s-1", List.of("a-s", "n-s")),
        entry("p-1", List.of("a-p", "n-p", "n-p2", "s-1")), entry("ds-1", List.of("a-ds", "p-1", "p-2")),
        entry("p-2", List.of("s-2")), entry("a-p", List.of()));
    assertThat(childrenByParent(before, "p-2", "p-1", "s-1")).containsExactly(entry("p-2", List.of()),
        entry("p-1", List.of("a-p", "n-p", "s-1")), entry("s-1", List.of("a-s", "n-s")));
  }

  private Map<String, List<String>> childrenByParent(Instant asOf, String... identifiers) {
    Map<String, List<String>> children = new LinkedHashMap<>();
    ReadOptions options = asOf == null ? ReadOptions.latest() : ReadOptions.asOf(asOf);
    store.read(List.of(identifiers), options).value()
        .forEach(r -> children.put(r.identifier(), r.children().orElseThrow()));
    return children;
  }

  @Test
  void readOfIdentifiersOfSeveralTypesKeepsTheirOrderWhateverTypeComesFirst() {
    create(datasource("ds-1"), patient("p-1", "ds-1"), patient("p-2", "ds-1"), study("s-1", "p-1", "uid-1"),
        artefact("a-1", "s-1"), datasource("ds-gone"));
    store.delete(List.of("ds-gone"));

    assertThat(readable(null, "p-1", "s-1", "missing", "ds-1", "p-2", "a-1"))
        .containsExactly("p-1", "s-1", "ds-1", "p-2", "a-1");
    assertThat(readable(null, "missing", "a-1", "p-2", "ds-1")).containsExactly("a-1", "p-2", "ds-1");
    assertThat(readable(null, "ds-gone", "s-1", "ds-1")).containsExactly("s-1", "ds-1");
  }

  @Test
  void readWithoutChildrenLeavesTheChildrenListOut() {
    create(datasource("ds-1"), patient("p-1", "ds-1"));

    List<Resource> read = store.read(List.of("ds-1"), ReadOptions.latest().withoutChildren()).value();

    assertThat(read).singleElement().satisfies(ds -> assertThat(ds.children()).isEmpty());
  }

  @Test
  void readOfAMalformedIdentifierIsRejected() {
    create(datasource("ds-1"));

    assertThatThrownBy(() -> store.read(List.of("ds-1", "bad id!")).value())
        .isInstanceOf(ValidationException.class).hasMessageContaining("bad id!");
  }


  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §3.3 update.

  private void createClinic() {
    create(NewResource.builder("datasource", "ds-1").license("MIT").set("name", "Clinic")
        .set("description", "first").set("site", "Ghent").build());
  }

  @Test
  void updateChangesOnlyTheProvidedFieldsAndWritesAVersion() {
    createClinic();
    Instant created = readOne("ds-1").createdAt();

    int updated = store.update(Map.of("ds-1", change("description", "second"))).count();

    Resource ds = readOne("ds-1");
    assertThat(updated).isEqualTo(1);
    assertThat(ds.payload()).containsExactly(entry("name", "Clinic"), entry("description", "second"),
        entry("site", "Ghent"));
    assertThat(ds.license()).isEqualTo("MIT");
    assertThat(ds.version()).isEqualTo(2);
    assertThat(ds.createdAt()).isEqualTo(created);
    assertThat(ds.updatedAt()).isEqualTo(store.lastCommitTime()).isAfter(created);
  }

  @Test
  void explicitNullClearsNullableFields() {
    createClinic();
    store.update(Map.of("ds-1", ResourceUpdate.builder().clear("description").clear(Fields.LICENSE).build()));

    Resource ds = readOne("ds-1");
    assertThat(ds.get("description")).isNull();
    assertThat(ds.payload()).containsKey("description");
    assertThat(ds.license()).isNull();
    assertThat(ds.get("site")).isEqualTo("Ghent");
  }

  @Test
  void updateChangesTheAccessLevel() {
    createClinic();
    store.update(Map.of("ds-1", ResourceUpdate.builder().accessLevel(AccessLevel.CONFIDENTIAL).build()));

    assertThat(readOne("ds-1").accessLevel()).isEqualTo(AccessLevel.CONFIDENTIAL);
  }

  @Test
  void clearingARequiredFieldIsRejected() {
    createClinic();
    assertRejected(ValidationException.class,
        () -> store.update(Map.of("ds-1", ResourceUpdate.builder().clear("name").build())), "ds-1", "name");

    assertThat(readOne("ds-1").get("name")).isEqualTo("Clinic");
  }

  @Test
  void updateOfAnUnknownFieldIsRejected() {
    createClinic();
    assertRejected(ValidationException.class, () -> store.update(Map.of("ds-1", change("colour", "red"))),
        "ds-1", "colour");
  }

  @Test
  void updateWithAWrongValueTypeIsRejected() {
    createClinic();
    create(patient("p-1", "ds-1"));

    assertRejected(ValidationException.class, () -> store.update(Map.of("p-1", change("birth_year", "old"))),
        "p-1", "birth_year");
  }

  @Test
  void updateReplacesDerivedFrom() {
    createClinic();
    create(artefact("a-1", null), artefact("a-2", null), artefact("a-3", null),
        NewResource.builder("artefact", "out").derivedFrom("a-1", "a-2").build());

    store.update(Map.of("out", ResourceUpdate.builder().derivedFrom(List.of("a-3")).build()));

    assertThat(readOne("out").derivedFrom()).containsExactly("a-3");
  }

  @Test
  void updateOfDerivedFromNamingANeverExistingResourceIsRejected() {
    createClinic();
    assertRejected(ValidationException.class,
        () -> store.update(Map.of("ds-1", ResourceUpdate.builder().derivedFrom(List.of("never-was")).build())),
        "ds-1", "derived_from");
  }

  @Test
  void updateThatChangesNothingWritesNoVersionAndIsNotCounted() {
    createClinic();
    Instant before = store.lastCommitTime();

    int updated = store.update(Map.of("ds-1", ResourceUpdate.builder().set("name", "Clinic").license("MIT").build()))
        .count();

    assertThat(updated).isZero();
    assertThat(readOne("ds-1").version()).isEqualTo(1);
    assertThat(store.lastCommitTime()).isEqualTo(before);
  }

  @Test
  void updateCountsOnlyResourcesThatChanged() {
    createClinic();
    create(datasource("ds-2"));

    int updated = store.update(Map.of("ds-1", change("site", "Ghent"), "ds-2", change("site", "Leuven"))).count();

    assertThat(updated).isEqualTo(1);
    assertThat(readOne("ds-1").version()).isEqualTo(1);
    assertThat(readOne("ds-2").version()).isEqualTo(2);
  }

  @Test
  void updateOfAnUnknownIdentifierIsNotFoundAndWritesNothing() {
    createClinic();
    Map<String, ResourceUpdate> updates = new LinkedHashMap<>();
    updates.put("ds-1", change("site", "Leuven"));
    updates.put("no-such-ds", change("site", "Leuven"));

    assertRejected(NotFoundException.class, () -> store.update(updates), "no-such-ds");

    assertThat(readOne("ds-1").get("site")).isEqualTo("Ghent");
    assertThat(readOne("ds-1").version()).isEqualTo(1);
  }

  @Test
  void updateOfADeletedResourceIsNotFound() {
    createClinic();
    create(datasource("ds-2"));
    store.delete(List.of("ds-2"));

    assertRejected(NotFoundException.class, () -> store.update(Map.of("ds-2", change("site", "Leuven"))), "ds-2");
  }

  @Test
  void changingThePayloadTypeIsRejected() {
    createClinic();
    assertRejected(ValidationException.class,
        () -> store.update(Map.of("ds-1", change(Fields.PAYLOAD_TYPE, "artefact"))), "ds-1", "payload_type");

    assertThat(readOne("ds-1").payloadType()).isEqualTo("datasource");
  }

  @Test
  void changingTheIdentifierIsRejected() {
    createClinic();
    assertRejected(ValidationException.class,
        () -> store.update(Map.of("ds-1", change(Fields.IDENTIFIER, "ds-renamed"))), "ds-1");

    assertThat(readable(null, "ds-1", "ds-renamed")).containsExactly("ds-1");
  }

  @Test
  void isDeletedTrueDeletesTheSubtreeAndCountsIt() {
    createClinic();
    create(patient("p-1", "ds-1"), study("s-1", "p-1", "uid-1"));

    int updated = store.update(Map.of("ds-1", ResourceUpdate.builder().deleted(true).build())).count();

    assertThat(updated).isEqualTo(3);
    assertThat(readable(null, "ds-1", "p-1", "s-1")).isEmpty();
  }

  @Test
  void isDeletedFalseRestoresTheSubtreeAndCountsIt() {
    createClinic();
    create(patient("p-1", "ds-1"), study("s-1", "p-1", "uid-1"));
    store.delete(List.of("ds-1"));

    int updated = store.update(Map.of("ds-1", ResourceUpdate.builder().deleted(false).build())).count();

    assertThat(updated).isEqualTo(3);
    assertThat(readable(null, "ds-1", "p-1", "s-1")).containsExactly("ds-1", "p-1", "s-1");
  }

  @Test
  void movingToAnotherParentUpdatesBothChildrenLists() {
    createClinic();
    create(datasource("ds-2"), patient("p-1", "ds-1"));
    Instant beforeMove = store.lastCommitTime();

    int updated = store.update(Map.of("p-1", ResourceUpdate.builder().parent("ds-2").build())).count();

    assertThat(updated).isEqualTo(1);
    assertThat(readOne("p-1").parentIdentifier()).isEqualTo("ds-2");
    assertThat(childrenOf("ds-1", null)).isEmpty();
    assertThat(childrenOf("ds-2", null)).containsExactly("p-1");
    assertThat(readOne("p-1", beforeMove).parentIdentifier()).isEqualTo("ds-1");
    assertThat(childrenOf("ds-1", beforeMove)).containsExactly("p-1");
    assertThat(childrenOf("ds-2", beforeMove)).isEmpty();
  }

  @Test
  void movingUnderAParentOfADisallowedTypeIsRejected() {
    createClinic();
    create(patient("p-1", "ds-1"), patient("p-2", "ds-1"));

    assertRejected(ValidationException.class,
        () -> store.update(Map.of("p-1", ResourceUpdate.builder().parent("p-2").build())), "p-1",
        "parent_identifier");
  }

  @Test
  void aRootTypeCannotBeMovedUnderAParent() {
    createClinic();
    create(datasource("ds-2"));

    assertRejected(ValidationException.class,
        () -> store.update(Map.of("ds-2", ResourceUpdate.builder().parent("ds-1").build())), "ds-2",
        "parent_identifier", "root");
  }

  @Test
  void movingUnderAMissingParentIsRejected() {
    createClinic();
    create(patient("p-1", "ds-1"));

    assertRejected(ValidationException.class,
        () -> store.update(Map.of("p-1", ResourceUpdate.builder().parent("no-such-ds").build())), "p-1",
        "parent_identifier");
  }

  @Test
  void movingUnderItsOwnDescendantIsRejected() {
    createClinic();
    create(artefact("a-1", null), artefact("a-2", "a-1"), artefact("a-3", "a-2"));

    assertRejected(ValidationException.class,
        () -> store.update(Map.of("a-1", ResourceUpdate.builder().parent("a-3").build())), "a-1");

    assertThat(store.parents("a-3").value()).containsExactly("a-2", "a-1");
  }


  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §7 parents.

  private void createLineage() {
    create(datasource("ds-1"), patient("p-1", "ds-1"), study("s-1", "p-1", "uid-1"), artefact("a-1", "s-1"));
  }

  @Test
  void parentsListsAncestorsNearestFirst() {
    createLineage();
    assertThat(store.parents("a-1").value()).containsExactly("s-1", "p-1", "ds-1");
  }

  @Test
  void parentsOfARootIsEmpty() {
    createLineage();
    assertThat(store.parents("ds-1").value()).isEmpty();
  }

  @Test
  void parentsOfAnUnknownIdentifierIsNotFound() {
    createLineage();
    assertThatThrownBy(() -> store.parents("no-such-id").value())
        .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-id");
  }

  @Test
  void parentsOfADeletedResourceIsNotFound() {
    createLineage();
    store.delete(List.of("s-1"));

    assertThatThrownBy(() -> store.parents("a-1").value())
        .isInstanceOf(NotFoundException.class).hasMessageContaining("a-1");
  }

  @Test
  void parentsAsOfAPastTimeFollowThatTimesTree() {
    createLineage();
    Instant before = create(datasource("ds-2"), patient("p-2", "ds-2"));
    store.update(Map.of("s-1", ResourceUpdate.builder().parent("p-2").build()));

    assertThat(store.parents("a-1", AsOf.at(before)).value()).containsExactly("s-1", "p-1", "ds-1");
    assertThat(store.parents("a-1").value()).containsExactly("s-1", "p-2", "ds-2");
  }

  @Test
  void parentsAsOfBeforeCreationIsNotFound() {
    createLineage();
    Instant before = store.lastCommitTime();
    create(artefact("a-2", "a-1"));

    assertThatThrownBy(() -> store.parents("a-2", AsOf.at(before)))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("a-2");
  }
}
