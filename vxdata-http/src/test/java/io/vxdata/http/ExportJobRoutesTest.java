package io.vxdata.http;

import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.AccessLevel;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.access.Grant;
import io.vxdata.access.Principal;
import io.vxdata.access.Role;
import io.vxdata.exports.ExportFormat;
import io.vxdata.exports.ExportOptions;
import io.vxdata.exports.ExportRequest;
import io.vxdata.exports.ExportState;
import io.vxdata.exports.ExportStatus;
import io.vxdata.exports.Exports;
import io.vxdata.exports.ExportsClient;
import io.vxdata.jdbc.TestH2;
import io.vxdata.json.Json;
import io.vxdata.query.QueryRequest;
import io.vxdata.s3.EmbeddedS3;
import io.vxdata.s3.ObjectStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export job protocol over HTTP (docs/behaviour.md §14.5), against a real S3 API (S3Proxy in this
 * JVM), on a server that requires tokens: 202 and Location, polling, the manifest's presigned files,
 * HEAD, cancel, reuse, 429 with Retry-After, another principal's job, and bad requests.
 */
class ExportJobRoutesTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path dir;
  private VxData store;
  private EmbeddedS3 objects;
  private ObjectStorage storage;
  private Exports exports;
  private VxDataServer server;
  private RawHttp http;
  private String admin;
  private String viewer;
  private volatile CountDownLatch hold;
  private final CountDownLatch reached = new CountDownLatch(1);

  @BeforeEach
  void start() {
    store = TestH2.openFreshMemoryStore();
    objects = EmbeddedS3.startInMemory("vxdata");
    storage = ObjectStorage.connect(objects.settings());
    exports = Exports.open(store, storage, ExportOptions.defaults().withConcurrency(1, 1).withBatchRows(100)
        .withListener((id, done, total) -> {
          reached.countDown();
          CountDownLatch h = hold;
          try {
            if (h != null) {
              h.await();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        }));
    server = VxDataServer.start(store, storage, exports, HttpBackend.testServerOptions()
        .withAuthentication(Authentication.required()));
    http = new RawHttp(server.uri());
    store.create(List.of(datasource("ds-a"), datasource("ds-b")));
    store.create(List.of(patient("pt-a", "ds-a"), patient("pt-b", "ds-b")));
    List<NewResource> studies = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      studies.add(study(String.format("st-%04d", i), i % 3 == 0 ? "pt-b" : "pt-a", "u" + i));
    }
    store.create(studies);
    store.access().createPrincipal(new Principal("admin", "Admin", true, AccessLevel.RESTRICTED, false));
    store.access().createPrincipal(Principal.of("viewer", "Viewer", AccessLevel.RESTRICTED));
    store.access().grant(new Grant("ds-a", "viewer", Role.VIEWER));
    admin = store.access().issueToken("admin", null).secret();
    viewer = store.access().issueToken("viewer", null).secret();
  }

  @AfterEach
  void stop() {
    if (hold != null) {
      hold.countDown();
    }
    server.close();
    exports.close();
    storage.close();
    objects.close();
    store.close();
  }

  private HttpResponse<String> send(String token, String method, String path, String body) {
    return http.send(method, path, body, "Authorization", "Bearer " + token);
  }

  /** Polls GET /exports/{id} until the job has ended: at most 2,000 polls, 10 ms apart. */
  private JsonNode awaitEnd(String token, String location) throws InterruptedException {
    JsonNode status = RawHttp.json(send(token, "GET", location, null));
    for (int i = 0; i < 2000 && List.of("queued", "running").contains(status.path("status").asText()); i++) {
      Thread.sleep(10);
      status = RawHttp.json(send(token, "GET", location, null));
    }
    assertThat(status.path("status").asText()).as("ended: %s", status).isIn("finished", "failed", "cancelled");
    return status;
  }

  private static byte[] download(JsonNode output) throws Exception {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(output.path("url").asText())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat((long) r.body().length).isEqualTo(output.path("bytes").asLong());
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body())))
        .isEqualTo(output.path("sha256").asText());
    return r.body();
  }

  @Test
  void anExportIsAcceptedPolledAndDownloadedThroughItsManifest() throws Exception {
    HttpResponse<String> accepted = send(admin, "POST", "/exports", "{\"query\": [{\"payload_type\": \"study\","
        + " \"parent_identifier\": \"ds-a\", \"include_indirect_parents\": true}, {\"payload_type\": \"patient\"}],"
        + " \"format\": \"parquet\"}");

    assertThat(accepted.statusCode()).isEqualTo(202);
    String location = accepted.headers().firstValue("Location").orElseThrow();
    JsonNode body = RawHttp.json(accepted);
    assertThat(location).isEqualTo("/exports/" + body.path("id").asText());
    assertThat(body.path("status").asText()).isIn("queued", "running");
    JsonNode done = awaitEnd(admin, location);

    assertThat(done.path("status").asText()).isEqualTo("finished");
    assertThat(done.at("/progress/rows_done").asLong()).isEqualTo(done.at("/progress/rows_total").asLong())
        .isEqualTo(802);
    assertThat(done.at("/manifest/transaction_time").asText()).isEqualTo(Json.formatInstant(store.lastCommitTime()));
    JsonNode study = done.at("/manifest/output/0");
    assertThat(study.path("payload_type").asText()).isEqualTo("study");
    Path file = dir.resolve("study.parquet");
    Files.write(file, download(study));
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      assertThat(reader.getRecordCount()).isEqualTo(800);
    }
    assertThat(done.at("/manifest/deleted").size()).isZero();
    HttpResponse<String> head = send(admin, "HEAD", location, null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("VxData-Export-Status")).hasValue("finished");

    // The same request again: the same job, reused.
    HttpResponse<String> again = send(admin, "POST", "/exports", "{\"query\": [{\"payload_type\": \"study\","
        + " \"parent_identifier\": \"ds-a\", \"include_indirect_parents\": true}, {\"payload_type\": \"patient\"}]}");
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.headers().firstValue("Location")).hasValue(location);
    assertThat(RawHttp.json(again).path("reused").asBoolean()).isTrue();

    // Removing it removes its files.
    assertThat(send(admin, "DELETE", location, null).statusCode()).isEqualTo(204);
    assertThat(send(admin, "GET", location, null).statusCode()).isEqualTo(404);
    assertThat(send(admin, "HEAD", location, null).statusCode()).isEqualTo(404);
    assertThat(storage.list("s3://vxdata/exports/")).isEmpty();
  }

  @Test
  void anExportAtAReleaseReadsAtItsTime() throws Exception {
    java.time.Instant frozen = store.lastCommitTime();
    store.releases().create("2026-q4", io.vxdata.AsOf.at(frozen), "the freeze");
    store.create(List.of(study("st-late", "pt-a", "late")));

    HttpResponse<String> accepted = send(admin, "POST", "/exports", "{\"query\": {\"payload_type\": \"study\"},"
        + " \"format\": \"ndjson\", \"release\": \"2026-q4\"}");
    assertThat(accepted.statusCode()).isEqualTo(202);
    JsonNode done = awaitEnd(admin, accepted.headers().firstValue("Location").orElseThrow());

    assertThat(done.path("transaction_time").asText()).isEqualTo(Json.formatInstant(frozen));
    assertThat(done.at("/manifest/request/release").asText()).isEqualTo("2026-q4");
    assertThat(new String(download(done.at("/manifest/output/0")), StandardCharsets.UTF_8).lines()).hasSize(1200)
        .noneMatch(line -> line.contains("st-late"));
    HttpResponse<String> both = send(admin, "POST", "/exports", "{\"query\": {\"payload_type\": \"study\"},"
        + " \"release\": \"2026-q4\", \"as_of\": \"2026-01-01\"}");
    assertThat(RawHttp.json(both).at("/error/details/0/field").asText()).isEqualTo("release");
  }

  @Test
  void aViewersNdjsonExportHoldsWhatItSeesAndItsJobIsNobodyElses() throws Exception {
    HttpResponse<String> accepted = send(viewer, "POST", "/exports", "{\"query\": {\"payload_type\": \"study\"},"
        + " \"format\": \"ndjson\"}");
    assertThat(accepted.statusCode()).isEqualTo(202);
    String location = accepted.headers().firstValue("Location").orElseThrow();
    JsonNode done = awaitEnd(viewer, location);

    String text = new String(download(done.at("/manifest/output/0")), StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();
    assertThat(lines).hasSize(800);
    assertThat(lines).allSatisfy(line -> assertThat(Json.parse(line).path("parent_identifier").asText()).isEqualTo("pt-a"));
    assertThat(done.path("principal_id").asText()).isEqualTo("viewer");

    store.access().createPrincipal(Principal.of("other", "Other", AccessLevel.RESTRICTED));
    String other = store.access().issueToken("other", null).secret();
    assertThat(send(other, "GET", location, null).statusCode()).isEqualTo(404);
    assertThat(send(other, "HEAD", location, null).statusCode()).isEqualTo(404);
    assertThat(send(other, "DELETE", location, null).statusCode()).isEqualTo(404);
    assertThat(send(admin, "GET", location, null).statusCode()).as("an admin sees every job").isEqualTo(200);
    assertThat(send(viewer, "GET", "/exports/ex-unknown", null).statusCode()).isEqualTo(404);

    // Listings: the viewer's own jobs; nobody else's for "other"; everyone's for an admin.
    String id = location.substring("/exports/".length());
    send(admin, "POST", "/exports", "{\"query\": {\"payload_type\": \"patient\"}, \"format\": \"ndjson\"}");
    JsonNode mine = RawHttp.json(send(viewer, "GET", "/exports", null));
    assertThat(mine.path("exports")).extracting(j -> j.path("id").asText()).containsExactly(id);
    assertThat(mine.at("/exports/0/status").asText()).isEqualTo("finished");
    assertThat(mine.at("/exports/0/manifest/output/0").has("url")).as("no presigned URL in a listing").isFalse();
    assertThat(mine.at("/exports/0/manifest/output/0/rows").asLong()).isEqualTo(800);
    assertThat(RawHttp.json(send(other, "GET", "/exports", null)).path("exports")).isEmpty();
    JsonNode all = RawHttp.json(send(admin, "GET", "/exports?limit=1", null));
    assertThat(all.path("exports")).hasSize(1);
    assertThat(all.at("/exports/0/principal_id").asText()).as("newest first").isEqualTo("admin");
    JsonNode rest = RawHttp.json(send(admin, "GET", "/exports?limit=1&cursor=" + all.path("next_cursor").asText(),
        null));
    assertThat(rest.at("/exports/0/id").asText()).isEqualTo(id);
    assertThat(rest.path("next_cursor").isNull()).isTrue();
    for (String bad : List.of("limit=0", "limit=x", "cursor=nope", "colour=red")) {
      HttpResponse<String> r = send(viewer, "GET", "/exports?" + bad, null);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(RawHttp.json(r).at("/error/details/0/field").asText()).as(bad).isEqualTo(bad.split("=")[0]);
    }
  }

  @Test
  void aRunningJobIsCancelledAndAFullQueueAnswers429WithRetryAfter() throws Exception {
    hold = new CountDownLatch(1);
    HttpResponse<String> running = send(admin, "POST", "/exports", "{\"query\": {\"payload_type\": \"study\"}}");
    assertThat(reached.await(30, TimeUnit.SECONDS)).isTrue();
    String location = running.headers().firstValue("Location").orElseThrow();
    assertThat(send(admin, "HEAD", location, null).statusCode()).isEqualTo(202);
    HttpResponse<String> queued = send(admin, "POST", "/exports", "{\"query\": {\"payload_type\": \"study\"},"
        + " \"format\": \"ndjson\"}");
    assertThat(queued.statusCode()).isEqualTo(202);

    HttpResponse<String> full = send(admin, "POST", "/exports", "{\"query\": {\"payload_type\": \"patient\"}}");
    assertThat(full.statusCode()).isEqualTo(429);
    assertThat(full.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v))
        .isBetween(1L, 300L));
    assertThat(RawHttp.json(full).at("/error/type").asText()).isEqualTo("too_many_requests");

    HttpResponse<String> cancel = send(admin, "DELETE", location, null);
    assertThat(cancel.statusCode()).isEqualTo(202);
    assertThat(RawHttp.json(cancel).path("status").asText()).isEqualTo("cancelled");
    hold.countDown();
    assertThat(awaitEnd(admin, location).path("status").asText()).isEqualTo("cancelled");
    String second = queued.headers().firstValue("Location").orElseThrow();
    assertThat(awaitEnd(admin, second).path("status").asText()).isEqualTo("finished");
    assertThat(storage.list("s3://vxdata/exports/" + location.substring("/exports/".length()) + "/")).isEmpty();
  }

  @Test
  void theJavaClientSpeaksTheSameProtocol() throws Exception {
    Exports client = ExportsClient.connect(server.uri(), admin);
    ExportStatus job = client.submit(ExportRequest.of(ExportFormat.NDJSON, QueryRequest.of("patient").build()));
    ExportStatus done = client.status(job.id());
    for (int i = 0; i < 2000 && !done.state().ended(); i++) {
      Thread.sleep(10);
      done = client.status(job.id());
    }
    assertThat(done.state()).isEqualTo(ExportState.FINISHED);
    assertThat(done.manifest().output().get(0).rows()).isEqualTo(2);
    assertThat(done.manifest().transactionTime()).isEqualTo(job.transactionTime());
    assertThat(new String(download(Json.mapper().valueToTree(Map.of("url", done.manifest().output().get(0).url(),
        "bytes", done.manifest().output().get(0).bytes(), "sha256", done.manifest().output().get(0).sha256()))),
        StandardCharsets.UTF_8).lines()).hasSize(2);
    Exports asViewer = ExportsClient.connect(server.uri(), viewer);
    assertThatThrownBy(() -> asViewer.status(job.id())).isInstanceOf(NotFoundException.class);
    assertThat(client.list(null, null).exports()).extracting(ExportStatus::id).containsExactly(job.id());
    assertThat(asViewer.list(5, null).exports()).isEmpty();
    assertThatThrownBy(() -> client.submit(ExportRequest.of(ExportFormat.NDJSON, QueryRequest.of("nothing").build())))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).violations().get(0).field()).isEqualTo("query.payload_type"));
    assertThat(client.delete(job.id())).isEmpty();
    assertThatThrownBy(() -> client.status(job.id())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void aBadRequestIs400NamingTheFieldAndRecordsNothing() {
    String[][] cases = {
        {"{\"format\": \"csv\", \"query\": {\"payload_type\": \"study\"}}", "format"},
        {"{\"query\": {\"payload_type\": \"study\", \"cursor\": \"x\"}}", "query.cursor"},
        {"{\"query\": {\"payload_type\": \"study\", \"as_of\": \"2026-01-01\"}}", "query.as_of"},
        {"{\"query\": [{\"payload_type\": \"study\"}, {\"payload_type\": \"nothing\"}]}", "query[1].payload_type"},
        {"{\"query\": {\"payload_type\": \"study\", \"filters\": {\"field\": \"modality\", \"op\": \"~\","
            + " \"value\": 1}}}", "query.filters"},
        {"{\"query\": {\"payload_type\": \"study\"}, \"since\": \"yesterday\"}", "since"},
        {"{\"query\": {\"payload_type\": \"study\"}, \"as_of\": 5}", "as_of"},
        {"{\"query\": {\"payload_type\": \"study\"}, \"force\": \"yes\"}", "force"},
        {"{\"query\": {\"payload_type\": \"study\"}, \"release\": \"r1\"}", "release"},
        {"{\"query\": 3}", "query"},
        {"{}", "query"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = send(admin, "POST", "/exports", c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(RawHttp.json(r).at("/error/details/0/field").asText()).as(c[0]).startsWith(c[1]);
    }
    assertThat(send(admin, "POST", "/exports", "not json").statusCode()).isEqualTo(400);
    assertThat(exports.list(10, null).exports()).isEmpty();
  }
}
