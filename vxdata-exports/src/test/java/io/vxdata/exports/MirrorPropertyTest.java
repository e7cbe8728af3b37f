package io.vxdata.exports;

import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.AsOf;
import io.vxdata.ChangeEntry;
import io.vxdata.ChangeOperation;
import io.vxdata.ChangesPage;
import io.vxdata.ChangesRequest;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.ReadOptions;
import io.vxdata.Resource;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.json.Json;
import io.vxdata.json.ResourceJson;
import io.vxdata.query.QueryRequest;
import io.vxdata.s3.EmbeddedS3;
import io.vxdata.s3.ObjectStorage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The mirror property of export jobs and the change feed (docs/behaviour.md §14.2, §14.5): a full
 * export, followed either by incremental exports or by the change feed, applied to an empty copy,
 * equals the source at the same time — identifiers, parents and every exported field — while writers
 * create, update, move, delete and restore resources all along. The exports cover every payload type
 * without a scope, as a mirror does (a scoped incremental export does not report moves out of it).
 */
class MirrorPropertyTest {

  private static final int WRITERS = 3;
  /** Commits the writers make, at least, before each round of the mirrors. */
  private static final int COMMITS_PER_ROUND = 30;

  private VxData store;
  private EmbeddedS3 objects;
  private ObjectStorage storage;
  private Exports exports;
  private final AtomicBoolean writing = new AtomicBoolean(true);
  private final List<Thread> writers = new ArrayList<>();
  /** A permit per write a writer tried (refusals too): how the test waits for writes without timing them. */
  private final Semaphore commits = new Semaphore(0);
  private final ConcurrentLinkedQueue<Throwable> writerFailures = new ConcurrentLinkedQueue<>();
  private final Set<ChangeOperation> operationsSeen = EnumSet.noneOf(ChangeOperation.class);
  /** Rows the incremental exports upserted and identifiers they removed: both must occur. */
  private int upserted;
  private int removed;

  static Stream<Arguments> backends() {
    return ExportsTest.backends();
  }

  @AfterEach
  void close() throws InterruptedException {
    stopWriters();
    ExportsTest.closeAll(exports, storage, objects, store);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aFullExportPlusIncrementalExportsOrTheChangeFeedMirrorsTheSourceWhileWritersRun(String backend)
      throws Exception {
    store = ExportsTest.openStore(backend);
    objects = EmbeddedS3.startInMemory("mirror");
    storage = ObjectStorage.connect(objects.settings());
    exports = Exports.open(store, storage, ExportOptions.defaults().withBatchRows(50));
    store.create(List.of(datasource("ds-0"), datasource("ds-1"), datasource("ds-2")));
    startWriters();
    awaitCommits();

    ExportManifest full = run(new ExportRequest(everything(), ExportFormat.NDJSON, AsOf.latest(), null, false));
    assertThat(full.deleted()).isEmpty();
    Map<String, JsonNode> exported = new TreeMap<>();
    apply(full, exported);
    assertMirrors(exported, full.transactionTime(), "full export");
    Map<String, JsonNode> fed = new TreeMap<>(exported);
    upserted = 0;

    // Mirror 1: incremental exports, each since the previous manifest's time.
    Instant since = full.transactionTime();
    for (int round = 0; round < 3; round++) {
      awaitCommits();
      ExportManifest incremental = run(new ExportRequest(everything(), ExportFormat.NDJSON, AsOf.latest(), since,
          true));
      assertThat(incremental.transactionTime()).isAfter(since);
      apply(incremental, exported);
      assertMirrors(exported, incremental.transactionTime(), "incremental export " + round + " since " + since);
      since = incremental.transactionTime();
    }

    // Mirror 2: the change feed from the full export's time, each entry re-read at its own time.
    ChangesRequest request = ChangesRequest.after(full.transactionTime()).withLimit(40);
    int comparisons = 0;
    while (comparisons < 3) {
      ChangesPage page = store.changes(request);
      for (ChangeEntry e : page.changes()) {
        operationsSeen.add(e.operation());
        if (e.isLinkChange()) {
          continue; // the mirror is of resources; the writers attach no links
        } else if (e.operation() == ChangeOperation.DELETED) {
          fed.remove(e.identifier());
        } else {
          Resource version = store.read(List.of(e.identifier()), ReadOptions.asOf(e.transactionTime()).withoutChildren()).value().get(0);
          assertThat(version.parentIdentifier()).as("%s", e).isEqualTo(e.parentIdentifier());
          fed.put(e.identifier(), json(version));
        }
      }
      if (page.done()) {
        assertMirrors(fed, page.asOf(), "change feed");
        comparisons++;
        awaitCommits();
      }
      request = request.next(page);
    }

    stopWriters();
    assertThat(writerFailures).as("writers failed only by refusals").isEmpty();
    assertThat(operationsSeen).as("the writers' mix, in the feed").containsExactlyInAnyOrder(
        java.util.Arrays.stream(ChangeOperation.values()).filter(o -> !o.isLinkChange()).toArray(ChangeOperation[]::new));
    assertThat(exported.size()).isGreaterThan(10);
    assertThat(upserted).as("rows the incremental exports upserted").isPositive();
    assertThat(removed).as("identifiers the incremental exports removed").isPositive();
  }

  /** A query of every payload type, unscoped: what a mirror exports. */
  private List<QueryRequest> everything() {
    return store.payloadTypes().keySet().stream().sorted().map(t -> QueryRequest.of(t).build()).toList();
  }

  private ExportManifest run(ExportRequest request) throws Exception {
    ExportStatus job = exports.submit(request);
    ExportStatus done = ExportsTest.awaitEnd(exports, job.id());
    assertThat(done.state()).as("%s", done.error()).isEqualTo(ExportState.FINISHED);
    return done.manifest();
  }

  /** Applies a manifest's files: changed rows are upserted, deleted identifiers removed. */
  private void apply(ExportManifest manifest, Map<String, JsonNode> copy) throws Exception {
    Set<String> changed = new HashSet<>();
    for (ExportOutput output : manifest.output()) {
      for (JsonNode row : ExportsTest.ndjson(output)) {
        String id = row.get("identifier").asText();
        assertThat(changed.add(id)).as("%s once in the export", id).isTrue();
        copy.put(id, row);
        upserted++;
      }
    }
    for (ExportOutput output : manifest.deleted()) {
      for (JsonNode row : ExportsTest.ndjson(output)) {
        String id = row.get("identifier").asText();
        assertThat(changed).as("%s both changed and deleted", id).doesNotContain(id);
        copy.remove(id);
        removed++;
      }
    }
  }

  /** Asserts that {@code copy} equals the source at {@code at}, naming only the entries that differ. */
  private void assertMirrors(Map<String, JsonNode> copy, Instant at, String how) {
    Map<String, JsonNode> source = sourceAt(at);
    List<String> differences = new ArrayList<>();
    Set<String> ids = new TreeSet<>(source.keySet());
    ids.addAll(copy.keySet());
    for (String id : ids) {
      if (!Objects.equals(copy.get(id), source.get(id))) {
        differences.add(id + ": mirror " + copy.get(id) + "\n   source " + source.get(id));
      }
    }
    assertThat(differences).as("%s applied, against the source at %s (%d resources)", how, at, source.size()).isEmpty();
    assertThat(copy).isEqualTo(source);
  }

  /** Every live resource of the source at {@code at}, identifier to its JSON as exports write it. */
  private Map<String, JsonNode> sourceAt(Instant at) {
    Map<String, JsonNode> live = new TreeMap<>();
    for (QueryRequest q : everything()) {
      store.scan(QueryRequest.of(q.payloadType()).asOf(at).build(), r -> live.put(r.identifier(), json(r)));
    }
    return live;
  }

  /** A resource's JSON, parsed back from text so that numbers compare as the exported lines do. */
  private static JsonNode json(Resource r) {
    return Json.parse(ResourceJson.toJson(r).toString());
  }

  private void awaitCommits() throws InterruptedException {
    assertThat(commits.tryAcquire(COMMITS_PER_ROUND, 60, TimeUnit.SECONDS)).as("the writers committed").isTrue();
    assertThat(writerFailures).isEmpty();
  }

  private void startWriters() {
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      Thread t = new Thread(() -> write(writer), "mirror-writer-" + w);
      t.setUncaughtExceptionHandler((thread, e) -> writerFailures.add(e));
      writers.add(t);
      t.start();
    }
  }

  private void stopWriters() throws InterruptedException {
    writing.set(false);
    for (Thread t : writers) {
      t.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(t.isAlive()).as("%s stopped", t.getName()).isFalse();
    }
    writers.clear();
  }

  /**
   * One writer's random mix, on its own patients and studies under the shared datasources, until
   * told to stop; refusals of a chance pick (a move under a deleted patient, an update of a deleted
   * study) are expected and write nothing.
   */
  private void write(int writer) {
    Random random = new Random(writer * 7919L + 17);
    String prefix = "w" + writer + "-";
    List<String> patients = new ArrayList<>();
    List<String> studies = new ArrayList<>();
    for (int i = 0; writing.get(); i++) {
      String datasource = "ds-" + random.nextInt(3);
      try {
        switch (patients.size() < 2 ? 0 : random.nextInt(8)) {
          case 0 -> {
            String id = prefix + "pt-" + patients.size();
            store.create(List.<NewResource>of(patient(id, datasource)));
            patients.add(id);
          }
          case 1, 2 -> {
            String id = prefix + "st-" + studies.size();
            store.create(List.of(study(id, pick(random, patients), "u" + id)));
            studies.add(id);
          }
          case 3 -> store.update(Map.of(pick(random, studies, patients), change("license", "v" + i)));
          case 4 -> store.update(Map.of(pick(random, studies, patients), change("parent_identifier",
              pick(random, patients))));
          case 5 -> store.update(Map.of(pick(random, patients), change("parent_identifier", datasource)));
          case 6 -> {
            // Deleted and, as often as not, restored at once: restores need a tombstone to act on.
            String some = pick(random, random.nextBoolean() ? studies : patients, patients);
            if (store.delete(List.of(some)).count() > 0 && random.nextBoolean()) {
              store.restore(List.of(some));
            }
          }
          default -> store.restore(List.of(pick(random, random.nextBoolean() ? studies : patients, patients)));
        }
      } catch (ValidationException | NotFoundException refused) {
        // Nothing written; the mirrors must not show it.
      }
      commits.release();
    }
  }

  private static String pick(Random random, List<String> from, List<String> orElse) {
    return from.isEmpty() ? pick(random, orElse) : pick(random, from);
  }

  private static String pick(Random random, List<String> from) {
    return from.get(random.nextInt(from.size()));
  }
}
