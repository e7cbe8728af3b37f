package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.artefact;
import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.identifiers;
import static io.vxdata.testkit.Fixtures.patient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vxdata.AsOf;
import io.vxdata.NewResource;
import io.vxdata.ReadOptions;
import io.vxdata.Registration;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.WriteResult;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Reads in time and transaction times (docs/behaviour.md §3, §4) and the times writes state (docs/behaviour.md §12.4), including
 * under concurrent writers. Subclass it with a backend's {@link #newStore()}.
 */
public abstract class TimeConformanceTests extends VxDataTestSupport {

  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §4 reads in time.

  @Test
  void emptyStoreLastCommitTimeIsTheEpoch() {
    assertThat(store.lastCommitTime()).isEqualTo(Instant.EPOCH);
  }

  @Test
  void readAsOfEachCommitReturnsTheStateThen() {
    Instant t1 = create(datasource("ds-1"));
    Instant t2 = commit(() -> store.update(Map.of("ds-1", change("site", "Ghent"))));
    Instant t3 = create(patient("p-1", "ds-1"));
    Instant t4 = commit(() -> store.update(Map.of("ds-1", change("site", "Leuven"))));

    assertThat(readOne("ds-1", t1)).satisfies(ds -> {
      assertThat(ds.get("site")).isNull();
      assertThat(ds.version()).isEqualTo(1);
      assertThat(ds.children()).contains(List.of());
    });
    assertThat(readOne("ds-1", t2)).satisfies(ds -> {
      assertThat(ds.get("site")).isEqualTo("Ghent");
      assertThat(ds.version()).isEqualTo(2);
      assertThat(ds.updatedAt()).isEqualTo(t2);
      assertThat(ds.children()).contains(List.of());
    });
    assertThat(readOne("ds-1", t3)).satisfies(ds -> {
      assertThat(ds.version()).isEqualTo(2);
      assertThat(ds.children()).contains(List.of("p-1"));
    });
    assertThat(readOne("ds-1", t4)).satisfies(ds -> {
      assertThat(ds.get("site")).isEqualTo("Leuven");
      assertThat(ds.version()).isEqualTo(3);
    });
    assertThat(readOne("p-1", t3).parentIdentifier()).isEqualTo("ds-1");
  }

  @Test
  void asOfBetweenTwoCommitsSeesTheEarlierOne() {
    create(datasource("ds-1"));
    Instant t2 = commit(() -> store.update(Map.of("ds-1", change("site", "Ghent"))));

    assertThat(readOne("ds-1", t2.minus(1, ChronoUnit.MICROS)).get("site")).isNull();
  }

  @Test
  void asOfBeforeCreationShowsNothing() {
    Instant created = create(datasource("ds-1"));

    assertThat(readable(created.minus(1, ChronoUnit.MICROS), "ds-1")).isEmpty();
    assertThat(readable(Instant.EPOCH, "ds-1")).isEmpty();
  }

  @Test
  void asOfBetweenDeleteAndRestoreDoesNotShowTheResource() {
    Instant created = create(datasource("ds-1"), patient("p-1", "ds-1"));
    Instant deleted = commit(() -> store.delete(List.of("p-1")));
    Instant restored = commit(() -> store.restore(List.of("p-1")));

    assertThat(readable(created, "p-1")).containsExactly("p-1");
    assertThat(readable(deleted, "p-1")).isEmpty();
    assertThat(childrenOf("ds-1", deleted)).isEmpty();
    assertThat(readable(restored, "p-1")).containsExactly("p-1");
    assertThat(childrenOf("ds-1", restored)).containsExactly("p-1");
  }

  @Test
  void lineageAndMetadataAreReadAsOfToo() {
    create(artefact("a-1", null), artefact("a-2", null), NewResource.builder("artefact", "out")
        .license("MIT").derivedFrom("a-1").build());
    Instant before = store.lastCommitTime();
    store.update(Map.of("out", ResourceUpdate.builder().derivedFrom(List.of("a-2")).license("CC0-1.0").build()));

    Resource then = readOne("out", before);
    assertThat(then.derivedFrom()).containsExactly("a-1");
    assertThat(then.license()).isEqualTo("MIT");
  }

  @Test
  void pastAnswersDoNotChangeAfterLaterWrites() {
    create(datasource("ds-1"), patient("p-1", "ds-1"), patient("p-2", "ds-1"));
    Instant t = store.lastCommitTime();
    List<String> ids = List.of("ds-1", "p-1", "p-2", "p-3");
    List<Resource> before = store.read(ids, ReadOptions.asOf(t)).value();

    store.update(Map.of("ds-1", change("site", "Ghent"), "p-1", change("sex", "F")));
    create(patient("p-3", "ds-1"));
    store.delete(List.of("p-2"));

    assertThat(store.read(ids, ReadOptions.asOf(t)).value()).isEqualTo(before);
  }

  @Test
  void everyReadStatesTheTimeItReadAt() {
    Instant t1 = create(datasource("ds-1"), patient("p-1", "ds-1"));
    Instant t2 = create(artefact("a-1", "p-1"));
    Instant between = t1.plus(1, ChronoUnit.MICROS);
    QueryRequest datasources = QueryRequest.of("datasource").build();

    // The latest state, and a time after the last commit, read at the last commit.
    for (AsOf latest : List.of(AsOf.latest(), AsOf.at(t2.plus(1, ChronoUnit.DAYS)))) {
      assertThat(List.of(
          store.read(List.of("a-1"), ReadOptions.at(latest)).asOf(),
          store.count(datasources.toBuilder().asOf(latest).build()).asOf(),
          store.parents("a-1", latest).asOf(),
          store.datasourceStats(latest).asOf(),
          store.datasourceDetails("ds-1", latest).asOf()))
          .as("reads at %s", latest).containsOnly(t2);
    }
    // A past time reads at that very time, between commits too.
    for (Instant past : List.of(t1, between)) {
      AsOf at = AsOf.at(past);
      assertThat(List.of(
          store.read(List.of("p-1"), ReadOptions.at(at)).asOf(),
          store.count(datasources.toBuilder().asOf(at).build()).asOf(),
          store.parents("p-1", at).asOf(),
          store.datasourceStats(at).asOf(),
          store.datasourceDetails("ds-1", at).asOf()))
          .as("reads at %s", past).containsOnly(past);
    }
    assertThat(store.read(List.of("a-1"), ReadOptions.at(AsOf.at(between))).value()).isEmpty();
  }

  @Test
  void lastCommitTimeStrictlyIncreasesWithEveryWriteThatChangedSomething() {
    List<Instant> times = new ArrayList<>();
    times.add(store.lastCommitTime());
    times.add(create(datasource("ds-1")));
    times.add(commit(() -> store.update(Map.of("ds-1", change("site", "Ghent")))));
    times.add(commit(() -> store.registerPatient("ds-1", "mrn-1")));
    times.add(commit(() -> store.registerStudy(store.resolvePatient("ds-1", "mrn-1"), "acc-1")));
    times.add(commit(() -> store.delete(List.of("ds-1"))));
    times.add(commit(() -> store.restore(List.of("ds-1"))));
    times.add(commit(() -> store.update(Map.of("ds-1", ResourceUpdate.builder().deleted(true).build()))));

    assertThat(times).doesNotHaveDuplicates().isSorted();
  }

  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §3: transaction times.

  @Test
  void oneBatchSharesOneTransactionTime() {
    Instant committed = create(datasource("ds-1"), patient("p-1", "ds-1"), artefact("a-1", null));

    assertThat(store.read(List.of("ds-1", "p-1", "a-1")).value())
        .extracting(Resource::createdAt).containsOnly(committed);
  }

  @Test
  void cascadedChangesShareTheTransactionTime() {
    create(datasource("ds-1"), patient("p-1", "ds-1"));
    store.delete(List.of("ds-1"));

    Instant restored = commit(() -> store.restore(List.of("ds-1")));

    assertThat(store.read(List.of("ds-1", "p-1")).value()).extracting(Resource::updatedAt).containsOnly(restored);
  }

  @Test
  void successiveCommitsHaveStrictlyIncreasingTimes() {
    List<Instant> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      create(datasource("ds-" + i));
      created.add(readOne("ds-" + i).createdAt());
    }

    assertThat(created).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void timesHaveMicrosecondPrecision() {
    create(datasource("ds-1"));
    store.update(Map.of("ds-1", change("site", "Ghent")));

    Resource ds = readOne("ds-1");
    assertThat(List.of(ds.createdAt(), ds.updatedAt(), store.lastCommitTime()))
        .allSatisfy(t -> assertThat(t).isEqualTo(t.truncatedTo(ChronoUnit.MICROS)));
  }

  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §12.4: every write states the time it committed at.

  private static Instant justBefore(Instant t) {
    return t.minus(1, ChronoUnit.MICROS);
  }

  @Test
  void createReturnsItsCommitTimeSeenAtThatTimeAndNotBefore() {
    create(datasource("ds-0"));
    WriteResult created = store.create(List.of(datasource("ds-1"), patient("p-1", "ds-1")));

    assertThat(created.count()).isEqualTo(2);
    assertThat(created.committedAt()).isEqualTo(store.lastCommitTime());
    assertThat(store.read(List.of("ds-1", "p-1")).value()).extracting(Resource::createdAt, Resource::updatedAt)
        .containsOnly(tuple(created.committedAt(), created.committedAt()));
    assertThat(readable(created.committedAt(), "ds-1", "p-1")).containsExactly("ds-1", "p-1");
    assertThat(readable(justBefore(created.committedAt()), "ds-1", "p-1")).isEmpty();
  }

  @Test
  void updateReturnsTheUpdatedAtOfWhatItChanged() {
    create(datasource("ds-1"), datasource("ds-2"));
    WriteResult updated = store.update(Map.of("ds-1", change("site", "Ghent"), "ds-2", change("site", "Leuven")));

    assertThat(updated.count()).isEqualTo(2);
    assertThat(store.read(List.of("ds-1", "ds-2")).value()).extracting(Resource::updatedAt)
        .containsOnly(updated.committedAt());
    assertThat(readOne("ds-1", updated.committedAt()).get("site")).isEqualTo("Ghent");
    assertThat(readOne("ds-1", justBefore(updated.committedAt())).get("site")).isNull();
  }

  @Test
  void deleteAndRestoreReturnTheirCommitTimesCascadeIncluded() {
    create(datasource("ds-1"), patient("p-1", "ds-1"));
    WriteResult deleted = store.delete(List.of("ds-1"));

    assertThat(deleted.count()).isEqualTo(2);
    assertThat(deleted.committedAt()).isEqualTo(store.lastCommitTime());
    assertThat(readable(deleted.committedAt(), "ds-1", "p-1")).isEmpty();
    assertThat(readable(justBefore(deleted.committedAt()), "ds-1", "p-1")).containsExactly("ds-1", "p-1");

    WriteResult restored = store.restore(List.of("ds-1"));

    assertThat(restored.count()).isEqualTo(2);
    assertThat(restored.committedAt()).isAfter(deleted.committedAt()).isEqualTo(store.lastCommitTime());
    assertThat(store.read(List.of("ds-1", "p-1")).value()).extracting(Resource::updatedAt)
        .containsOnly(restored.committedAt());
    assertThat(readable(justBefore(restored.committedAt()), "ds-1", "p-1")).isEmpty();
  }

  @Test
  void aWriteThatChangesNothingReturnsTheLastCommitTimeAndWritesNothing() {
    create(datasource("ds-1"), patient("p-1", "ds-1"), patient("p-2", "ds-1"));
    store.update(Map.of("ds-1", change("site", "Ghent")));
    store.delete(List.of("p-2"));
    Instant last = store.lastCommitTime();
    List<Resource> before = store.read(List.of("ds-1", "p-1")).value();

    List<WriteResult> noops = List.of(
        store.update(Map.of("ds-1", change("site", "Ghent"))),
        store.update(Map.of("p-1", ResourceUpdate.builder().deleted(false).build())),
        store.delete(List.of("p-2")),
        store.restore(List.of("p-1")),
        store.create(List.of()),
        store.update(Map.of()),
        store.delete(List.of()),
        store.restore(List.of()));

    assertThat(noops).containsOnly(new WriteResult(0, last));
    assertThat(store.lastCommitTime()).isEqualTo(last);
    assertThat(store.read(List.of("ds-1", "p-1")).value()).isEqualTo(before);
  }

  @Test
  void registrationReturnsItsIdentifierAndCommitTime() {
    create(datasource("ds-1"));
    Registration patient = store.registerPatient("ds-1", "mrn-1");

    assertThat(patient.identifier()).isEqualTo(store.resolvePatient("ds-1", "mrn-1"));
    assertThat(patient.committedAt()).isEqualTo(store.lastCommitTime())
        .isEqualTo(readOne(patient.identifier()).createdAt());
    assertThat(readable(justBefore(patient.committedAt()), patient.identifier())).isEmpty();

    Registration study = store.registerStudy(patient.identifier(), "acc-1");

    assertThat(study.identifier()).isEqualTo(store.resolveStudy(patient.identifier(), "acc-1"));
    assertThat(study.committedAt()).isAfter(patient.committedAt()).isEqualTo(store.lastCommitTime())
        .isEqualTo(readOne(study.identifier()).createdAt());
    assertThat(childrenOf(patient.identifier(), justBefore(study.committedAt()))).isEmpty();
    assertThat(childrenOf(patient.identifier(), study.committedAt())).containsExactly(study.identifier());
  }

  // ---------------------------------------------------------------------------------------------
  // docs/behaviour.md §4 under load: concurrent writers never change a committed past, never expose half a batch,
  // and never deadlock.

  private static final int WRITERS = 4;
  private static final int READERS = 2;
  private static final int ROUNDS = 6;
  /** Each batch: one datasource and {@code BATCH - 1} artefacts under it. */
  private static final int BATCH = 50;
  /** Artefacts of each batch updated together in a second transaction, with the shared resource. */
  private static final int UPDATED = 10;
  /** A datasource every writer updates in every round, so writers contend for one row. */
  private static final String SHARED = "shared";
  /** Snapshots each reader keeps to re-read after the writers finish. */
  private static final int SNAPSHOTS = 20;

  private static String root(int writer, int round) {
    return "w" + writer + "-r" + round;
  }

  private static String member(int writer, int round, int i) {
    return root(writer, round) + "-a" + String.format("%02d", i);
  }

  private List<String> batchIdentifiers(int writer, int round) {
    List<String> ids = new ArrayList<>();
    ids.add(root(writer, round));
    for (int i = 1; i < BATCH; i++) {
      ids.add(member(writer, round, i));
    }
    return ids;
  }

  private void write(int writer, Set<Instant> commitTimes) {
    for (int round = 0; round < ROUNDS; round++) {
      List<NewResource> batch = new ArrayList<>();
      batch.add(datasource(root(writer, round)));
      for (int i = 1; i < BATCH; i++) {
        batch.add(artefact(member(writer, round, i), root(writer, round)));
      }
      WriteResult created = store.create(batch);
      assertThat(created.count()).isEqualTo(BATCH);
      Map<String, ResourceUpdate> updates = new LinkedHashMap<>();
      for (int i = 1; i <= UPDATED; i++) {
        updates.put(member(writer, round, i), change("role", "updated in round " + round));
      }
      updates.put(SHARED, change("description", "writer " + writer + ", round " + round));
      WriteResult updated = store.update(updates);
      assertThat(updated.count()).isEqualTo(UPDATED + 1);
      // Only this writer touches its batch, so its times are those its writes stated (docs/behaviour.md §12.4).
      assertThat(readOne(member(writer, round, 1))).extracting(Resource::createdAt, Resource::updatedAt)
          .containsExactly(created.committedAt(), updated.committedAt());
      commitTimes.add(created.committedAt());
      commitTimes.add(updated.committedAt());
    }
  }

  /** Checks one answer: every batch is all there or not at all, and its update likewise. */
  private void assertConsistent(Instant asOf, List<Resource> answer) {
    Map<String, Resource> byId = new LinkedHashMap<>();
    answer.forEach(r -> byId.put(r.identifier(), r));
    for (int w = 0; w < WRITERS; w++) {
      for (int r = 0; r < ROUNDS; r++) {
        List<String> batch = batchIdentifiers(w, r);
        long visible = batch.stream().filter(byId::containsKey).count();
        assertThat(visible).as("visible items of batch %s as of %s", root(w, r), asOf).isIn(0L, (long) BATCH);
        if (visible == 0) {
          continue;
        }
        assertThat(byId.get(root(w, r)).children().orElseThrow()).as("children of %s as of %s", root(w, r), asOf)
            .isEqualTo(batch.subList(1, BATCH));
        Set<Long> versions = new HashSet<>();
        for (int i = 1; i <= UPDATED; i++) {
          versions.add(byId.get(member(w, r, i)).version());
        }
        assertThat(versions).as("versions of the updated items of %s as of %s", root(w, r), asOf).hasSize(1);
      }
    }
  }

  /**
   * Checks that a query page reports the time its rows were read at: the datasources it returned,
   * with their versions, are exactly those a read at its reported time sees.
   */
  private void assertQueryReportsItsTime(List<String> datasources) {
    QueryPage page = store.query(QueryRequest.of("datasource").limit(1000).build());
    Map<String, Long> then = new LinkedHashMap<>();
    store.read(datasources, ReadOptions.asOf(page.asOf())).value().forEach(r -> then.put(r.identifier(), r.version()));
    Map<String, Long> paged = new LinkedHashMap<>();
    page.results().forEach(r -> paged.put(r.identifier(), r.version()));
    assertThat(paged).as("datasources and versions a page reported as of %s", page.asOf())
        .containsExactlyInAnyOrderEntriesOf(then);
  }

  private void read(List<String> all, CountDownLatch writersDone, Map<Instant, List<Resource>> snapshots) {
    List<String> datasources = new ArrayList<>(List.of(SHARED));
    for (int w = 0; w < WRITERS; w++) {
      for (int r = 0; r < ROUNDS; r++) {
        datasources.add(root(w, r));
      }
    }
    boolean last = false;
    while (!last) {
      last = writersDone.getCount() == 0;
      assertQueryReportsItsTime(datasources);
      Instant t = store.lastCommitTime();
      List<Resource> answer = store.read(all, ReadOptions.asOf(t)).value();
      assertConsistent(t, answer);
      assertThat(store.read(all, ReadOptions.asOf(t)).value()).as("immediate re-read as of %s", t).isEqualTo(answer);
      if (snapshots.size() < SNAPSHOTS * READERS) {
        List<Resource> earlier = snapshots.putIfAbsent(t, answer);
        if (earlier != null) {
          assertThat(answer).as("answers of two readers as of %s", t).isEqualTo(earlier);
        }
      }
    }
  }

  @Test
  void writersNeverChangeThePastNorExposeHalfABatch() throws Exception {
    List<String> all = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      for (int r = 0; r < ROUNDS; r++) {
        all.addAll(batchIdentifiers(w, r));
      }
    }
    create(datasource(SHARED));
    Map<Instant, List<Resource>> snapshots = new ConcurrentHashMap<>();
    Set<Instant> commitTimes = ConcurrentHashMap.newKeySet();
    CountDownLatch writersDone = new CountDownLatch(WRITERS);
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
    List<Future<?>> tasks = new ArrayList<>();
    try {
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        tasks.add(pool.submit(() -> {
          try {
            write(writer, commitTimes);
          } finally {
            writersDone.countDown();
          }
        }));
      }
      IntStream.range(0, READERS).forEach(i -> tasks.add(pool.submit(() -> read(all, writersDone, snapshots))));
      pool.shutdown();
      assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).as("all threads finished (no deadlock)").isTrue();
    } finally {
      pool.shutdownNow();
    }
    for (Future<?> task : tasks) {
      try {
        task.get();
      } catch (ExecutionException e) {
        throw new AssertionError("a writer or reader failed: " + e.getCause(), e.getCause());
      }
    }

    assertThat(snapshots).isNotEmpty();
    snapshots.forEach((t, answer) ->
        assertThat(store.read(all, ReadOptions.asOf(t)).value()).as("re-read as of %s", t).isEqualTo(answer));
    List<Resource> finalState = store.read(all).value();
    assertThat(identifiers(finalState)).isEqualTo(all);
    assertConsistent(store.lastCommitTime(), finalState);
    assertThat(finalState).filteredOn(r -> r.version() == 2).hasSize(WRITERS * ROUNDS * UPDATED);
    assertThat(readOne(SHARED).version()).isEqualTo(1 + WRITERS * ROUNDS);
    assertThat(commitTimes).as("distinct commit times stated by the writes").hasSize(2 * WRITERS * ROUNDS);
  }
}
