package io.vxdata.bench;

import static io.vxdata.bench.PathTimer.interleave;
import static io.vxdata.bench.PathTimer.time;

import io.vxdata.NewResource;
import io.vxdata.Resource;
import io.vxdata.VxData;
import io.vxdata.client.VxDataClient;
import io.vxdata.http.ServerOptions;
import io.vxdata.http.VxDataServer;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.json.Json;
import io.vxdata.json.QueryJson;
import io.vxdata.json.ResourceJson;
import io.vxdata.parquet.ParquetExport;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The HTTP server and SDK client (issue 4): a store of {@code --http-rows} studies (the query
 * scenario's corpus at that size) served by {@link VxDataServer} on a loopback port, and a
 * {@link VxDataClient} to it. (a) {@code read} of 1,000 identifiers and (b) the first query page
 * through the client beside the same calls on the store in-process, interleaved, medians, goal
 * client ≤ 2 × in-process; (c) sustained {@code POST /resources/read} of 10 identifiers with
 * {@code --http-clients} concurrent {@code java.net.http} clients for {@code --http-seconds}, beside
 * the same reads in-process from as many threads; (d) bulk create through the client beside the same
 * creates in-process, and (e) a Parquet export through {@code POST /query/parquet} beside the same
 * export in-process, goal ≥ 0.7 × the in-process rate (issue 16 §6).
 */
final class HttpScenario implements Scenario {

  static final double GOAL = 2.0;
  /** Bulk create and Parquet export over HTTP: at least this share of the in-process rate (issue 16 §6). */
  static final double HTTP_RATE_GOAL = 0.7;
  static final int READ_IDS = 1_000;
  static final int PAGE_LIMIT = 100;
  static final int IDS_PER_REQUEST = 10;
  static final int READ_WARMUP = 50;
  static final int READ_REPS = 31;
  static final int PAGE_WARMUP = 300;
  static final int PAGE_REPS = 51;
  static final int SUSTAINED_WARMUP_SECONDS = 3;

  @Override
  public String key() {
    return "http";
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public String describe(BenchOptions o) {
    return String.format(Locale.ROOT, "%,d studies (query corpus) loaded through VxData.create; VxDataServer on"
        + " 127.0.0.1 port 0 over that store, VxDataClient to it; (a) read of %,d identifiers and (b) first query"
        + " page (limit %d) through the client vs in-process on the same store, interleaved (first path"
        + " alternating), medians of %d / %d runs after %d / %d untimed; (c) POST /resources/read of %d random"
        + " identifiers, %d concurrent java.net.http clients (one HttpClient each, HTTP/1.1) for %d s after %d s"
        + " untimed, beside the same reads in-process from %d threads; (d) %,d new studies created through the"
        + " client and %,d in-process, %,d per call, alternating; (e) every study exported to Parquet through"
        + " POST /query/parquet and in-process", o.httpRows(), READ_IDS, PAGE_LIMIT,
        READ_REPS, PAGE_REPS, READ_WARMUP, PAGE_WARMUP, IDS_PER_REQUEST, o.httpClients(), o.httpSeconds(),
        SUSTAINED_WARMUP_SECONDS, o.httpClients(), o.httpCreateRows(), o.httpCreateRows(), o.httpCreateBatch());
  }

  @Override
  public String tableHeader() {
    return String.format("%-11s %-46s %12s  %-26s %12s %6s %7s  %s", "backend", "measurement", "value", "against",
        "value", "ratio", "goal", "verdict");
  }

  private static String row(String backend, String measurement, String value, String against, String reference,
      double ratio, double goal, boolean same) {
    String verdict = goal <= 0 ? "info" : ratio <= goal ? "met" : "BELOW";
    return String.format(Locale.ROOT, "%-11s %-46s %12s  %-26s %12s %6.2f %7s  %s%s", backend, measurement, value,
        against, reference, ratio, goal <= 0 ? "-" : String.format(Locale.ROOT, "<=%.2f", goal), verdict,
        same ? "" : " MISMATCH");
  }

  @Override
  public Result run(Backend backend, BenchOptions options) throws Exception {
    boolean pg = backend.name().equals("postgresql");
    List<String> notes = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    StudyCorpus corpus = new StudyCorpus("h", options.httpRows());
    Backend.Database fresh = backend.freshDatabase("http");
    // As in the query scenario: H2 would otherwise answer a repeated identical statement from its
    // result cache; both paths go through the same store, so this only keeps the denominator honest.
    Backend.Database db = pg ? fresh : new Backend.Database(fresh.jdbcUrl() + ";OPTIMIZE_REUSE_RESULTS=FALSE",
        fresh.user(), fresh.password());
    if (!pg) {
      notes.add("H2 URL adds OPTIMIZE_REUSE_RESULTS=FALSE (see the query scenario)");
    }
    try (VxData vx = VxDataStore.open(db.storeOptions())) {
      BenchMain.progress("%s: http: loading %,d studies", backend.name(), corpus.studies());
      notes.add(corpus.load(vx, options.batch(), backend.name() + ": http"));
      List<String> tables = new ArrayList<>();
      vx.payloadTypes().keySet().forEach(t -> {
        tables.add("vxc_" + t);
        tables.add("vxh_" + t);
      });
      notes.add(QueryScenario.maintenance(backend, db, tables, pg, true, "after the load"));

      try (VxDataServer server = VxDataServer.start(vx, ServerOptions.defaults().withHost("127.0.0.1").withPort(0)
          .withAuthentication(io.vxdata.http.Authentication.off(null)));
          VxDataClient client = VxDataClient.builder(server.uri()).build()) {
        notes.add("server " + server.uri() + " (Javalin/Jetty defaults) over the same store object the in-process"
            + " path calls (pool of " + io.vxdata.jdbc.StoreOptions.DEFAULT_POOL_SIZE + " connections); load"
            + " generator, server and database share the machine's " + Runtime.getRuntime().availableProcessors()
            + " cores");

        // ---- (a) read of 1,000 identifiers ----
        List<String> ids = new ArrayList<>(READ_IDS);
        int stride = Math.max(1, corpus.studies() / READ_IDS);
        for (int i = 0; i < READ_IDS; i++) {
          ids.add(corpus.study((i * stride + 7 * i) % corpus.studies()).identifier());
        }
        BenchMain.progress("%s: http: (a) read of %,d identifiers", backend.name(), READ_IDS);
        List<Resource> local = vx.read(ids).value();
        List<Resource> remote = client.read(ids).value();
        boolean readSame = summary(local).equals(summary(remote));
        notes.add("(a) in-process and client reads returned " + local.size() + " / " + remote.size()
            + " resources; identifiers, versions and update times " + (readSame ? "identical" : "DIFFER")
            + "; whole Resource values " + (local.equals(remote) ? "equal" : "not equal (equals())"));
        check(local.size() == READ_IDS, "read returned " + local.size() + " resources, not " + READ_IDS);
        long[][] a = interleave(() -> vx.read(ids).value(), () -> client.read(ids).value(), READ_WARMUP, READ_REPS);
        notes.add("(a) client " + Stats.describe(a[1]) + "; in-process " + Stats.describe(a[0]));
        double ra = Stats.medianMs(a[1]) / Stats.medianMs(a[0]);
        rows.add(row(backend.name(), "(a) read of 1,000 identifiers, client", ms(a[1]), "in-process read",
            ms(a[0]), ra, GOAL, readSame));

        // ---- (b) first query page ----
        QueryRequest page = QueryRequest.of("study").limit(PAGE_LIMIT).build();
        QueryPage lp = vx.query(page);
        QueryPage rp = client.query(page);
        boolean pageSame = summary(lp.results()).equals(summary(rp.results()));
        notes.add("(b) first page: " + lp.results().size() + " / " + rp.results().size() + " resources, "
            + (pageSame ? "identical" : "DIFFERENT") + " identifiers and versions");
        BenchMain.progress("%s: http: (b) first query page", backend.name());
        long[][] b = interleave(() -> vx.query(page), () -> client.query(page), PAGE_WARMUP, PAGE_REPS);
        notes.add("(b) client " + Stats.describe(b[1]) + "; in-process " + Stats.describe(b[0]));
        double rb = Stats.medianMs(b[1]) / Stats.medianMs(b[0]);
        rows.add(row(backend.name(), "(b) query page 1 (limit 100), client", ms(b[1]), "in-process query",
            ms(b[0]), rb, GOAL, pageSame));

        // ---- where the client's extra time goes (info rows) ----
        BenchMain.progress("%s: http: breakdown of the client's overhead", backend.name());
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest healthRequest = HttpRequest.newBuilder(server.uri().resolve("/health")).GET().build();
        long[] floor = alone(() -> plain.send(healthRequest, HttpResponse.BodyHandlers.discarding()), PAGE_WARMUP,
            PAGE_REPS);
        java.util.Map<String, io.vxdata.schema.PayloadType> types = vx.payloadTypes();
        byte[] pageJson = Json.write(QueryJson.toJson(lp));
        long[] pageEncode = alone(() -> Json.write(QueryJson.toJson(lp)), PAGE_WARMUP, PAGE_REPS);
        long[] pageDecode = alone(() -> QueryJson.pageFromJson(Json.parse(pageJson), lp.asOf(), null, types::get),
            PAGE_WARMUP, PAGE_REPS);
        byte[] readJson = Json.write(ResourceJson.toJson(local));
        long[] readEncode = alone(() -> Json.write(ResourceJson.toJson(local)), READ_WARMUP, READ_REPS);
        long[] readDecode = alone(() -> ResourceJson.listFromJson(Json.parse(readJson), types::get), READ_WARMUP,
            READ_REPS);
        // What the client itself pays: an empty read through it (its transport, the route, a 2-byte answer), and
        // the page and the 1,000 resources encoded straight to bytes and read straight into resources, as the
        // server and client now do (the two rows above them: through Jackson trees, as they did before).
        long[] emptyRead = alone(() -> client.read(List.of()), PAGE_WARMUP, PAGE_REPS);
        long[] pageStream = alone(() -> streamed(g -> QueryJson.write(g, lp)), PAGE_WARMUP, PAGE_REPS);
        long[] pageParse = alone(() -> QueryJson.pageFromJson(pageJson, lp.asOf(), null, types::get), PAGE_WARMUP,
            PAGE_REPS);
        long[] readStream = alone(() -> streamed(g -> ResourceJson.write(g, local)), READ_WARMUP, READ_REPS);
        long[] readParse = alone(() -> ResourceJson.listFromJson(readJson, types::get), READ_WARMUP, READ_REPS);
        rows.add(info(backend.name(), "    GET /health round trip (HTTP floor)", floor));
        rows.add(info(backend.name(), "    empty read through the client (its floor)", emptyRead));
        rows.add(info(backend.name(), "    (b) page JSON streamed encode", pageStream));
        rows.add(info(backend.name(), "    (b) page JSON streamed decode", pageParse));
        rows.add(info(backend.name(), "    (a) 1,000 resources streamed encode", readStream));
        rows.add(info(backend.name(), "    (a) 1,000 resources streamed decode", readParse));
        rows.add(info(backend.name(), "    (b) page JSON encode, tree (" + pageJson.length / 1024 + " KiB)", pageEncode));
        rows.add(info(backend.name(), "    (b) page JSON decode, tree", pageDecode));
        rows.add(info(backend.name(), "    (a) 1,000 resources encode, tree (" + readJson.length / 1024 + " KiB)",
            readEncode));
        rows.add(info(backend.name(), "    (a) 1,000 resources decode, tree", readDecode));
        notes.add("breakdown, streamed (as server and client now do): empty read through the client "
            + Stats.describe(emptyRead) + "; page encode " + Stats.describe(pageStream) + ", decode "
            + Stats.describe(pageParse) + "; 1,000 resources encode " + Stats.describe(readStream) + ", decode "
            + Stats.describe(readParse));
        notes.add("breakdown (each timed alone, medians): GET /health (java.net.http) " + Stats.describe(floor)
            + "; page JSON encode (trees) "
            + Stats.describe(pageEncode) + ", decode " + Stats.describe(pageDecode) + "; 1,000-resource JSON encode "
            + Stats.describe(readEncode) + ", decode " + Stats.describe(readDecode));

        // ---- (c) sustained POST /resources/read ----
        String[] bodies = new String[4096];
        SplittableRandom random = new SplittableRandom(42);
        List<List<String>> idSets = new ArrayList<>(bodies.length);
        for (int k = 0; k < bodies.length; k++) {
          List<String> set = new ArrayList<>(IDS_PER_REQUEST);
          StringBuilder sb = new StringBuilder("{\"identifiers\":[");
          while (set.size() < IDS_PER_REQUEST) { // distinct: read answers each resource once
            String id = corpus.study(random.nextInt(corpus.studies())).identifier();
            if (!set.contains(id)) {
              sb.append(set.isEmpty() ? "" : ",").append('"').append(id).append('"');
              set.add(id);
            }
          }
          bodies[k] = sb.append("]}").toString();
          idSets.add(set);
        }
        URI readUri = server.uri().resolve("/resources/read");
        int clients = options.httpClients();
        HttpClient[] https = new HttpClient[clients];
        for (int k = 0; k < clients; k++) {
          https[k] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10)).build();
        }
        // one sanity check of the raw route
        HttpResponse<String> probe = https[0].send(HttpRequest.newBuilder(readUri)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(bodies[0])).build(),
            HttpResponse.BodyHandlers.ofString());
        int found = probe.body().split("\"identifier\"", -1).length - 1;
        check(probe.statusCode() == 200 && found == IDS_PER_REQUEST, "POST /resources/read answered "
            + probe.statusCode() + " with " + found + " resources");
        notes.add("(c) POST /resources/read checked once: 200, " + found + " resources, VxData-As-Of "
            + probe.headers().firstValue(VxDataServer.AS_OF_HEADER).orElse("MISSING") + ", "
            + probe.body().length() + " bytes of JSON");

        Worker httpWorker = (k, i) -> {
          HttpResponse<byte[]> response = https[k].send(HttpRequest.newBuilder(readUri)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(bodies[i % bodies.length])).build(),
              HttpResponse.BodyHandlers.ofByteArray());
          return response.statusCode() == 200 && response.body().length > 2;
        };
        Worker localWorker = (k, i) -> vx.read(idSets.get(i % bodies.length)).value().size() == IDS_PER_REQUEST;
        BenchMain.progress("%s: http: (c) %d clients, %d s untimed + %d s timed, over HTTP", backend.name(), clients,
            SUSTAINED_WARMUP_SECONDS, options.httpSeconds());
        sustained(httpWorker, clients, SUSTAINED_WARMUP_SECONDS, null);
        Load remoteLoad = sustained(httpWorker, clients, options.httpSeconds(), null);
        BenchMain.progress("%s: http: (c) the same reads in-process, %d threads", backend.name(), clients);
        sustained(localWorker, clients, SUSTAINED_WARMUP_SECONDS, null);
        Load localLoad = sustained(localWorker, clients, options.httpSeconds(), null);
        notes.add("(c) over HTTP: " + remoteLoad.describe() + "; in-process: " + localLoad.describe());
        String label = String.format(Locale.ROOT, "(c) /resources/read x%d ids, %d clients", IDS_PER_REQUEST, clients);
        rows.add(row(backend.name(), label + ": req/s",
            String.format(Locale.ROOT, "%,.0f", remoteLoad.perSecond()), "in-process, " + clients + " threads",
            String.format(Locale.ROOT, "%,.0f", localLoad.perSecond()), remoteLoad.perSecond() / localLoad.perSecond(),
            0, remoteLoad.errors == 0));
        rows.add(row(backend.name(), label + ": p50 ms", String.format(Locale.ROOT, "%.2f", remoteLoad.p(50)),
            "in-process p50 ms", String.format(Locale.ROOT, "%.2f", localLoad.p(50)),
            remoteLoad.p(50) / localLoad.p(50), 0, true));
        rows.add(row(backend.name(), label + ": p99 ms", String.format(Locale.ROOT, "%.2f", remoteLoad.p(99)),
            "in-process p99 ms", String.format(Locale.ROOT, "%.2f", localLoad.p(99)),
            remoteLoad.p(99) / localLoad.p(99), 0, true));

        // ---- (d) bulk create through the client vs in-process ----
        bulkCreate(backend.name(), vx, client, corpus, options, rows, notes);

        // ---- (e) Parquet export over HTTP vs in-process ----
        parquetExport(backend.name(), vx, server.uri(), rows, notes);
      }
    }
    return new Result(backend.name(), rows, notes);
  }

  /**
   * (d) {@code --http-create-rows} new studies through {@link VxDataClient#create} and as many through
   * {@link VxData#create} on the store, under the corpus's patients, in calls of {@code --http-create-batch},
   * the two paths alternating call by call (first path alternating), after one untimed call of each.
   */
  private static void bulkCreate(String backend, VxData vx, VxDataClient client, StudyCorpus corpus,
      BenchOptions options, List<String> rows, List<String> notes) {
    int total = options.httpCreateRows();
    int batch = Math.min(options.httpCreateBatch(), total);
    BenchMain.progress("%s: http: (d) bulk create, %,d studies per path in calls of %,d", backend, total, batch);
    vx.create(newStudies(corpus, "lw", 0, batch));
    client.create(newStudies(corpus, "rw", 0, batch));
    long local = 0;
    long remote = 0;
    int calls = 0;
    for (int from = 0; from < total; from += batch, calls++) {
      int to = Math.min(total, from + batch);
      List<NewResource> mine = newStudies(corpus, "l", from, to);
      List<NewResource> theirs = newStudies(corpus, "r", from, to);
      if (calls % 2 == 0) {
        local += nanos(() -> vx.create(mine));
        remote += nanos(() -> client.create(theirs));
      } else {
        remote += nanos(() -> client.create(theirs));
        local += nanos(() -> vx.create(mine));
      }
    }
    double localRate = total / (local / 1e9);
    double remoteRate = total / (remote / 1e9);
    notes.add(String.format(Locale.ROOT, "(d) bulk create: %,d studies per path in %d calls of %,d, alternating;"
        + " client %.1f s = %,.0f rows/s, in-process %.1f s = %,.0f rows/s", total, calls, batch, remote / 1e9,
        remoteRate, local / 1e9, localRate));
    rows.add(rowAtLeast(backend, String.format(Locale.ROOT, "(d) bulk create %,d, %,d/call, client rows/s", total,
        batch), String.format(Locale.ROOT, "%,.0f", remoteRate), "in-process rows/s",
        String.format(Locale.ROOT, "%,.0f", localRate), remoteRate / localRate, HTTP_RATE_GOAL));
  }

  /** Studies {@code from} to {@code to} of a create run tagged {@code tag}: copies of corpus studies, new keys. */
  private static List<NewResource> newStudies(StudyCorpus corpus, String tag, int from, int to) {
    List<NewResource> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      StudyCorpus.Study s = corpus.study(i % corpus.studies());
      out.add(StudyCorpus.resource("h-" + tag + "-" + i, s.parent(), s.externalUid() + "." + tag + "." + i,
          s.studyDate(), s.modality(), s.description()));
    }
    return out;
  }

  /**
   * (e) every study exported to Parquet: {@code POST /query/parquet} read to the end through
   * {@code java.net.http}, beside {@link ParquetExport} in-process into a counting sink; order in-process,
   * HTTP, HTTP, in-process after one untimed run of each; medians.
   */
  private static void parquetExport(String backend, VxData vx, URI base, List<String> rows, List<String> notes)
      throws Exception {
    QueryRequest all = QueryRequest.of("study").build();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/query/parquet"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(QueryJson.toJson(all)))).build();
    long[] bytes = new long[2];
    Callable<Object> local = () -> {
      Counting out = new Counting();
      ParquetExport.Result r = ParquetExport.prepare(vx, all).writeTo(out, ParquetExport.Options.DEFAULT);
      bytes[0] = out.count;
      return r.rows();
    };
    Callable<Object> remote = () -> {
      HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (java.io.InputStream in = response.body()) {
        check(response.statusCode() == 200, "POST /query/parquet answered " + response.statusCode());
        bytes[1] = in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      return bytes[1];
    };
    BenchMain.progress("%s: http: (e) Parquet export of every study, over HTTP and in-process", backend);
    Object count = local.call();
    remote.call();
    long[] tl = new long[2];
    long[] tr = new long[2];
    tl[0] = nanos(local);
    tr[0] = nanos(remote);
    tr[1] = nanos(remote);
    tl[1] = nanos(local);
    double l = Stats.medianMs(tl);
    double r = Stats.medianMs(tr);
    long n = (Long) count;
    notes.add(String.format(Locale.ROOT, "(e) Parquet export of %,d studies: over HTTP %s (%,d bytes), in-process %s"
        + " (%,d bytes)", n, Stats.describe(tr), bytes[1], Stats.describe(tl), bytes[0]));
    rows.add(rowAtLeast(backend, String.format(Locale.ROOT, "(e) Parquet export %,d rows, HTTP rows/s", n),
        String.format(Locale.ROOT, "%,.0f", n / (r / 1e3)), "in-process rows/s",
        String.format(Locale.ROOT, "%,.0f", n / (l / 1e3)), l / r, HTTP_RATE_GOAL));
  }

  /** A sink that counts what it is given. */
  private static final class Counting extends java.io.OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  private static long nanos(Callable<?> call) {
    try {
      return time(call);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A row whose goal is a rate at least {@code goal} × the reference's. */
  private static String rowAtLeast(String backend, String measurement, String value, String against, String reference,
      double ratio, double goal) {
    return String.format(Locale.ROOT, "%-11s %-46s %12s  %-26s %12s %6.2f %7s  %s", backend, measurement, value,
        against, reference, ratio, String.format(Locale.ROOT, ">=%.2f", goal), ratio >= goal ? "met" : "BELOW");
  }

  /** The JSON {@code writer} writes, as bytes. */
  private static byte[] streamed(JsonWrite writer) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64 * 1024);
    try (com.fasterxml.jackson.core.JsonGenerator g = Json.generator(out)) {
      writer.write(g);
    }
    return out.toByteArray();
  }

  @FunctionalInterface
  private interface JsonWrite {
    void write(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException;
  }

  private static String info(String backend, String measurement, long[] nanos) {
    return String.format(Locale.ROOT, "%-11s %-46s %12s  %-26s %12s %6s %7s  %s", backend, measurement, ms(nanos), "-",
        "-", "-", "-", "info");
  }

  private static long[] alone(Callable<?> call, int warmup, int reps) throws Exception {
    for (int w = 0; w < warmup; w++) {
      call.call();
    }
    long[] t = new long[reps];
    for (int r = 0; r < reps; r++) {
      t[r] = time(call);
    }
    return t;
  }

  private static String ms(long[] nanos) {
    return String.format(Locale.ROOT, "%.2f ms", Stats.medianMs(nanos));
  }

  private static List<String> summary(List<Resource> resources) {
    return resources.stream().map(r -> r.identifier() + "@" + r.version() + "@" + r.updatedAt()).toList();
  }

  /** One request of client {@code k}, its {@code i}-th; true if it succeeded. */
  @FunctionalInterface
  interface Worker {
    boolean request(int k, int i) throws Exception;
  }

  /** What a sustained run measured: every request's latency, sorted. */
  record Load(long[] sortedNanos, long errors, double seconds) {
    double perSecond() {
      return sortedNanos.length / seconds;
    }

    double p(double percentile) {
      return Stats.percentileMs(sortedNanos, percentile);
    }

    String describe() {
      return String.format(Locale.ROOT, "%,d requests in %.1f s = %,.0f/s, %d failed; latency p50 %.2f ms, p90 %.2f,"
          + " p99 %.2f, p99.9 %.2f, max %.2f", sortedNanos.length, seconds, perSecond(), errors, p(50), p(90), p(99),
          p(99.9), sortedNanos.length == 0 ? 0 : sortedNanos[sortedNanos.length - 1] / 1e6);
    }
  }

  /** {@code clients} threads calling {@code worker} back to back for {@code seconds}; latencies of completed calls. */
  private static Load sustained(Worker worker, int clients, int seconds, Consumer<String> log) throws Exception {
    long[][] latencies = new long[clients][];
    int[] counts = new int[clients];
    AtomicLong errors = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    long[] window = new long[2];
    for (int k = 0; k < clients; k++) {
      int client = k;
      Thread thread = new Thread(() -> {
        long[] mine = new long[1 << 14];
        int n = 0;
        try {
          start.await();
          long end = window[1];
          int i = client * 257;
          while (true) {
            long t = System.nanoTime();
            if (t >= end) {
              break;
            }
            boolean ok;
            try {
              ok = worker.request(client, i++);
            } catch (Exception e) {
              ok = false;
            }
            long done = System.nanoTime();
            if (!ok) {
              errors.incrementAndGet();
              continue;
            }
            if (n == mine.length) {
              mine = Arrays.copyOf(mine, n * 2);
            }
            mine[n++] = done - t;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        latencies[client] = mine;
        counts[client] = n;
      }, "bench-client-" + k);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    window[0] = System.nanoTime();
    window[1] = window[0] + seconds * 1_000_000_000L;
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - window[0]) / 1e9;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int k = 0; k < clients; k++) {
      System.arraycopy(latencies[k], 0, all, at, counts[k]);
      at += counts[k];
    }
    Arrays.sort(all);
    return new Load(all, errors.get(), elapsed);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("sanity check failed: " + what);
    }
  }
}
