package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.artefact;
import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.AccessLevel;
import io.vxdata.HistoryEntry;
import io.vxdata.HistoryRequest;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.VxData;
import io.vxdata.access.Grant;
import io.vxdata.access.Principal;
import io.vxdata.access.Role;
import io.vxdata.schema.BuiltInTypes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * History and deleted resources under access control (docs/behaviour.md §14.1, §14.3 with §13.2,
 * §13.3): an identifier the caller cannot see is not found exactly like a missing one, and each
 * version is checked on its own, so versions written under another datasource or above the caller's
 * clearance are left out, and so is what they changed; a query with {@code include_deleted} returns
 * only the tombstones the caller may see. Runs on backends with principals ({@link VxData#as}).
 */
public abstract class HistoryAccessConformanceTests extends VxDataTestSupport {

  private VxData principal(String id, AccessLevel clearance, String... viewerOf) {
    store.access().createPrincipal(Principal.of(id, "Principal " + id, clearance));
    for (String datasource : viewerOf) {
      store.access().grant(new Grant(datasource, id, Role.VIEWER));
    }
    return store.as(id);
  }

  private static List<Long> versions(List<HistoryEntry> entries) {
    return entries.stream().map(HistoryEntry::version).toList();
  }

  @Test
  void anInvisibleIdentifierIsNotFoundLikeAMissingOne() {
    create(datasource("ds-a"), datasource("ds-b"));
    create(artefact("a-b", "ds-b"), artefact("a-free", null));
    VxData alice = principal("alice", AccessLevel.RESTRICTED, "ds-a");

    for (String id : List.of("a-b", "a-free", "ds-b", "never-was")) {
      assertThatThrownBy(() -> alice.history(id)).as(id).isInstanceOf(NotFoundException.class)
          .hasMessage(errorFor(id));
    }
    assertThat(versions(alice.history("ds-a").versions())).containsExactly(1L);
  }

  /** The message of the not found error for {@code identifier}, as the system handle gets it for a missing one. */
  private String errorFor(String identifier) {
    Instant at = store.lastCommitTime();
    try {
      store.history("missing-" + identifier, HistoryRequest.asOf(at));
      throw new AssertionError("missing identifier found");
    } catch (NotFoundException e) {
      return e.getMessage().replace("missing-" + identifier, identifier);
    }
  }

  @Test
  void versionsWrittenUnderAnotherDatasourceAreLeftOut() {
    create(datasource("ds-a"), datasource("ds-b"));
    create(artefact("a-1", "ds-a"));
    store.update(Map.of("a-1", change("role", "raw")));
    Instant moved = store.update(Map.of("a-1", change("parent_identifier", "ds-b"))).committedAt();
    store.update(Map.of("a-1", change("role", "mask")));
    VxData onA = principal("on-a", AccessLevel.RESTRICTED, "ds-a");
    VxData onB = principal("on-b", AccessLevel.RESTRICTED, "ds-b");
    VxData both = principal("both", AccessLevel.RESTRICTED, "ds-a", "ds-b");

    List<HistoryEntry> seenOnB = onB.history("a-1").versions();
    assertThat(versions(seenOnB)).containsExactly(4L, 3L);
    assertThat(seenOnB.get(0).changedFields()).containsExactly("role");
    // The move's predecessor lies under ds-a: the move lists what it sets, not what it changed.
    assertThat(seenOnB.get(1).changedFields()).containsExactly("parent_identifier", "access_level", "uri", "role");
    List<HistoryEntry> seenOnA = onA.history("a-1").versions();
    assertThat(versions(seenOnA)).containsExactly(2L, 1L);
    assertThat(seenOnA.get(0).validTo()).isEqualTo(moved);
    assertThat(seenOnA.get(0).changedFields()).containsExactly("role");
    assertThat(versions(both.history("a-1").versions())).containsExactly(4L, 3L, 2L, 1L);
    assertThat(both.history("a-1").versions().get(1).changedFields()).containsExactly("parent_identifier");
    // Pages count only what the caller sees.
    var page = onB.history("a-1", HistoryRequest.latest().withLimit(1));
    assertThat(versions(page.versions())).containsExactly(4L);
    assertThat(versions(onB.history("a-1", HistoryRequest.latest().withLimit(1).next(page)).versions()))
        .containsExactly(3L);
  }

  @Test
  void versionsAboveTheCallersClearanceAreLeftOut() {
    create(datasource("ds-a"));
    create(NewResource.builder(BuiltInTypes.ARTEFACT, "a-1").parent("ds-a").set("uri", "s3://b/a").build());
    store.update(Map.of("a-1", change("access_level", "restricted")));
    store.update(Map.of("a-1", change("role", "secret")));
    store.update(Map.of("a-1", change("access_level", "internal")));
    VxData low = principal("low", AccessLevel.INTERNAL, "ds-a");
    VxData high = principal("high", AccessLevel.RESTRICTED, "ds-a");

    List<HistoryEntry> seen = low.history("a-1").versions();
    assertThat(versions(seen)).containsExactly(4L, 1L);
    assertThat(seen.get(0).changedFields()).containsExactly("parent_identifier", "access_level", "uri", "role");
    assertThat(versions(high.history("a-1").versions())).containsExactly(4L, 3L, 2L, 1L);
    assertThat(high.history("a-1").versions().get(0).changedFields()).containsExactly("access_level");
  }

  @Test
  void adminsSeeEveryVersionAndARevokedGrantHidesTheWholeHistory() {
    create(datasource("ds-a"));
    create(artefact("a-1", "ds-a"), artefact("a-free", null));
    Instant before = store.lastCommitTime();
    store.access().createPrincipal(new Principal("root", "Root", true, AccessLevel.PUBLIC, false));
    VxData root = store.as("root");
    VxData viewer = principal("viewer", AccessLevel.INTERNAL, "ds-a");

    assertThat(versions(root.history("a-free").versions())).containsExactly(1L);
    assertThat(versions(viewer.history("a-1", HistoryRequest.asOf(before)).versions())).containsExactly(1L);
    store.access().revokeGrant("ds-a", "viewer");
    assertThatThrownBy(() -> viewer.history("a-1", HistoryRequest.asOf(before))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void includeDeletedReturnsOnlyTheTombstonesTheCallerMaySee() {
    create(datasource("ds-a"), datasource("ds-b"));
    Instant since = create(artefact("a-a", "ds-a"), artefact("a-b", "ds-b"),
        NewResource.builder(BuiltInTypes.ARTEFACT, "a-secret").parent("ds-a").set("uri", "s3://b/s")
            .accessLevel(AccessLevel.RESTRICTED).build());
    store.delete(List.of("a-a", "a-b", "a-secret"));
    VxData viewer = principal("viewer", AccessLevel.INTERNAL, "ds-a");

    io.vxdata.query.QueryRequest deleted = io.vxdata.query.QueryRequest.of(BuiltInTypes.ARTEFACT)
        .includeDeleted(true).updatedSince(since).build();
    assertThat(viewer.query(deleted).results()).extracting(io.vxdata.Resource::identifier).containsExactly("a-a");
    assertThat(viewer.count(deleted).value()).isEqualTo(1);
    assertThat(store.count(deleted).value()).isEqualTo(3);
  }
}
