package io.vxdata.http;

import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.AccessLevel;
import io.vxdata.VxData;
import io.vxdata.access.Grant;
import io.vxdata.access.IssuedToken;
import io.vxdata.access.Principal;
import io.vxdata.access.Role;
import io.vxdata.exports.ExportFormat;
import io.vxdata.exports.ExportOptions;
import io.vxdata.exports.ExportRequest;
import io.vxdata.exports.Exports;
import io.vxdata.jdbc.TestH2;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.s3.EmbeddedS3;
import io.vxdata.s3.ObjectStorage;
import io.vxdata.testkit.DrivenClock;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route of the OpenAPI document × every kind of caller (docs/behaviour.md §13.4, §13.5), on a
 * server that requires tokens: no token, a bad one, a revoked one, an expired one, a viewer of another
 * datasource, a viewer of the datasource whose clearance is below its resources, a viewer, an editor,
 * an owner, and an admin — each with the status it must get. A route of the document without a row
 * here fails the test. No token appears in any answer or log line.
 */
class AuthMatrixTest {

  /** The callers, in the order of each row's statuses. */
  static final List<String> CALLERS = List.of("none", "bad", "revoked", "expired", "elsewhere", "low", "viewer",
      "editor", "owner", "admin");

  /** How one route is called by one caller (its identifiers are the caller's own where the call changes state). */
  record Call(String method, String path, String body) {}

  /** A route's call per caller and expected statuses, one per caller; {@code X} is "neither 401 nor 403, below 500". */
  record Row(Function<String, Call> call, String statuses) {}

  private static final String OPEN = "200 200 200 200 200 200 200 200 200 200";
  private static final String ANY = "401 401 401 401 200 200 200 200 200 200";
  private static final String ADMIN = "401 401 401 401 403 403 403 403 403 200";

  /** The store's clock: it stands at the start, and the setup moves it an hour on, past a token's expiry. */
  private static final DrivenClock clock = new DrivenClock(Instant.now());
  private static VxData store;
  private static EmbeddedS3 objects;
  private static ObjectStorage storage;
  private static Exports exports;
  private static MicrometerMetrics metrics;
  private static VxDataServer server;
  private static final Map<String, String> tokens = new LinkedHashMap<>();
  private static final Map<String, String> targetTokens = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    store = VxDataStore.open(TestH2.freshMemoryOptions().withClock(clock));
    objects = EmbeddedS3.startInMemory("matrix");
    storage = ObjectStorage.connect(objects.settings());
    metrics = MicrometerMetrics.prometheus();
    exports = Exports.open(store, storage, ExportOptions.defaults().withConcurrency(2, 64));
    server = VxDataServer.start(store, storage, exports, HttpBackend.testServerOptions().withMetrics(metrics)
        .withAuthentication(Authentication.required()));

    store.create(List.of(datasource("ds-a"), datasource("ds-b")));
    store.create(List.of(patient("pt-a", "ds-a"), patient("pt-b", "ds-b"), io.vxdata.NewResource.builder("family", "fam-a")
        .parent("ds-a").build()));
    List<io.vxdata.NewResource> studies = new ArrayList<>();
    for (String c : CALLERS) {
      studies.add(study("st-" + c, "pt-a", "u-" + c));
      studies.add(study("st-del-" + c, "pt-a", "ud-" + c));
      studies.add(study("st-where-" + c, "pt-a", "w-" + c));
    }
    store.create(studies);
    store.delete(CALLERS.stream().map(c -> "st-del-" + c).toList());

    store.releases().create("rel-fixed", io.vxdata.AsOf.latest(), null);

    var access = store.access();
    access.createPrincipal(new Principal("admin", "Admin", true, AccessLevel.RESTRICTED, false));
    principal("elsewhere", AccessLevel.RESTRICTED, "ds-b", Role.VIEWER);
    principal("low", AccessLevel.PUBLIC, "ds-a", Role.VIEWER);
    principal("viewer", AccessLevel.RESTRICTED, "ds-a", Role.VIEWER);
    principal("editor", AccessLevel.RESTRICTED, "ds-a", Role.EDITOR);
    principal("owner", AccessLevel.RESTRICTED, "ds-a", Role.OWNER);
    principal("target", AccessLevel.INTERNAL, "ds-b", Role.VIEWER);
    for (String c : List.of("elsewhere", "low", "viewer", "editor", "owner", "admin")) {
      tokens.put(c, access.issueToken(c, null).secret());
    }
    tokens.put("bad", "x".repeat(43));
    IssuedToken revoked = access.issueToken("viewer", null);
    access.revokeToken(revoked.id());
    tokens.put("revoked", revoked.secret());
    IssuedToken expired = access.issueToken("viewer", clock.instant().plus(1, ChronoUnit.MINUTES));
    for (String c : CALLERS) {
      targetTokens.put(c, access.issueToken("target", null).id());
    }
    clock.set(clock.instant().plus(1, ChronoUnit.HOURS)); // past the expiry: no test waits for it
    tokens.put("expired", expired.secret());
  }

  private static void principal(String id, AccessLevel clearance, String datasource, Role role) {
    store.access().createPrincipal(Principal.of(id, id, clearance));
    store.access().grant(new Grant(datasource, id, role));
  }

  @AfterAll
  static void stop() {
    server.close();
    exports.close();
    storage.close();
    objects.close();
    metrics.close();
    store.close();
  }

  private static Call get(String path) {
    return new Call("GET", path, null);
  }

  private static Call post(String path, String body) {
    return new Call("POST", path, body);
  }

  /** The rows: every route of the document. */
  static Map<String, Row> rows() {
    Map<String, Row> rows = new LinkedHashMap<>();
    // open routes
    rows.put("get /health", new Row(c -> get("/health"), OPEN));
    rows.put("get /openapi.json", new Row(c -> get("/openapi.json"), OPEN));
    rows.put("get /", new Row(c -> get("/"), "302 302 302 302 302 302 302 302 302 302"));
    rows.put("get /docs", new Row(c -> get("/docs"), OPEN));
    rows.put("get /docs/{file}", new Row(c -> get("/docs/swagger-ui.css"), OPEN));
    rows.put("get /metrics", new Row(c -> get("/metrics"), OPEN));
    // resources
    rows.put("post /resources/create", new Row(c -> post("/resources/create", "{\"resources\":[{\"identifier\":"
        + "\"st-new-" + c + "\",\"payload_type\":\"study\",\"parent_identifier\":\"pt-a\",\"external_uid\":\"n-" + c
        + "\"}]}"), "401 401 401 401 400 400 403 200 200 200"));
    rows.put("post /resources/read", new Row(c -> post("/resources/read", "{\"identifiers\":[\"st-" + c + "\"]}"),
        ANY));
    rows.put("post /resources/update", new Row(c -> post("/resources/update", "{\"updates\":{\"st-" + c
        + "\":{\"modality\":\"MR\"}}}"), "401 401 401 401 404 404 403 200 200 200"));
    rows.put("post /resources/delete", new Row(c -> post("/resources/delete", "{\"identifiers\":[\"st-" + c + "\"]}"),
        "401 401 401 401 404 404 403 200 200 200"));
    rows.put("post /resources/restore", new Row(c -> post("/resources/restore", "{\"identifiers\":[\"st-del-" + c
        + "\"]}"), "401 401 401 401 404 404 403 200 200 200"));
    // writes by filter: each caller's own study (its external uid); 'elsewhere' and 'low' see none, so nothing is written
    rows.put("post /resources/update-where", new Row(c -> post("/resources/update-where", "{\"payload_type\":\"study\","
        + "\"filter\":{\"field\":\"external_uid\",\"op\":\"=\",\"value\":\"u-" + c + "\"},\"set\":{\"modality\":"
        + "\"PET\"},\"expect_at_most\":1}"), "401 401 401 401 200 200 403 200 200 200"));
    rows.put("post /resources/delete-where", new Row(c -> post("/resources/delete-where", "{\"payload_type\":\"study\","
        + "\"filter\":{\"field\":\"external_uid\",\"op\":\"=\",\"value\":\"w-" + c + "\"},\"expect_at_most\":1}"),
        "401 401 401 401 200 200 403 200 200 200"));
    // queries and reads
    rows.put("post /query", new Row(c -> post("/query", "{\"payload_type\":\"study\"}"), ANY));
    rows.put("post /query/count", new Row(c -> post("/query/count", "{\"payload_type\":\"study\"}"), ANY));
    rows.put("post /query/parquet", new Row(c -> post("/query/parquet", "{\"payload_type\":\"study\"}"), ANY));
    // the GET forms (docs/behaviour.md §15.4): the same reads, by URL
    rows.put("get /resources/{identifier}", new Row(c -> get("/resources/st-viewer"),
        "401 401 401 401 404 404 200 200 200 200"));
    rows.put("get /query", new Row(c -> get("/query?payload_type=study&external_uid=like.u-%25&order=study_date.desc"),
        ANY));
    rows.put("get /query/count", new Row(c -> get("/query/count?payload_type=study"), ANY));
    rows.put("get /query/parquet", new Row(c -> get("/query/parquet?payload_type=study&limit=5"), ANY));
    rows.put("head /query/parquet", new Row(c -> new Call("HEAD", "/query/parquet?payload_type=study", null), ANY));
    rows.put("get /parents/{identifier}", new Row(c -> get("/parents/st-viewer"),
        "401 401 401 401 404 404 200 200 200 200"));
    rows.put("get /resources/{identifier}/history", new Row(c -> get("/resources/st-viewer/history"),
        "401 401 401 401 404 404 200 200 200 200"));
    // the change feed shows every caller the versions it may see (none of them for "elsewhere")
    rows.put("get /changes", new Row(c -> get("/changes?limit=10"), ANY));
    rows.put("get /datasources/stats", new Row(c -> get("/datasources/stats"), ANY));
    rows.put("get /datasources/detailed-stats", new Row(c -> get("/datasources/detailed-stats"), ANY));
    rows.put("get /schemas", new Row(c -> get("/schemas"), ANY));
    rows.put("put /schemas/{name}", new Row(c -> new Call("PUT", "/schemas/matrix_" + c,
        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}"), ADMIN));
    // registrations
    rows.put("post /patients/register", new Row(c -> post("/patients/register",
        "{\"datasource_id\":\"ds-a\",\"external_uid\":\"ext-" + c + "\"}"), "401 401 401 401 404 404 403 200 200 200"));
    rows.put("post /patients/resolve", new Row(c -> post("/patients/resolve",
        "{\"datasource_id\":\"ds-a\",\"external_uid\":\"uid-pt-a\"}"), "401 401 401 401 404 404 200 200 200 200"));
    rows.put("post /studies/register", new Row(c -> post("/studies/register",
        "{\"patient_identifier\":\"pt-a\",\"external_uid\":\"reg-" + c + "\"}"),
        "401 401 401 401 404 404 403 200 200 200"));
    rows.put("post /studies/resolve", new Row(c -> post("/studies/resolve",
        "{\"patient_identifier\":\"pt-a\",\"external_uid\":\"u-viewer\"}"), "401 401 401 401 404 404 200 200 200 200"));
    // object storage: admins only (the bucket is not divided by datasource); its configuration, any caller
    rows.put("get /s3/config", new Row(c -> get("/s3/config"), ANY));
    rows.put("post /s3/presign", new Row(c -> post("/s3/presign",
        "{\"direction\":\"upload\",\"group\":\"scans\",\"filename\":\"a.dcm\"}"), ADMIN));
    rows.put("post /s3/presign/batch", new Row(c -> post("/s3/presign/batch",
        "{\"direction\":\"upload\",\"items\":[{\"group\":\"scans\",\"filename\":\"a.dcm\"}]}"), ADMIN));
    rows.put("post /s3/presign/upload-dir", new Row(c -> post("/s3/presign/upload-dir",
        "{\"group\":\"series\",\"relpaths\":[\"a/b.dcm\"]}"), ADMIN));
    rows.put("get /s3/list", new Row(c -> get("/s3/list?prefix=s3://matrix/scans/"), ADMIN));
    rows.put("get /s3/parquet", new Row(c -> get("/s3/parquet?path=s3://matrix/none.parquet"),
        "401 401 401 401 403 403 403 403 403 X"));
    // access administration
    rows.put("get /whoami", new Row(c -> get("/whoami"), ANY));
    rows.put("post /principals", new Row(c -> post("/principals", "{\"id\":\"new-" + c + "\",\"clearance\":\"internal\"}"),
        "401 401 401 401 403 403 403 403 403 200"));
    rows.put("get /principals", new Row(c -> get("/principals"), "401 401 401 401 403 403 403 403 403 200"));
    rows.put("patch /principals/{id}", new Row(c -> new Call("PATCH", "/principals/target", "{\"clearance\":\"internal\"}"),
        "401 401 401 401 403 403 403 403 403 200"));
    rows.put("post /principals/{id}/tokens", new Row(c -> post("/principals/target/tokens", "{}"),
        "401 401 401 401 403 403 403 403 403 200"));
    rows.put("get /principals/{id}/tokens", new Row(c -> get("/principals/target/tokens"),
        "401 401 401 401 403 403 403 403 403 200"));
    rows.put("delete /tokens/{id}", new Row(c -> new Call("DELETE", "/tokens/" + targetTokens.get(c), null),
        "401 401 401 401 404 404 404 404 404 200"));
    rows.put("get /datasources/{id}/grants", new Row(c -> get("/datasources/ds-a/grants"),
        "401 401 401 401 404 403 403 403 200 200"));
    rows.put("put /datasources/{id}/grants", new Row(c -> new Call("PUT", "/datasources/ds-a/grants",
        "{\"principal_id\":\"target\",\"role\":\"viewer\"}"), "401 401 401 401 404 403 403 403 200 200"));
    rows.put("delete /datasources/{id}/grants", new Row(c -> new Call("DELETE",
        "/datasources/ds-a/grants?principal_id=target", null), "401 401 401 401 404 403 403 403 200 200"));
    rows.put("get /transactions", new Row(c -> get("/transactions?limit=10"), ANY));
    // releases (docs/behaviour.md §14.4): names and times only, so any principal reads them
    rows.put("post /releases", new Row(c -> post("/releases", "{\"name\":\"rel-" + c + "\"}"),
        "401 401 401 401 403 403 403 403 403 201"));
    rows.put("get /releases", new Row(c -> get("/releases?limit=1"), ANY));
    rows.put("get /releases/{name}", new Row(c -> get("/releases/rel-fixed"), ANY));
    // relations (docs/behaviour.md §15.1): registering needs an admin; links need editor on both ends
    rows.put("get /relations", new Row(c -> get("/relations"), ANY));
    rows.put("post /relations", new Row(c -> post("/relations", "{\"name\":\"rel_" + c + "\",\"source_type\":\"study\","
        + "\"target_type\":\"study\",\"targets_per_source\":\"many\",\"sources_per_target\":\"many\"}"), ADMIN));
    rows.put("post /links/attach", new Row(c -> post("/links/attach", "{\"links\":[{\"relation\":\"member_of\","
        + "\"from\":\"pt-a\",\"to\":\"fam-a\"}]}"), "401 401 401 401 404 404 403 200 200 200"));
    rows.put("post /links/detach", new Row(c -> post("/links/detach", "{\"links\":[{\"relation\":\"member_of\","
        + "\"from\":\"pt-a\",\"to\":\"fam-a\"}]}"), "401 401 401 401 404 404 403 200 200 200"));
    // export jobs: any caller exports what it sees; a job is its submitter's (and the admins'), 404 to others
    rows.put("post /exports", new Row(c -> post("/exports", "{\"query\":{\"payload_type\":\"study\"},"
        + "\"format\":\"ndjson\"}"), "401 401 401 401 202 202 202 202 202 202"));
    rows.put("get /exports", new Row(c -> get("/exports?limit=5"), ANY));
    rows.put("get /exports/{id}", new Row(c -> get("/exports/" + ownerJob()), "401 401 401 401 404 404 404 404 200 200"));
    rows.put("head /exports/{id}", new Row(c -> new Call("HEAD", "/exports/" + ownerJob(), null),
        "401 401 401 401 404 404 404 404 X X"));
    rows.put("delete /exports/{id}", new Row(c -> new Call("DELETE", "/exports/" + ownerJob(c), null),
        "401 401 401 401 404 404 404 404 X X"));
    return rows;
  }

  /** A job of the principal {@code owner}'s, made once. */
  private static String ownerJob() {
    return ownerJob("shared");
  }

  private static final Map<String, String> ownerJobs = new java.util.concurrent.ConcurrentHashMap<>();

  /** A job of the principal {@code owner}'s per key: a DELETE removes its own. */
  private static String ownerJob(String key) {
    return ownerJobs.computeIfAbsent(key, k -> exports.as("owner").submit(ExportRequest.of(ExportFormat.NDJSON,
        io.vxdata.query.QueryRequest.of("patient").build()).withForce(true)).id());
  }

  @Test
  void everyRouteAnswersEveryCallerAsTheRowSays() throws Exception {
    JsonNode document = RawHttp.json(new RawHttp(server.uri()).get("/openapi.json"));
    List<String> documented = new ArrayList<>();
    document.path("paths").properties().forEach(path -> path.getValue().fieldNames()
        .forEachRemaining(method -> documented.add(method + " " + path.getKey())));
    Map<String, Row> rows = rows();
    assertThat(rows.keySet()).as("a row for every route of the OpenAPI document, and no other")
        .containsExactlyInAnyOrderElementsOf(documented);

    RawHttp http = new RawHttp(server.uri());
    List<String> wrong = new ArrayList<>();
    List<String> answers = new ArrayList<>();
    try (CapturedLog log = CapturedLog.of(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.INFO)) {
      for (Map.Entry<String, Row> e : rows.entrySet()) {
        String[] expected = e.getValue().statuses().split(" ");
        assertThat(expected).as(e.getKey()).hasSize(CALLERS.size());
        for (int i = 0; i < CALLERS.size(); i++) {
          String caller = CALLERS.get(i);
          Call call = e.getValue().call().apply(caller);
          String token = tokens.get(caller);
          HttpResponse<String> r = token == null ? http.send(call.method(), call.path(), call.body())
              : http.send(call.method(), call.path(), call.body(), "Authorization", "Bearer " + token);
          answers.add(r.body());
          int status = r.statusCode();
          boolean ok = expected[i].equals("X") ? status != 401 && status != 403 && status < 500
              : status == Integer.parseInt(expected[i]);
          if (!ok) {
            wrong.add(e.getKey() + " as " + caller + ": " + status + ", expected " + expected[i] + " "
                + r.body().substring(0, Math.min(200, r.body().length())));
          }
          if (status == 401) {
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(e.getKey() + " " + caller).get()
                .asString().startsWith("Bearer");
            if (!call.method().equals("HEAD")) { // a HEAD answer has no body
              assertThat(RawHttp.json(r).at("/error/type").asText()).isEqualTo("unauthenticated");
            }
          }
          if (status == 403) {
            assertThat(RawHttp.json(r).at("/error/type").asText()).isEqualTo("forbidden");
          }
        }
      }
      List<String> logged = log.messages();
      for (String caller : CALLERS) {
        String token = tokens.get(caller);
        if (token != null) {
          assertThat(logged).as("log lines").noneMatch(line -> line.contains(token));
          assertThat(answers).as("answers").noneMatch(body -> body != null && body.contains(token));
        }
      }
      assertThat(logged).as("the request log names the principal").anyMatch(l -> l.endsWith("principal=editor"));
    }
    assertThat(wrong).as("routes answering a caller otherwise than their row says").isEmpty();
  }

  @Test
  void aTokenMayBeSentInAnyCaseOfTheSchemeButNothingElse() {
    RawHttp http = new RawHttp(server.uri());
    String viewer = tokens.get("viewer");
    assertThat(http.send("GET", "/whoami", null, "Authorization", "bearer " + viewer).statusCode()).isEqualTo(200);
    for (String header : List.of("Basic " + viewer, "Bearer", "Bearer " + viewer + " extra", viewer, "Bearer  ")) {
      HttpResponse<String> r = http.send("GET", "/whoami", null, "Authorization", header);
      assertThat(r.statusCode()).as(header).isEqualTo(401);
      assertThat(r.body()).doesNotContain(viewer);
    }
    assertThat(http.send("GET", "/whoami", null, "Authorization", "Bearer " + viewer, Authenticator.ACT_AS, "admin")
        .statusCode()).as("only the served handle acts for others").isEqualTo(403);
  }
}
