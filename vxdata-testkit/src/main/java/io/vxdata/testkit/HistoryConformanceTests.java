package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.artefact;
import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.AsOf;
import io.vxdata.HistoryEntry;
import io.vxdata.HistoryPage;
import io.vxdata.HistoryRequest;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.ResourceUpdate;
import io.vxdata.ValidationException;
import io.vxdata.access.Principal;
import io.vxdata.schema.BuiltInTypes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The history of one resource (docs/behaviour.md §14.1): every version over all its lives, newest
 * first, with valid-from and valid-to times, the writer, the fields each version changed, pages by
 * cursor and reads {@code as_of}. Access rules for history are in {@link HistoryAccessConformanceTests}.
 */
public abstract class HistoryConformanceTests extends VxDataTestSupport {

  private List<HistoryEntry> all(String identifier, HistoryRequest request) {
    List<HistoryEntry> out = new ArrayList<>();
    HistoryPage page = store.history(identifier, request);
    out.addAll(page.versions());
    while (page.nextCursor() != null) {
      page = store.history(identifier, request.next(page));
      out.addAll(page.versions());
    }
    return out;
  }

  private static List<Long> versions(List<HistoryEntry> entries) {
    return entries.stream().map(HistoryEntry::version).toList();
  }

  private Instant update(String identifier, ResourceUpdate update) {
    return store.update(Map.of(identifier, update)).committedAt();
  }

  @Test
  void readAsOfEachTimeOfAnIdentifierUpdatedManyTimesGivesTheVersionThen() {
    create(datasource("ds-1"), patient("pt-1", "ds-1"), study("st-0", "pt-1", "u-0"));
    Instant created = create(study("st-1", "pt-1", "u-1"));
    List<Instant> times = new ArrayList<>(List.of(created));
    for (int i = 1; i <= 12; i++) {
      times.add(update("st-1", change("description", "revision " + i)));
    }
    create(artefact("a-1", "st-1"));

    for (int v = 0; v < times.size(); v++) {
      List<io.vxdata.Resource> read = store.read(List.of("st-0", "st-1"), io.vxdata.ReadOptions.asOf(times.get(v)))
          .value();
      assertThat(read).extracting(io.vxdata.Resource::identifier).containsExactly("st-0", "st-1");
      assertThat(read.get(1).version()).isEqualTo(v + 1L);
      assertThat(read.get(1).payload().get("description")).isEqualTo(v == 0 ? null : "revision " + v);
      assertThat(read.get(1).children()).contains(List.of());
    }
    assertThat(readOne("st-1").version()).isEqualTo(13L);
    assertThat(readOne("st-1").children()).contains(List.of("a-1"));
  }

  @Test
  void everyVersionNewestFirstWithItsTimesWriterAndChangedFields() {
    create(datasource("ds-1"), patient("pt-1", "ds-1"));
    Instant created = create(study("st-1", "pt-1", "u-1"));
    Instant modality = update("st-1", change("modality", "MR"));
    Map<String, Object> two = new HashMap<>();
    two.put("modality", null);
    two.put("description", "head");
    Instant described = update("st-1", ResourceUpdate.of(two));

    HistoryPage page = store.history("st-1");
    assertThat(page.asOf()).isEqualTo(described);
    assertThat(page.nextCursor()).isNull();
    assertThat(page.limit()).isEqualTo(100);
    List<HistoryEntry> h = page.versions();
    assertThat(versions(h)).containsExactly(3L, 2L, 1L);
    assertThat(h).extracting(HistoryEntry::validFrom).containsExactly(described, modality, created);
    assertThat(h).extracting(HistoryEntry::validTo).containsExactly(null, described, modality);
    assertThat(h).extracting(HistoryEntry::updatedBy).containsOnly(Principal.SYSTEM);
    assertThat(h.get(0).changedFields()).containsExactly("modality", "description");
    assertThat(h.get(1).changedFields()).containsExactly("modality");
    assertThat(h.get(2).changedFields()).containsExactly("parent_identifier", "access_level", "external_uid");
    assertThat(h.get(0).resource().payload()).containsEntry("description", "head").containsEntry("modality", null);
    assertThat(h.get(1).resource().payload()).containsEntry("modality", "MR").containsEntry("description", null);
    assertThat(h.get(2).resource().updatedAt()).isEqualTo(created);
    assertThat(h).allSatisfy(e -> assertThat(e.resource().children()).isEmpty());
  }

  @Test
  void anUpdateThatChangesNothingAddsNoVersion() {
    create(artefact("a-1", null));
    update("a-1", change("role", "mask"));
    update("a-1", change("role", "mask"));

    assertThat(versions(store.history("a-1").versions())).containsExactly(2L, 1L);
  }

  @Test
  void historySpansEveryLifeAcrossDeleteRestoreAndRecreation() {
    create(datasource("ds-1"));
    Instant born = create(artefact("a-1", "ds-1"));
    Instant deleted = commit(() -> store.delete(List.of("a-1")));
    Instant restored = commit(() -> store.restore(List.of("a-1")));
    Instant deletedAgain = commit(() -> store.delete(List.of("a-1")));
    Instant reborn = create(NewResource.builder(BuiltInTypes.ARTEFACT, "a-1").set("uri", "s3://b/other")
        .set("role", "mask").build());

    List<HistoryEntry> h = store.history("a-1").versions();
    assertThat(versions(h)).containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(h).extracting(HistoryEntry::isDeleted).containsExactly(false, true, false, true, false);
    assertThat(h).extracting(HistoryEntry::validFrom).containsExactly(reborn, deletedAgain, restored, deleted, born);
    assertThat(h).extracting(HistoryEntry::validTo).containsExactly(null, reborn, deletedAgain, restored, deleted);
    assertThat(h.get(0).changedFields()).containsExactly("parent_identifier", "is_deleted", "uri", "role");
    assertThat(h.get(0).resource().createdAt()).isEqualTo(reborn);
    assertThat(h.get(1).changedFields()).containsExactly("is_deleted");
    assertThat(h.get(2).changedFields()).containsExactly("is_deleted");
    assertThat(h.get(2).resource().createdAt()).isEqualTo(born);
    assertThat(h.get(3).changedFields()).containsExactly("is_deleted");
    assertThat(h.get(4).changedFields()).containsExactly("parent_identifier", "access_level", "uri");
  }

  @Test
  void aDeletedResourceHasAHistoryEndingInItsTombstoneAndACascadeIsListed() {
    create(datasource("ds-1"), patient("pt-1", "ds-1"), study("st-1", "pt-1", "u-1"));
    Instant deleted = commit(() -> store.delete(List.of("pt-1")));

    List<HistoryEntry> h = store.history("st-1").versions();
    assertThat(versions(h)).containsExactly(2L, 1L);
    assertThat(h.get(0).isDeleted()).isTrue();
    assertThat(h.get(0).validFrom()).isEqualTo(deleted);
    assertThat(h.get(0).changedFields()).containsExactly("is_deleted");
    assertThat(readable(null, "st-1")).isEmpty();
  }

  @Test
  void aRecreationUnderAnotherPayloadTypeKeepsTheEarlierLife() {
    Instant born = create(artefact("x-1", null));
    store.delete(List.of("x-1"));
    create(datasource("x-1"));

    List<HistoryEntry> h = store.history("x-1").versions();
    assertThat(versions(h)).containsExactly(3L, 2L, 1L);
    assertThat(h).extracting(e -> e.resource().payloadType())
        .containsExactly(BuiltInTypes.DATASOURCE, BuiltInTypes.ARTEFACT, BuiltInTypes.ARTEFACT);
    assertThat(h.get(0).changedFields()).containsExactly("payload_type", "is_deleted", "name", "uri");
    assertThat(h.get(2).validFrom()).isEqualTo(born);
  }

  @Test
  void readsBeforeARecreationUnderAnotherPayloadTypeDoNotHideTheNewLife() {
    create(datasource("ds-1"));
    Instant asArtefact = create(artefact("x-1", "ds-1"));
    // read first, as a store that keeps what its reads learnt would
    assertThat(readOne("x-1").payloadType()).isEqualTo(BuiltInTypes.ARTEFACT);
    assertThat(readable(null, "ds-1", "x-1")).containsExactly("ds-1", "x-1");
    commit(() -> store.delete(List.of("x-1")));
    assertThat(readable(null, "x-1")).isEmpty();

    create(datasource("x-1"), artefact("a-under", "x-1"));

    assertThat(readOne("x-1").payloadType()).isEqualTo(BuiltInTypes.DATASOURCE);
    assertThat(readOne("x-1").children()).contains(List.of("a-under"));
    assertThat(readable(null, "ds-1", "x-1", "a-under")).containsExactly("ds-1", "x-1", "a-under");
    assertThat(store.parents("a-under").value()).containsExactly("x-1");
    assertThat(readOne("x-1", asArtefact).payloadType()).isEqualTo(BuiltInTypes.ARTEFACT);
  }

  @Test
  void anIdentifierBackUnderItsFirstTypeShowsEveryLifeAndIsFoundAtEachTime() {
    create(datasource("ds-1"));
    Instant asArtefact = create(artefact("x-1", "ds-1"));
    commit(() -> store.delete(List.of("x-1")));
    Instant asDatasource = create(datasource("x-1"));
    create(artefact("a-under", "x-1"));
    commit(() -> store.delete(List.of("x-1")));
    Instant backAsArtefact = create(artefact("x-1", "ds-1"));

    List<HistoryEntry> h = all("x-1", HistoryRequest.latest().withLimit(2));
    assertThat(versions(h)).containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(h).extracting(e -> e.resource().payloadType()).containsExactly(BuiltInTypes.ARTEFACT,
        BuiltInTypes.DATASOURCE, BuiltInTypes.DATASOURCE, BuiltInTypes.ARTEFACT, BuiltInTypes.ARTEFACT);
    assertThat(h).extracting(HistoryEntry::validFrom).startsWith(backAsArtefact).endsWith(asArtefact);
    // each life is found by reads of one and of many identifiers, and by the climb to the ancestors
    Map<Instant, String> typeAt = Map.of(asArtefact, BuiltInTypes.ARTEFACT, asDatasource, BuiltInTypes.DATASOURCE,
        backAsArtefact, BuiltInTypes.ARTEFACT);
    typeAt.forEach((at, type) -> {
      List<io.vxdata.Resource> read = store.read(List.of("ds-1", "x-1"), io.vxdata.ReadOptions.asOf(at)).value();
      assertThat(read).extracting(io.vxdata.Resource::identifier).containsExactly("ds-1", "x-1");
      assertThat(read.get(1).payloadType()).isEqualTo(type);
    });
    assertThat(store.read(List.of("a-under", "x-1"), io.vxdata.ReadOptions.asOf(asDatasource)).value())
        .extracting(io.vxdata.Resource::payloadType).containsExactly(BuiltInTypes.DATASOURCE);
    assertThat(store.parents("x-1").value()).containsExactly("ds-1");
    assertThat(all("a-under", HistoryRequest.latest())).extracting(e -> e.resource().payloadType())
        .containsExactly(BuiltInTypes.ARTEFACT, BuiltInTypes.ARTEFACT);
  }

  @Test
  void aMoveListsTheParent() {
    create(datasource("ds-1"), datasource("ds-2"), artefact("a-1", "ds-1"));
    Instant moved = update("a-1", change("parent_identifier", "ds-2"));

    List<HistoryEntry> h = store.history("a-1").versions();
    assertThat(h.get(0).changedFields()).containsExactly("parent_identifier");
    assertThat(h.get(0).resource().parentIdentifier()).isEqualTo("ds-2");
    assertThat(h.get(1).resource().parentIdentifier()).isEqualTo("ds-1");
    assertThat(h.get(1).validTo()).isEqualTo(moved);
  }

  @Test
  void asOfLeavesOutLaterVersionsAndTheirTimes() {
    Instant v1 = create(artefact("a-1", null));
    Instant v2 = update("a-1", change("role", "a"));
    Instant v3 = update("a-1", change("role", "b"));

    HistoryPage atV2 = store.history("a-1", HistoryRequest.asOf(v2));
    assertThat(atV2.asOf()).isEqualTo(v2);
    assertThat(versions(atV2.versions())).containsExactly(2L, 1L);
    assertThat(atV2.versions()).extracting(HistoryEntry::validTo).containsExactly(null, v2);
    HistoryPage between = store.history("a-1", HistoryRequest.asOf(v3.minus(1, ChronoUnit.MICROS)));
    assertThat(versions(between.versions())).containsExactly(2L, 1L);
    assertThat(versions(store.history("a-1", HistoryRequest.asOf(v1)).versions())).containsExactly(1L);
    // A time after the last commit reads the last commit, and says so.
    HistoryPage future = store.history("a-1", HistoryRequest.asOf(v3.plus(1, ChronoUnit.DAYS)));
    assertThat(future.asOf()).isEqualTo(v3);
    assertThat(versions(future.versions())).containsExactly(3L, 2L, 1L);
    assertThatThrownBy(() -> store.history("a-1", HistoryRequest.asOf(v1.minus(1, ChronoUnit.MICROS))))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("a-1");
  }

  @Test
  void pagesFollowTheCursorNewestFirstAndPinTheFirstPagesTime() {
    create(artefact("a-1", null));
    for (int i = 2; i <= 7; i++) {
      update("a-1", change("size_bytes", (long) i));
    }
    List<HistoryEntry> whole = store.history("a-1").versions();

    HistoryPage first = store.history("a-1", HistoryRequest.latest().withLimit(3));
    assertThat(first.limit()).isEqualTo(3);
    assertThat(versions(first.versions())).containsExactly(7L, 6L, 5L);
    assertThat(first.nextCursor()).isNotNull();
    update("a-1", change("size_bytes", 100L));
    HistoryPage second = store.history("a-1", HistoryRequest.latest().withLimit(3).next(first));
    assertThat(second.asOf()).isEqualTo(first.asOf());
    assertThat(versions(second.versions())).containsExactly(4L, 3L, 2L);
    HistoryPage third = store.history("a-1", HistoryRequest.latest().withLimit(3).next(second));
    assertThat(versions(third.versions())).containsExactly(1L);
    assertThat(third.nextCursor()).isNull();
    List<HistoryEntry> paged = new ArrayList<>(first.versions());
    paged.addAll(second.versions());
    paged.addAll(third.versions());
    assertThat(paged).isEqualTo(whole);
    // The limit may change between pages; an exact last page has no cursor.
    assertThat(versions(all("a-1", HistoryRequest.latest().withLimit(4)))).containsExactly(8L, 7L, 6L, 5L, 4L, 3L,
        2L, 1L);
    HistoryPage exact = store.history("a-1", HistoryRequest.latest().withLimit(8));
    assertThat(exact.versions()).hasSize(8);
    assertThat(exact.nextCursor()).isNull();
  }

  @Test
  void invalidRequestsAreRefusedNamingTheProblem() {
    create(artefact("a-1", null), artefact("a-2", null));
    update("a-1", change("role", "x"));
    String cursor = store.history("a-1", HistoryRequest.latest().withLimit(1)).nextCursor();

    assertThatThrownBy(() -> store.history("a-2", HistoryRequest.latest().withCursor(cursor)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("cursor");
    // A character inside the signature: the last one may carry bits that decoding drops.
    int at = cursor.indexOf('.') + (cursor.length() - cursor.indexOf('.')) / 2;
    String tampered = cursor.substring(0, at) + (cursor.charAt(at) == 'A' ? 'B' : 'A') + cursor.substring(at + 1);
    assertThatThrownBy(() -> store.history("a-1", HistoryRequest.latest().withCursor(tampered)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("cursor");
    assertThatThrownBy(() -> store.history("a-1", HistoryRequest.latest().withLimit(0)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> store.history("a-1", HistoryRequest.latest().withLimit(1001)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> store.history("no/such", HistoryRequest.latest()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("identifier");
    assertThatThrownBy(() -> store.history("never-was")).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("never-was");
    assertThat(store.history("a-1", HistoryRequest.at(AsOf.latest())).versions()).hasSize(2);
  }
}
