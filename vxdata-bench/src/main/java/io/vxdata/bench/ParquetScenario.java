package io.vxdata.bench;

import io.vxdata.VxData;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.parquet.ParquetExport;
import io.vxdata.parquet.ParquetPreview;
import io.vxdata.query.QueryRequest;
import io.vxdata.s3.EmbeddedS3;
import io.vxdata.s3.ObjectStorage;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;

/**
 * Parquet export and preview (issue 5): {@code --parquet-rows} studies (the query corpus) exported
 * with {@link ParquetExport#write} to a file, beside a hand-written JDBC scan of the same rows and
 * columns in the same order in the same run (goal: export ≤ 2 × scan); the same export in a child
 * JVM capped at {@code -Xmx256m}; then the file uploaded to an embedded S3 endpoint through a
 * presigned PUT and previewed at its start, middle and end: latency and bytes fetched.
 */
final class ParquetScenario implements Scenario {

  static final double GOAL = 2.0;
  static final int REPS = 2;
  static final int PREVIEW_LIMIT = 100;
  static final int PREVIEW_REPS = 7;
  static final String CHILD_HEAP = "-Xmx256m";

  static final String SCAN_SQL = "SELECT " + QueryScenario.COLUMNS + " FROM vxc_study WHERE NOT is_deleted"
      + " ORDER BY created_at DESC, identifier DESC";

  @Override
  public String key() {
    return "parquet";
  }

  @Override
  public String name() {
    return "parquet";
  }

  @Override
  public String describe(BenchOptions o) {
    return String.format(Locale.ROOT, "%,d studies (query corpus) loaded through VxData.create; ParquetExport.write"
        + " of all of them (default order, every column) to a local file beside a hand-written JDBC scan of the same"
        + " rows (%s, fetch size 1000, every column read), after an untimed warm-up of both on %,d rows; %d timed"
        + " runs of each in ABBA order, medians; then the export in a child JVM with %s; then preview of the file"
        + " from an embedded S3 endpoint (S3Proxy, in memory, loopback) at start, middle and end, limit %d, median"
        + " of %d", o.parquetRows(), SCAN_SQL, warmupRows(o), REPS, CHILD_HEAP, PREVIEW_LIMIT, PREVIEW_REPS);
  }

  private static int warmupRows(BenchOptions o) {
    return Math.min(100_000, Math.max(1000, o.parquetRows() / 10));
  }

  @Override
  public String tableHeader() {
    return String.format("%-11s %-46s %14s  %-26s %14s %7s %7s  %s", "backend", "measurement", "value", "against",
        "value", "ratio", "goal", "verdict");
  }

  private static String row(String backend, String measurement, String value, String against, String reference,
      String ratio, double goal, boolean met) {
    String verdict = goal <= 0 ? "info" : met ? "met" : "BELOW";
    return String.format(Locale.ROOT, "%-11s %-46s %14s  %-26s %14s %7s %7s  %s", backend, measurement, value,
        against, reference, ratio, goal <= 0 ? "-" : String.format(Locale.ROOT, "<=%.2f", goal), verdict);
  }

  @Override
  public Result run(Backend backend, BenchOptions options) throws Exception {
    boolean pg = backend.name().equals("postgresql");
    List<String> notes = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    int n = options.parquetRows();
    StudyCorpus corpus = new StudyCorpus("p", n);
    Backend.Database fresh = backend.freshDatabase("parquet");
    Backend.Database db = pg ? fresh : new Backend.Database(fresh.jdbcUrl() + ";OPTIMIZE_REUSE_RESULTS=FALSE",
        fresh.user(), fresh.password());
    Path dir = Files.createTempDirectory("vxdata-bench-parquet-");
    try {
      Path file = dir.resolve("studies.parquet");
      QueryRequest all = QueryRequest.of("study").build();
      long[] exportNanos = new long[REPS];
      long[] scanNanos = new long[REPS];
      long[] exportPeak = new long[REPS];
      long[] scanPeak = new long[REPS];
      long[] exportLive = new long[REPS];
      long[] scanLive = new long[REPS];
      ParquetExport.Result exported = null;
      long countNanos;
      long vxScanNanos;
      try (VxData vx = VxDataStore.open(db.storeOptions())) {
        BenchMain.progress("%s: parquet: loading %,d studies", backend.name(), n);
        notes.add(corpus.load(vx, options.batch(), backend.name() + ": parquet"));
        List<String> tables = new ArrayList<>();
        vx.payloadTypes().keySet().forEach(t -> {
          tables.add("vxc_" + t);
          tables.add("vxh_" + t);
        });
        notes.add(QueryScenario.maintenance(backend, db, tables, pg, true, "after the load"));
        try (Connection c = db.connect()) {
          int w = warmupRows(options);
          BenchMain.progress("%s: parquet: warm-up, %,d rows per path", backend.name(), w);
          ParquetExport.write(vx, all.toBuilder().limit(w).build(), OutputStream.nullOutputStream());
          scan(c, w);
          for (int r = 0; r < REPS; r++) {
            for (int step = 0; step < 2; step++) {
              boolean exportNow = (r % 2 == 0) == (step == 1); // ABBA: scan, export, export, scan
              System.gc();
              ExportMain.resetPeaks();
              long t = System.nanoTime();
              if (exportNow) {
                BenchMain.progress("%s: parquet: timed export %d of %d", backend.name(), r + 1, REPS);
                try (HeapWatch watch = new HeapWatch();
                    OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                  exported = ParquetExport.write(vx, all, out);
                  exportLive[r] = watch.afterGcPeak();
                }
                exportNanos[r] = System.nanoTime() - t;
                exportPeak[r] = ExportMain.peakHeap();
                check(exported.rows() == n, "export wrote " + exported.rows() + " rows, not " + n);
              } else {
                BenchMain.progress("%s: parquet: timed JDBC scan %d of %d", backend.name(), r + 1, REPS);
                long read;
                try (HeapWatch watch = new HeapWatch()) {
                  read = scan(c, -1);
                  scanLive[r] = watch.afterGcPeak();
                }
                scanNanos[r] = System.nanoTime() - t;
                scanPeak[r] = ExportMain.peakHeap();
                check(read == n, "scan read " + read + " rows, not " + n);
              }
            }
          }
          long t = System.nanoTime();
          long counted = vx.count(all).value();
          countNanos = System.nanoTime() - t;
          check(counted == n, "count " + counted);
          // Where the export's time goes: the store's streaming read alone, rows handed to a no-op sink.
          BenchMain.progress("%s: parquet: VxData.scan alone", backend.name());
          long[] scanned = {0};
          t = System.nanoTime();
          vx.scan(all, r -> scanned[0]++);
          vxScanNanos = System.nanoTime() - t;
          check(scanned[0] == n, "VxData.scan delivered " + scanned[0]);
        }
      }
      notes.add("export: " + describeSeconds(exportNanos) + "; JDBC scan: " + describeSeconds(scanNanos)
          + "; runs in order " + order() + "; peak heap (sum of the heap pools' peaks, reset after a System.gc()"
          + " before each run, in this JVM with max heap " + Stats.mb(Runtime.getRuntime().maxMemory()) + ", so the"
          + " collector had room to let garbage pile up): export " + mbs(exportPeak) + ", scan " + mbs(scanPeak)
          + "; heap in use right after a GC, peak (the live set; includes the store, its pool and, on H2, the"
          + " database engine and its cache): export " + mbs(exportLive) + ", scan " + mbs(scanLive));
      notes.add(String.format(Locale.ROOT, "ParquetExport.write first checks the request with a one-row query page,"
          + " then reads one streaming statement (fetch size 1000) through VxData.scan; default options (%d MiB row"
          + " groups, Snappy, dictionary encoding); a count of the same rows, for reference, takes %.2f s",
          ParquetExport.Options.DEFAULT.rowGroupBytes() >> 20, countNanos / 1e9));
      double exportS = median(exportNanos) / 1e9;
      double scanS = median(scanNanos) / 1e9;
      double ratio = exportS / scanS;
      rows.add(row(backend.name(), String.format(Locale.ROOT, "export %,d rows to Parquet", n),
          String.format(Locale.ROOT, "%.2f s", exportS), "hand-written JDBC scan", String.format(Locale.ROOT,
              "%.2f s", scanS), String.format(Locale.ROOT, "%.2f", ratio), GOAL, ratio <= GOAL));
      rows.add(row(backend.name(), "  VxData.scan alone (no Parquet, no count)", String.format(Locale.ROOT, "%.2f s",
          vxScanNanos / 1e9), "hand-written JDBC scan", String.format(Locale.ROOT, "%.2f s", scanS),
          String.format(Locale.ROOT, "%.2f", vxScanNanos / 1e9 / scanS), 0, true));
      rows.add(row(backend.name(), "  export rows/s", String.format(Locale.ROOT, "%,.0f", n / exportS),
          "JDBC scan rows/s", String.format(Locale.ROOT, "%,.0f", n / scanS), "-", 0, true));
      rows.add(row(backend.name(), "  export file size", Stats.mb(exported.bytes()), "-", "-",
          String.format(Locale.ROOT, "%.0f B/row", (double) exported.bytes() / n), 0, true));
      rows.add(row(backend.name(), "  export summed pool peaks (bench JVM, big heap)", Stats.mb((long) median(exportPeak)),
          "JDBC scan, same measure", Stats.mb((long) median(scanPeak)), "-", 0, true));

      // ---- the same export in a JVM capped at 256 MB ----
      Path childFile = dir.resolve("child.parquet");
      BenchMain.progress("%s: parquet: export in a child JVM with %s", backend.name(), CHILD_HEAP);
      Child child = runChild(db, childFile, dir.resolve("child.log"));
      notes.add("child JVM (" + CHILD_HEAP + ", same classpath, io.vxdata.bench.ExportMain, same store URL, the bench's"
          + " store closed first" + (pg ? "" : " so that the child can open the H2 file; H2 then runs inside the"
          + " child, its page cache in that 256 MB heap") + "): " + child.describe());
      if (child.ok()) {
        check(Files.size(childFile) == child.value("bytes"), "child file size");
      }
      rows.add(row(backend.name(), "  same export in a child JVM " + CHILD_HEAP, child.ok() ? String.format(
          Locale.ROOT, "%.2f s", child.value("ms") / 1000.0) : "FAILED", "peak heap used / after GC",
          child.ok() ? String.format(Locale.ROOT, "%.0f/%.0f MB", child.value("sampledHeap") / 1048576.0,
              child.value("afterGcHeap") / 1048576.0) : "-", child.ok() ? "done" : "FAILED", 0, child.ok()));

      // ---- preview from object storage ----
      BenchMain.progress("%s: parquet: preview from embedded S3", backend.name());
      preview(file, n, backend.name(), rows, notes);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
    return new Result(backend.name(), rows, notes);
  }

  private static String order() {
    List<String> out = new ArrayList<>();
    for (int r = 0; r < REPS; r++) {
      out.add(r % 2 == 0 ? "scan, export" : "export, scan");
    }
    return String.join(", ", out);
  }

  /** The hand-written scan: every row and column, in the export's order; {@code limit} < 0: all. */
  private static long scan(Connection c, int limit) throws Exception {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
    long n = 0;
    try (PreparedStatement ps = c.prepareStatement(limit < 0 ? SCAN_SQL : SCAN_SQL + " LIMIT " + limit)) {
      ps.setFetchSize(1000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          StudyCorpus.readRow(rs);
          n++;
        }
      }
      c.commit();
    } finally {
      c.setAutoCommit(auto);
    }
    return n;
  }

  // ---- child JVM ----

  record Child(int exit, double wallSeconds, Map<String, Long> values, String output) {
    boolean ok() {
      return exit == 0 && values.containsKey("rows");
    }

    long value(String key) {
      return values.getOrDefault(key, -1L);
    }

    String describe() {
      if (!ok()) {
        return "FAILED, exit status " + exit + " after " + String.format(Locale.ROOT, "%.1f s", wallSeconds)
            + "; output: " + output;
      }
      return String.format(Locale.ROOT, "completed: %,d rows, %s file, export %.1f s (JVM wall %.1f s); heap: max"
          + " %s, peak in use sampled every 2 ms %s, peak right after a GC (live set) %s, summed pool peaks %s (an"
          + " upper bound only: the pools peak at different moments); %d GCs taking %d ms", value("rows"),
          Stats.mb(value("bytes")), value("ms") / 1000.0, wallSeconds, Stats.mb(value("maxHeap")),
          Stats.mb(value("sampledHeap")), Stats.mb(value("afterGcHeap")), Stats.mb(value("peakHeap")),
          value("gcCount"), value("gcMs"));
    }
  }

  private static Child runChild(Backend.Database db, Path out, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, CHILD_HEAP, "-cp", classpath(),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ExportMain.class.getName(), db.jdbcUrl(), out.toString());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    if (db.user() != null) {
      pb.environment().put(ExportMain.USER, db.user());
      pb.environment().put(ExportMain.PASSWORD, db.password() == null ? "" : db.password());
    }
    long t = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(20, TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
    double wall = (System.nanoTime() - t) / 1e9;
    String output = Files.readString(log);
    Map<String, Long> values = new java.util.HashMap<>();
    for (String line : output.split("\n")) {
      if (line.startsWith("RESULT ")) {
        for (String kv : line.substring(7).trim().split(" ")) {
          String[] parts = kv.split("=", 2);
          values.put(parts[0], Long.parseLong(parts[1]));
        }
      }
    }
    String tail = output.length() > 2000 ? output.substring(output.length() - 2000) : output;
    return new Child(p.isAlive() ? -1 : p.exitValue(), wall, values, tail.replace('\n', ' '));
  }

  /** This JVM's application classpath: exec:java's class loader URLs, else java.class.path. */
  private static String classpath() {
    ClassLoader loader = ParquetScenario.class.getClassLoader();
    if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
      return Arrays.stream(urls.getURLs()).map(u -> {
        try {
          return Path.of(u.toURI()).toString();
        } catch (Exception e) {
          return u.getPath();
        }
      }).collect(Collectors.joining(File.pathSeparator));
    }
    return System.getProperty("java.class.path");
  }

  // ---- preview ----

  private static void preview(Path file, int n, String backend, List<String> rows, List<String> notes)
      throws Exception {
    long size = Files.size(file);
    try (EmbeddedS3 s3 = EmbeddedS3.startInMemory("vxdata-bench");
        ObjectStorage storage = ObjectStorage.connect(s3.settings())) {
      ObjectStorage.Presigned upload = storage.presignUpload("bench", "studies.parquet");
      long t = System.nanoTime();
      HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(upload.url()))
          .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
      check(put.statusCode() == 200, "presigned PUT answered " + put.statusCode() + ": " + put.body());
      notes.add(String.format(Locale.ROOT, "preview: %s (%s) uploaded with a presigned PUT in %.2f s to %s",
          file.getFileName(), Stats.mb(size), (System.nanoTime() - t) / 1e9, upload.path()));
      ParquetMetadata footer;
      try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
        footer = reader.getFooter();
      }
      List<BlockMetaData> blocks = footer.getBlocks();
      long total = blocks.stream().mapToLong(BlockMetaData::getRowCount).sum();
      check(total == n, "file holds " + total + " rows");
      notes.add(String.format(Locale.ROOT, "preview: the file has %d row groups of %s rows (%s compressed each)",
          blocks.size(), blocks.stream().map(b -> String.format(Locale.ROOT, "%,d", b.getRowCount())).distinct()
              .collect(Collectors.joining("/")), blocks.stream().map(b -> Stats.mb(b.getCompressedSize()))
              .distinct().limit(3).collect(Collectors.joining("/"))));
      long[][] windows = {{0}, {total / 2}, {total - PREVIEW_LIMIT}};
      String[] names = {"start", "middle", "end"};
      for (int w = 0; w < windows.length; w++) {
        long offset = windows[w][0];
        for (int k = 0; k < 2; k++) {
          storage.previewParquet(upload.path(), offset, PREVIEW_LIMIT);
        }
        long[] nanos = new long[PREVIEW_REPS];
        ObjectStorage.MeasuredPreview shown = null;
        for (int r = 0; r < PREVIEW_REPS; r++) {
          long s = System.nanoTime();
          shown = storage.previewParquetMeasured(upload.path(), offset, PREVIEW_LIMIT);
          nanos[r] = System.nanoTime() - s;
        }
        ParquetPreview.Preview preview = shown.preview();
        check(preview.returnedRows() == PREVIEW_LIMIT && preview.offset() == offset && preview.totalRows() == total,
            "preview at " + offset + " returned " + preview.returnedRows() + " rows");
        notes.add(String.format(Locale.ROOT, "preview %s (offset %,d, limit %d): ObjectStorage.previewParquet %s;"
            + " %d ranged GETs, %,d bytes of %,d (%.2f %%); first row %s", names[w], offset, PREVIEW_LIMIT,
            Stats.describe(nanos), shown.requests(), shown.bytesFetched(), size,
            100.0 * shown.bytesFetched() / size, preview.data().get(0).get("identifier")));
        rows.add(row(backend, String.format(Locale.ROOT, "preview %s (offset %,d, limit %d)", names[w], offset,
            PREVIEW_LIMIT), String.format(Locale.ROOT, "%.1f ms", Stats.medianMs(nanos)), "bytes fetched / object",
            String.format(Locale.ROOT, "%s/%s", shortMb(shown.bytesFetched()), shortMb(size)),
            String.format(Locale.ROOT, "%.3f", (double) shown.bytesFetched() / size), 0, true));
      }
    }
  }

  private static String shortMb(long bytes) {
    return String.format(Locale.ROOT, "%.1fM", bytes / (1024.0 * 1024.0));
  }

  private static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
  }

  private static String describeSeconds(long[] nanos) {
    return Arrays.stream(nanos).mapToObj(x -> String.format(Locale.ROOT, "%.2f s", x / 1e9))
        .collect(Collectors.joining(", "));
  }

  private static String mbs(long[] bytes) {
    return Arrays.stream(bytes).mapToObj(Stats::mb).collect(Collectors.joining(", "));
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("sanity check failed: " + what);
    }
  }
}
