package io.vxdata.exports;

import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.AccessLevel;
import io.vxdata.AsOf;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.access.Grant;
import io.vxdata.access.Principal;
import io.vxdata.access.PrincipalUpdate;
import io.vxdata.access.Role;
import io.vxdata.jdbc.TestH2;
import io.vxdata.jdbc.TestPostgres;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.json.Json;
import io.vxdata.query.Filter;
import io.vxdata.query.QueryRequest;
import io.vxdata.s3.EmbeddedS3;
import io.vxdata.s3.ObjectStorage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Export jobs in process (docs/behaviour.md §14.5), on H2 and PostgreSQL, against a real S3 API
 * (S3Proxy in this JVM): the files behind the presigned URLs, cancel, reuse, {@code since}, the
 * bounded queue, access, and a service closed in the middle of a job and opened again.
 */
class ExportsTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** Rows per batch: small, so that a job of a few thousand rows passes many batches. */
  private static final int BATCH = 100;

  @TempDir
  Path dir;
  private VxData store;
  private EmbeddedS3 objects;
  private ObjectStorage storage;
  private Exports exports;
  /** While set and closed, every job's worker blocks at each batch: how a test holds a job at a known row. */
  private volatile CountDownLatch holdAll;
  /** Opens when a job reaches a batch. */
  private volatile CountDownLatch anyReached = new CountDownLatch(1);

  static Stream<Arguments> backends() {
    return Stream.of(Arguments.of("h2"), Arguments.of("postgresql"));
  }

  private void open(String backend, int workers, int queue) {
    store = openStore(backend);
    objects = EmbeddedS3.startInMemory("exports");
    storage = ObjectStorage.connect(objects.settings());
    exports = Exports.open(store, storage, options(workers, queue));
  }

  /** A fresh, empty store: H2 in memory or a new database of the embedded PostgreSQL. */
  static VxData openStore(String backend) {
    return backend.equals("h2") ? TestH2.openFreshMemoryStore()
        : TestPostgres.openFreshStore();
  }

  private ExportOptions options(int workers, int queue) {
    return ExportOptions.defaults().withConcurrency(workers, queue).withBatchRows(BATCH).withListener((id, done, total) -> {
      anyReached.countDown();
      CountDownLatch all = holdAll;
      try {
        if (all != null) {
          all.await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while held", e);
      }
    });
  }

  @AfterEach
  void close() {
    if (holdAll != null) {
      holdAll.countDown();
    }
    closeAll(exports, storage, objects, store);
  }

  /** Closes what a test opened, service first, skipping what it did not open. */
  static void closeAll(Exports exports, ObjectStorage storage, EmbeddedS3 objects, VxData store) {
    if (exports != null) {
      exports.close();
    }
    if (storage != null) {
      storage.close();
      objects.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private void load(int studies) {
    store.create(List.of(datasource("ds-a"), datasource("ds-b")));
    store.create(List.of(patient("pt-a", "ds-a"), patient("pt-b", "ds-b")));
    List<NewResource> batch = new ArrayList<>();
    for (int i = 0; i < studies; i++) {
      batch.add(study(String.format("st-%05d", i), i % 2 == 0 ? "pt-a" : "pt-b", "u" + i));
    }
    store.create(batch);
  }

  /** Polls until the job satisfies {@code done}: at most 2,000 polls, 10 ms apart; fails otherwise. */
  static ExportStatus await(Exports view, String id, Predicate<ExportStatus> done) throws InterruptedException {
    ExportStatus s = view.status(id);
    for (int i = 0; i < 2000 && !done.test(s); i++) {
      Thread.sleep(10);
      s = view.status(id);
    }
    assertThat(done.test(s)).as("job %s reached the awaited state; last seen %s", id, s).isTrue();
    return s;
  }

  /** The principal {@code reader}: a viewer of {@code ds-a}. */
  private void addReader() {
    store.access().createPrincipal(Principal.of("reader", "Reader", AccessLevel.RESTRICTED));
    store.access().grant(new Grant("ds-a", "reader", Role.VIEWER));
  }

  /** Submits a job and waits until its worker is held at its first batch (until {@code holdAll} opens). */
  private ExportStatus submitHeld(ExportRequest request) throws InterruptedException {
    holdAll = new CountDownLatch(1);
    anyReached = new CountDownLatch(1);
    ExportStatus job = exports.submit(request);
    assertThat(anyReached.await(30, TimeUnit.SECONDS)).as("the job reached its first batch").isTrue();
    return job;
  }

  static ExportStatus awaitEnd(Exports view, String id) throws InterruptedException {
    return await(view, id, s -> s.state().ended());
  }

  private static byte[] download(String url) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as("GET of a presigned URL").isEqualTo(200);
    return r.body();
  }

  /** Downloads an output, checks its size and hash, and answers the identifiers of a Parquet file. */
  private List<String> parquetIdentifiers(ExportOutput output) throws Exception {
    byte[] bytes = checked(output);
    Path file = dir.resolve(UUID.randomUUID() + ".parquet");
    Files.write(file, bytes);
    try (ParquetFileReader footer = ParquetFileReader.open(new LocalInputFile(file))) {
      assertThat(footer.getRecordCount()).isEqualTo(output.rows());
    }
    List<String> ids = new ArrayList<>();
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
            .getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          ids.add(records.read().getString("identifier", 0));
        }
      }
    }
    return ids;
  }

  static byte[] checked(ExportOutput output) throws Exception {
    byte[] bytes = download(output.url());
    assertThat((long) bytes.length).as("bytes of %s", output.path()).isEqualTo(output.bytes());
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))).isEqualTo(output.sha256());
    return bytes;
  }

  /** Downloads an NDJSON output, checks it, and answers its lines. */
  static List<JsonNode> ndjson(ExportOutput output) throws Exception {
    String text = new String(checked(output), StandardCharsets.UTF_8);
    List<JsonNode> lines = new ArrayList<>();
    if (!text.isEmpty()) {
      assertThat(text).endsWith("\n");
      for (String line : text.split("\n", -1)) {
        if (!line.isEmpty()) {
          lines.add(Json.parse(line));
        }
      }
      assertThat(lines).hasSize((int) output.rows());
    }
    return lines;
  }

  private static QueryRequest studies() {
    return QueryRequest.of("study").build();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aFullExportWritesOneParquetFilePerQueryBehindPresignedUrls(String backend) throws Exception {
    open(backend, 2, 4);
    load(2500);
    Instant last = store.lastCommitTime();

    ExportStatus submitted = exports.submit(ExportRequest.of(ExportFormat.PARQUET, studies(),
        QueryRequest.of("patient").build()));
    assertThat(submitted.state()).isIn(ExportState.QUEUED, ExportState.RUNNING);
    assertThat(submitted.transactionTime()).as("latest means the last commit at submission").isEqualTo(last);
    store.create(List.of(study("st-later", "pt-a", "later")));
    ExportStatus done = awaitEnd(exports, submitted.id());

    assertThat(done.state()).isEqualTo(ExportState.FINISHED);
    assertThat(done.rowsDone()).isEqualTo(done.rowsTotal()).isEqualTo(2502);
    ExportManifest manifest = done.manifest();
    assertThat(manifest.transactionTime()).isEqualTo(last);
    assertThat(manifest.deleted()).isEmpty();
    assertThat(manifest.output()).extracting(ExportOutput::payloadType).containsExactly("study", "patient");
    List<String> ids = parquetIdentifiers(manifest.output().get(0));
    assertThat(ids).hasSize(2500).doesNotContain("st-later");
    assertThat(parquetIdentifiers(manifest.output().get(1))).containsExactlyInAnyOrder("pt-a", "pt-b");
    assertThat(manifest.output().get(0).path()).isEqualTo("s3://exports/exports/" + done.id() + "/study.parquet");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aLimitAboveAPageCapsTheRowsOfAJob(String backend) throws Exception {
    open(backend, 1, 1);
    load(1500);
    ExportStatus job = exports.submit(ExportRequest.of(ExportFormat.NDJSON, QueryRequest.of("study").limit(1200).build()));
    ExportStatus done = awaitEnd(exports, job.id());

    assertThat(done.state()).as("%s", done.error()).isEqualTo(ExportState.FINISHED);
    assertThat(done.rowsTotal()).isEqualTo(1200);
    assertThat(ndjson(done.manifest().output().get(0))).hasSize(1200);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anIncrementalNdjsonExportHasTheChangedRowsAndTheIdentifiersDeletedSince(String backend) throws Exception {
    open(backend, 2, 4);
    load(300);
    Instant sync = store.lastCommitTime();
    store.update(Map.of("st-00001", io.vxdata.testkit.Fixtures.change("modality", "MR")));
    store.delete(List.of("st-00002", "st-00004"));
    store.create(List.of(study("st-new", "pt-a", "new")));

    ExportStatus job = exports.submit(new ExportRequest(List.of(QueryRequest.of("study").descendants("ds-a").build()),
        ExportFormat.NDJSON, AsOf.latest(), sync, false));
    ExportStatus done = awaitEnd(exports, job.id());

    assertThat(done.state()).isEqualTo(ExportState.FINISHED);
    List<JsonNode> rows = ndjson(done.manifest().output().get(0));
    assertThat(rows).extracting(n -> n.get("identifier").asText()).containsExactlyInAnyOrder("st-new");
    List<JsonNode> deleted = ndjson(done.manifest().deleted().get(0));
    assertThat(deleted).extracting(n -> n.get("identifier").asText()).containsExactlyInAnyOrder("st-00002", "st-00004");
    assertThat(deleted).allSatisfy(n -> assertThat(Json.parseInstant(n.get("updated_at").asText(), "t")).isAfter(sync));
    assertThat(done.manifest().request().since()).isEqualTo(sync);
    // st-00001 is under pt-b (odd), outside the scope: a change there is not exported.
    assertThat(done.rowsTotal()).isEqualTo(3);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aServiceClosedInTheMiddleOfAJobRunsItAgainWhenOpenedOnTheSameDatabase(String backend) throws Exception {
    open(backend, 1, 4);
    load(1000);
    Instant at = store.lastCommitTime();
    ExportStatus job = submitHeld(ExportRequest.of(ExportFormat.PARQUET, studies()));
    assertThat(exports.status(job.id()).state()).isEqualTo(ExportState.RUNNING);
    // Progress reaches the job table while the worker is inside the store's read transaction: the service's
    // ticker writes it once a second, so wait for it (up to 30 s, for a slow machine).
    var jobs = VxDataStore.exportJobs(store);
    for (int i = 0; i < 3000 && jobs.find(job.id()).orElseThrow().rowsDone() < BATCH; i++) {
      Thread.sleep(10);
    }
    assertThat(jobs.find(job.id()).orElseThrow().rowsDone()).as("rows done, in the table").isEqualTo(BATCH);
    assertThat(jobs.find(job.id()).orElseThrow().rowsTotal()).isEqualTo(1000);
    store.create(List.of(study("st-after", "pt-a", "after")));

    exports.close(); // interrupts the held worker: the job goes back to the queue
    exports = null;
    holdAll = null;
    var table = VxDataStore.exportJobs(store);
    assertThat(table.find(job.id()).orElseThrow().status()).isEqualTo("queued");
    assertThat(storage.list("s3://exports/exports/" + job.id() + "/")).as("no partial file left").isEmpty();
    // As a crash an hour ago would leave it: running, with nobody renewing its lease.
    assertThat(table.start(job.id(), Instant.now().minus(Duration.ofHours(1)))).isTrue();

    exports = Exports.open(store, storage, options(1, 4));
    ExportStatus done = awaitEnd(exports, job.id());

    assertThat(done.state()).isEqualTo(ExportState.FINISHED);
    assertThat(done.transactionTime()).isEqualTo(at);
    assertThat(parquetIdentifiers(done.manifest().output().get(0))).hasSize(1000).doesNotContain("st-after");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aSecondServiceOnTheDatabaseLeavesALiveServicesJobAloneAndTakesOverAnOrphan(String backend)
      throws Exception {
    open(backend, 1, 4);
    load(1000);
    ExportStatus live = submitHeld(ExportRequest.of(ExportFormat.NDJSON, studies()));
    var table = VxDataStore.exportJobs(store);
    // An orphan: a job of another service, which is closed (the job goes back to the queue), then
    // marked running as a crash an hour ago would have left it.
    Exports dead = Exports.open(store, storage, options(1, 0));
    String orphan = dead.submit(ExportRequest.of(ExportFormat.PARQUET, studies())).id();
    dead.close();
    assertThat(table.find(orphan).orElseThrow().status()).isEqualTo("queued");
    assertThat(table.start(orphan, Instant.now().minus(Duration.ofHours(1)))).isTrue();

    try (Exports second = Exports.open(store, storage, options(1, 4))) {
      assertThat(table.find(live.id()).orElseThrow().status()).as("a live service's job stays its own")
          .isEqualTo("running");
      holdAll.countDown();
      ExportStatus adopted = awaitEnd(second, orphan);
      assertThat(adopted.state()).isEqualTo(ExportState.FINISHED);
      assertThat(adopted.manifest().output().get(0).rows()).isEqualTo(1000);
    }
    ExportStatus done = awaitEnd(exports, live.id());
    assertThat(done.state()).isEqualTo(ExportState.FINISHED);
    assertThat(done.manifest().output().get(0).rows()).as("written once, by its own service").isEqualTo(1000);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aJobThatEndedLongerAgoThanTheRetentionIsRemovedWithItsFiles(String backend) throws Exception {
    open(backend, 1, 4);
    load(300);
    ExportStatus done = awaitEnd(exports, exports.submit(ExportRequest.of(ExportFormat.NDJSON, studies())).id());
    ExportStatus running = submitHeld(ExportRequest.of(ExportFormat.PARQUET, studies()));
    String files = "s3://exports/exports/" + done.id() + "/";
    assertThat(storage.list(files)).as("kept within the retention").isNotEmpty();

    // A service with a retention of a microsecond removes every job that has ended, at its first sweep.
    try (Exports strict = Exports.open(store, storage, options(1, 4).withRetention(Duration.ofNanos(1000)))) {
      assertThatThrownBy(() -> strict.status(done.id())).isInstanceOf(NotFoundException.class);
      assertThat(strict.status(running.id()).state()).as("a running job is never removed")
          .isEqualTo(ExportState.RUNNING);
    }
    assertThat(storage.list(files)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aJobThatCannotRunAfterARestartFailsWithItsReason(String backend) throws Exception {
    open(backend, 1, 4);
    load(300);
    addReader();
    ExportStatus first = submitHeld(ExportRequest.of(ExportFormat.NDJSON, studies()));
    ExportStatus waiting = exports.as("reader").submit(ExportRequest.of(ExportFormat.PARQUET, studies()));
    assertThat(exports.status(waiting.id()).state()).isEqualTo(ExportState.QUEUED);

    exports.close();
    holdAll = null;
    store.access().updatePrincipal("reader", new PrincipalUpdate(null, null, null, true));
    exports = Exports.open(store, storage, options(1, 4));

    assertThat(awaitEnd(exports, first.id()).state()).isEqualTo(ExportState.FINISHED);
    ExportStatus failed = awaitEnd(exports, waiting.id());
    assertThat(failed.state()).isEqualTo(ExportState.FAILED);
    assertThat(failed.error()).contains("principal").contains("reader");
    assertThat(failed.finishedAt()).isNotNull();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void cancellingARunningJobStopsItAndLeavesNoFiles(String backend) throws Exception {
    open(backend, 1, 4);
    load(1000);
    ExportStatus job = submitHeld(ExportRequest.of(ExportFormat.NDJSON, studies()));

    assertThat(exports.delete(job.id())).get().extracting(ExportStatus::state).isEqualTo(ExportState.CANCELLED);
    holdAll.countDown();
    ExportStatus cancelled = await(exports, job.id(), s -> s.state() == ExportState.CANCELLED
        && storage.list("s3://exports/exports/" + job.id() + "/").isEmpty());
    assertThat(cancelled.manifest()).isNull();
    // A queued job is cancelled before it runs.
    ExportStatus running = submitHeld(ExportRequest.of(ExportFormat.NDJSON, studies()).withForce(true));
    ExportStatus queued = exports.submit(ExportRequest.of(ExportFormat.PARQUET, studies()));
    assertThat(exports.status(queued.id()).state()).isEqualTo(ExportState.QUEUED);
    assertThat(exports.delete(queued.id())).get().extracting(ExportStatus::state).isEqualTo(ExportState.CANCELLED);
    holdAll.countDown();
    assertThat(awaitEnd(exports, running.id()).state()).isEqualTo(ExportState.FINISHED);
    assertThat(exports.status(queued.id()).state()).isEqualTo(ExportState.CANCELLED);

    // Deleting an ended job removes it and its files.
    assertThat(exports.delete(running.id())).isEmpty();
    assertThatThrownBy(() -> exports.status(running.id())).isInstanceOf(NotFoundException.class);
    assertThat(storage.list("s3://exports/exports/" + running.id() + "/")).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anIdenticalExportIsReusedUnlessForcedOrTheDataOrRightsChanged(String backend) throws Exception {
    open(backend, 2, 4);
    load(50);
    addReader();
    ExportStatus first = exports.submit(ExportRequest.of(ExportFormat.PARQUET, studies()));
    awaitEnd(exports, first.id());

    ExportStatus again = exports.submit(ExportRequest.of(ExportFormat.PARQUET, studies()));
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.reused()).isTrue();
    assertThat(again.manifest().output().get(0).url()).isNotNull();
    ExportStatus forced = exports.submit(ExportRequest.of(ExportFormat.PARQUET, studies()).withForce(true));
    assertThat(forced.id()).isNotEqualTo(first.id());
    assertThat(forced.reused()).isFalse();
    ExportStatus other = exports.submit(ExportRequest.of(ExportFormat.NDJSON, studies()));
    assertThat(other.id()).as("another format").isNotEqualTo(first.id());

    // Another principal never gets the system's files; the same principal gets its own.
    Exports reader = exports.as("reader");
    ExportStatus readers = reader.submit(ExportRequest.of(ExportFormat.PARQUET, studies()));
    assertThat(readers.id()).isNotEqualTo(first.id()).isNotEqualTo(forced.id());
    awaitEnd(reader, readers.id());
    assertThat(reader.submit(ExportRequest.of(ExportFormat.PARQUET, studies())).id()).isEqualTo(readers.id());
    // A grant changes what the reader sees: its earlier export is not reused (a grant is a commit too).
    store.access().grant(new Grant("ds-b", "reader", Role.VIEWER));
    ExportStatus afterGrant = reader.submit(ExportRequest.of(ExportFormat.PARQUET, studies()));
    assertThat(afterGrant.id()).isNotEqualTo(readers.id());
    // The earlier export's files are not served any more: they were made under other rights.
    ExportStatus stale = reader.status(readers.id());
    assertThat(stale.state()).isEqualTo(ExportState.FINISHED);
    assertThat(stale.manifest().output()).allSatisfy(o -> assertThat(o.url()).isNull());
    assertThat(stale.error()).contains("rights have changed");
    assertThat(exports.status(readers.id()).manifest().output().get(0).url()).as("for an admin").isNotNull();
    // Even at a fixed past time, where the data are the same, new rights mean a new export.
    Instant past = readers.transactionTime();
    ExportStatus pastFirst = reader.submit(ExportRequest.of(ExportFormat.NDJSON, studies()).withAsOf(AsOf.at(past)));
    awaitEnd(reader, pastFirst.id());
    store.access().revokeGrant("ds-b", "reader");
    ExportStatus pastAgain = reader.submit(ExportRequest.of(ExportFormat.NDJSON, studies()).withAsOf(AsOf.at(past)));
    assertThat(pastAgain.id()).isNotEqualTo(pastFirst.id());
    assertThat(reader.status(readers.id()).error()).as("the rights of then are back").isNull();
    // New data: latest is another time, so another export.
    store.create(List.of(study("st-more", "pt-a", "more")));
    assertThat(exports.submit(ExportRequest.of(ExportFormat.PARQUET, studies())).id()).isNotEqualTo(first.id());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aFullQueueRefusesAJobWithATimeToRetry(String backend) throws Exception {
    open(backend, 1, 1);
    load(1000);
    ExportStatus running = submitHeld(ExportRequest.of(ExportFormat.NDJSON, studies()));
    ExportStatus queued = exports.submit(ExportRequest.of(ExportFormat.PARQUET, studies()));

    assertThatThrownBy(() -> exports.submit(ExportRequest.of(ExportFormat.NDJSON, studies()).withForce(true)))
        .isInstanceOf(ExportQueueFullException.class)
        .satisfies(e -> assertThat(((ExportQueueFullException) e).retryAfter().toSeconds()).isBetween(1L, 300L));
    assertThat(exports.list(100, null).exports()).as("nothing recorded").hasSize(2);
    // A reused job needs no room.
    assertThat(exports.submit(ExportRequest.of(ExportFormat.PARQUET, studies())).id()).isEqualTo(queued.id());
    holdAll.countDown();
    awaitEnd(exports, running.id());
    awaitEnd(exports, queued.id());
    ExportStatus later = exports.submit(ExportRequest.of(ExportFormat.NDJSON, studies()).withForce(true));
    assertThat(awaitEnd(exports, later.id()).state()).isEqualTo(ExportState.FINISHED);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aPrincipalExportsWhatItSeesAndSeesOnlyItsOwnJobs(String backend) throws Exception {
    open(backend, 2, 4);
    load(200);
    addReader();
    store.access().createPrincipal(Principal.of("other", "Other", AccessLevel.RESTRICTED));
    store.access().createPrincipal(new Principal("boss", "Boss", true, AccessLevel.RESTRICTED, false));

    Exports reader = exports.as("reader");
    ExportStatus job = reader.submit(ExportRequest.of(ExportFormat.PARQUET, studies()));
    ExportStatus done = awaitEnd(reader, job.id());

    assertThat(done.principalId()).isEqualTo("reader");
    Set<String> ids = new TreeSet<>(parquetIdentifiers(done.manifest().output().get(0)));
    assertThat(ids).hasSize(100).allSatisfy(id -> assertThat(Integer.parseInt(id.substring(3)) % 2).isZero());
    assertThatThrownBy(() -> exports.as("other").status(job.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> exports.as("other").delete(job.id())).isInstanceOf(NotFoundException.class);
    assertThat(exports.as("other").list(10, null).exports()).isEmpty();
    assertThat(exports.as("boss").status(job.id()).state()).isEqualTo(ExportState.FINISHED);
    assertThat(reader.list(10, null).exports()).extracting(ExportStatus::id).containsExactly(job.id());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theJobsAreListedNewestFirstAPageAtATime(String backend) throws Exception {
    open(backend, 1, 8);
    load(10);
    List<String> submitted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      submitted.add(exports.submit(ExportRequest.of(ExportFormat.NDJSON, studies()).withForce(true)).id());
    }
    for (String id : submitted) {
      awaitEnd(exports, id);
    }

    ExportPage first = exports.list(2, null);
    ExportPage second = exports.list(2, first.nextCursor());

    assertThat(first.exports()).extracting(ExportStatus::id).containsExactly(submitted.get(2), submitted.get(1));
    assertThat(first.limit()).isEqualTo(2);
    assertThat(second.exports()).extracting(ExportStatus::id).containsExactly(submitted.get(0));
    assertThat(second.nextCursor()).isNull();
    assertThat(first.exports()).allSatisfy(j -> assertThat(j.manifest().output()).isNotEmpty()
        .allSatisfy(o -> assertThat(o.url()).as("listings carry no presigned URL").isNull()));
    // A cursor belongs to its listing: everyone's is not a principal's.
    store.access().createPrincipal(Principal.of("other", "Other", AccessLevel.RESTRICTED));
    assertThatThrownBy(() -> exports.as("other").list(2, first.nextCursor())).isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).violations().get(0).field()).isEqualTo("cursor"));
    assertThatThrownBy(() -> exports.list(0, null)).isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).violations().get(0).field()).isEqualTo("limit"));
    assertThatThrownBy(() -> exports.list(2, "not-a-cursor")).isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).violations().get(0).field()).isEqualTo("cursor"));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aBadRequestNamesTheFieldAndRecordsNothing(String backend) {
    open(backend, 1, 1);
    load(5);
    Map<String, ExportRequest> bad = Map.of(
        "query.payload_type", ExportRequest.of(ExportFormat.PARQUET, QueryRequest.of("nothing").build()),
        "query[1].no_such_field", ExportRequest.of(ExportFormat.NDJSON, studies(),
            QueryRequest.of("patient").filter(Filter.eq("no_such_field", 1)).build()),
        "query.select_columns", ExportRequest.of(ExportFormat.PARQUET,
            QueryRequest.of("study").select("no_such_field").build()),
        "since", ExportRequest.of(ExportFormat.PARQUET, studies()).withSince(Instant.now().plusSeconds(3600)));
    bad.forEach((field, request) -> assertThatThrownBy(() -> exports.submit(request)).as(field)
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).violations().get(0).field()).startsWith(field)));
    assertThatThrownBy(() -> ExportRequest.of(ExportFormat.PARQUET, studies(), studies()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("query[1].payload_type");
    assertThatThrownBy(() -> ExportRequest.of(ExportFormat.PARQUET, QueryRequest.of("study").cursor("c").build()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("query.cursor");
    assertThat(exports.list(10, null).exports()).isEmpty();
  }
}
