package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.Cascade;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.Resource;
import io.vxdata.ValidationException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Deleting, restoring and re-creating resources (docs/behaviour.md §3.1, §3.4, §3.5). Subclass it with a
 * backend's {@link #newStore()}.
 */
public abstract class LifecycleConformanceTests extends VxDataTestSupport {

  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §3.4 delete.

  private void createFamily() {
    create(datasource("ds-1"), patient("p-1", "ds-1"), study("s-1", "p-1", "uid-1"), patient("p-2", "ds-1"),
        datasource("ds-other"));
  }

  @Test
  void deleteCascadesToAndCountsTheWholeActiveSubtree() {
    createFamily();
    int deleted = store.delete(List.of("ds-1")).count();

    assertThat(deleted).isEqualTo(4);
    assertThat(readable(null, "ds-1", "p-1", "s-1", "p-2", "ds-other")).containsExactly("ds-other");
  }

  @Test
  void deleteOfAResourceAndItsDescendantCountsThemOnce() {
    createFamily();
    assertThat(store.delete(List.of("p-1", "ds-1")).count()).isEqualTo(4);
  }

  @Test
  void deletedResourceVanishesFromItsParentsChildren() {
    createFamily();
    store.delete(List.of("p-1"));

    assertThat(readable(null, "p-1", "s-1")).isEmpty();
    assertThat(childrenOf("ds-1", null)).containsExactly("p-2");
  }

  @Test
  void deleteWritesATombstoneVersion() {
    createFamily();
    Instant deletedAt = commit(() -> store.delete(List.of("p-2")));

    assertThat(deletedAt).isAfter(readOne("ds-1").createdAt());
    assertThat(readOne("p-2", deletedAt.minus(1, ChronoUnit.MICROS)).version()).isEqualTo(1);
    store.restore(List.of("p-2"));
    assertThat(readOne("p-2").version()).isEqualTo(3);
  }

  @Test
  void deleteRestrictWithActiveChildrenIsRejectedAndWritesNothing() {
    createFamily();
    assertRejected(ValidationException.class, () -> store.delete(List.of("ds-other", "p-1"), Cascade.RESTRICT),
        "p-1");

    assertThat(readable(null, "ds-other", "p-1", "s-1")).containsExactly("ds-other", "p-1", "s-1");
  }

  @Test
  void deleteRestrictDeletesAResourceWhoseChildrenAreAllDeleted() {
    createFamily();
    store.delete(List.of("s-1"));

    assertThat(store.delete(List.of("p-1"), Cascade.RESTRICT).count()).isEqualTo(1);
    assertThat(readable(null, "p-1")).isEmpty();
  }

  @Test
  void deleteOfAnUnknownIdentifierIsNotFoundAndWritesNothing() {
    createFamily();
    assertRejected(NotFoundException.class, () -> store.delete(List.of("p-2", "no-such-id")), "no-such-id");

    assertThat(readable(null, "p-2")).containsExactly("p-2");
  }

  @Test
  void deleteDoesNotCountAlreadyDeletedResources() {
    createFamily();
    store.delete(List.of("p-1"));

    assertThat(store.delete(List.of("p-1", "p-2")).count()).isEqualTo(1);
    assertThat(store.delete(List.of("p-1")).count()).isZero();
  }

  @Test
  void deleteOfAMalformedIdentifierIsRejected() {
    createFamily();
    assertRejected(ValidationException.class, () -> store.delete(List.of("p-1", "bad id!")), "bad id!");
  }


  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §3.5 restore.


  @Test
  void restoreBringsBackAndCountsTheSubtreeTheSameDeleteRemoved() {
    createFamily();
    store.delete(List.of("ds-1"));

    int restored = store.restore(List.of("ds-1")).count();

    assertThat(restored).isEqualTo(4);
    assertThat(readable(null, "ds-1", "p-1", "s-1", "p-2")).containsExactly("ds-1", "p-1", "s-1", "p-2");
    assertThat(childrenOf("ds-1", null)).containsExactly("p-1", "p-2");
    assertThat(childrenOf("p-1", null)).containsExactly("s-1");
  }

  @Test
  void restoreLeavesAChildDeletedEarlierInAnotherCallDeleted() {
    createFamily();
    store.delete(List.of("p-2"));
    store.delete(List.of("ds-1"));

    int restored = store.restore(List.of("ds-1")).count();

    assertThat(restored).isEqualTo(3);
    assertThat(readable(null, "ds-1", "p-1", "s-1", "p-2")).containsExactly("ds-1", "p-1", "s-1");
    assertThat(childrenOf("ds-1", null)).containsExactly("p-1");
  }

  @Test
  void restoreOfAChildAndParentDeletedSeparatelyWorksInOneCall() {
    createFamily();
    store.delete(List.of("p-1"));
    store.delete(List.of("ds-1"));

    int restored = store.restore(List.of("p-1", "ds-1")).count();

    assertThat(restored).isEqualTo(4);
    assertThat(readable(null, "ds-1", "p-1", "s-1", "p-2")).containsExactly("ds-1", "p-1", "s-1", "p-2");
  }

  @Test
  void restoringUnderADeletedParentIsRejected() {
    createFamily();
    store.delete(List.of("ds-1"));

    assertRejected(ValidationException.class, () -> store.restore(List.of("p-1")), "p-1");

    assertThat(readable(null, "p-1", "s-1")).isEmpty();
  }

  @Test
  void restoreDoesNotCountActiveResources() {
    createFamily();
    store.delete(List.of("p-2"));

    assertThat(store.restore(List.of("p-1", "p-2")).count()).isEqualTo(1);
    assertThat(readable(null, "p-1", "p-2")).containsExactly("p-1", "p-2");
  }

  @Test
  void restoreOfAnUnknownIdentifierIsNotFoundAndWritesNothing() {
    createFamily();
    store.delete(List.of("p-2"));

    assertRejected(NotFoundException.class, () -> store.restore(List.of("p-2", "no-such-id")), "no-such-id");

    assertThat(readable(null, "p-2")).isEmpty();
  }

  @Test
  void restoreWritesAVersionKeepingCreatedAt() {
    createFamily();
    Instant created = readOne("p-2").createdAt();
    store.delete(List.of("p-2"));

    Instant restoredAt = commit(() -> store.restore(List.of("p-2")));

    Resource p = readOne("p-2");
    assertThat(p.version()).isEqualTo(3);
    assertThat(p.createdAt()).isEqualTo(created);
    assertThat(p.updatedAt()).isEqualTo(restoredAt);
  }


  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §3.1: an identifier that exists only as a tombstone may be created again.

  @Test
  void recreationStartsANewLifeAndVersionsKeepCounting() {
    Instant firstLife = create(datasource("ds-1"));
    store.delete(List.of("ds-1"));

    Instant secondLife = create(NewResource.builder("datasource", "ds-1").set("name", "Reborn").build());

    Resource ds = readOne("ds-1");
    assertThat(ds.version()).isEqualTo(3);
    assertThat(ds.get("name")).isEqualTo("Reborn");
    assertThat(ds.createdAt()).isEqualTo(secondLife).isAfter(firstLife);
    assertThat(ds.updatedAt()).isEqualTo(secondLife);
  }

  @Test
  void recreationKeepsTheOldLifeReadableAsOfItsTime() {
    Instant firstLife = create(datasource("ds-1"));
    store.delete(List.of("ds-1"));
    create(NewResource.builder("datasource", "ds-1").set("name", "Reborn").build());

    Resource old = readOne("ds-1", firstLife);
    assertThat(old.get("name")).isEqualTo("Datasource ds-1");
    assertThat(old.version()).isEqualTo(1);
    assertThat(old.createdAt()).isEqualTo(firstLife);
  }

  @Test
  void recreationHasNoneOfTheOldChildren() {
    create(datasource("ds-1"), patient("p-1", "ds-1"));
    store.delete(List.of("ds-1"));

    create(datasource("ds-1"));

    assertThat(childrenOf("ds-1", null)).isEmpty();
    assertThat(readable(null, "p-1")).isEmpty();
  }

  @Test
  void restoredIdentifierCannotBeCreatedAgain() {
    create(datasource("ds-1"));
    store.delete(List.of("ds-1"));
    store.restore(List.of("ds-1"));

    assertRejected(ValidationException.class, () -> store.create(List.of(datasource("ds-1"))), "ds-1");
  }
}
