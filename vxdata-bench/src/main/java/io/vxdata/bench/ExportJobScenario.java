package io.vxdata.bench;

import io.vxdata.ResourceUpdate;
import io.vxdata.VxData;
import io.vxdata.exports.ExportFormat;
import io.vxdata.exports.ExportOptions;
import io.vxdata.exports.ExportRequest;
import io.vxdata.exports.ExportState;
import io.vxdata.exports.ExportStatus;
import io.vxdata.exports.Exports;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.parquet.ParquetExport;
import io.vxdata.query.QueryRequest;
import io.vxdata.s3.EmbeddedS3;
import io.vxdata.s3.ObjectStorage;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Export jobs (issue 13, §14.5): {@code --parquet-rows} studies (the query corpus) exported as one
 * Parquet file by a job (submit, run, upload to an embedded S3 endpoint in memory, finished) beside the
 * synchronous export of the same rows ({@code ParquetExport.write}, what {@code /query/parquet} runs)
 * to a discarding stream and to the same object storage; then 1% of the studies updated and an
 * incremental job ({@code since} the full job's time) beside a full one. Goals: job ≤ 1.1 × synchronous;
 * incremental ≤ 5% of full.
 */
final class ExportJobScenario implements Scenario {

  static final int REPS = 2;

  @Override
  public String key() {
    return "exports";
  }

  @Override
  public String name() {
    return "export jobs";
  }

  @Override
  public String describe(BenchOptions o) {
    return String.format(Locale.ROOT, "%,d studies (query corpus, --parquet-rows) loaded through VxData.create;"
        + " a Parquet export job of all of them (submit to finished, file uploaded to an embedded S3 endpoint in"
        + " memory) beside ParquetExport.write of the same rows to a discarding stream and to the same object"
        + " storage; then 1%% of the studies updated and an incremental job since the full one's time beside a"
        + " full job; %d timed runs of each, alternating, medians, after an untimed warm-up", o.parquetRows(), REPS);
  }

  @Override
  public String tableHeader() {
    return String.format("%-11s %-40s %12s  %-34s %12s %7s %7s  %s", "backend", "measurement", "value", "against",
        "value", "ratio", "goal", "verdict");
  }

  private static String row(String backend, String measurement, double seconds, String against, double reference,
      double goal) {
    double ratio = seconds / reference;
    String verdict = goal <= 0 ? "info" : ratio <= goal ? "met" : "BELOW";
    return String.format(Locale.ROOT, "%-11s %-40s %11.2fs  %-34s %11.2fs %7.3f %7s  %s", backend, measurement,
        seconds, against, reference, ratio, goal <= 0 ? "-" : String.format(Locale.ROOT, "<=%.2f", goal), verdict);
  }

  @Override
  public Result run(Backend backend, BenchOptions options) throws Exception {
    List<String> notes = new ArrayList<>();
    int n = options.parquetRows();
    StudyCorpus corpus = new StudyCorpus("e", n);
    Backend.Database db = backend.freshDatabase("exports");
    QueryRequest all = QueryRequest.of("study").build();
    try (VxData vx = VxDataStore.open(db.storeOptions());
        EmbeddedS3 s3 = EmbeddedS3.startInMemory("bench");
        ObjectStorage storage = ObjectStorage.connect(s3.settings());
        Exports exports = Exports.open(vx, storage, ExportOptions.defaults().withConcurrency(1, 4))) {
      BenchMain.progress("%s: exports: loading %,d studies", backend.name(), n);
      notes.add(corpus.load(vx, options.batch(), backend.name() + ": exports"));
      BenchMain.progress("%s: exports: warm-up", backend.name());
      ParquetExport.write(vx, all.toBuilder().limit(Math.min(n, 50_000)).build(), OutputStream.nullOutputStream());
      job(exports, ExportRequest.of(ExportFormat.PARQUET, all.toBuilder().limit(Math.min(n, 50_000)).build()));

      double[] sync = new double[REPS];
      double[] syncS3 = new double[REPS];
      double[] job = new double[REPS];
      ExportStatus full = null;
      for (int r = 0; r < REPS; r++) {
        BenchMain.progress("%s: exports: timed run %d of %d", backend.name(), r + 1, REPS);
        long t = System.nanoTime();
        ParquetExport.Result written = ParquetExport.write(vx, all, OutputStream.nullOutputStream());
        sync[r] = (System.nanoTime() - t) / 1e9;
        check(written.rows() == n, "the synchronous export wrote " + written.rows() + " rows");
        t = System.nanoTime();
        try (ObjectStorage.Upload upload = storage.upload("s3://bench/sync/studies-" + r + ".parquet",
            ObjectStorage.DEFAULT_PART_BYTES)) {
          ParquetExport.write(vx, all, upload);
        }
        syncS3[r] = (System.nanoTime() - t) / 1e9;
        t = System.nanoTime();
        full = job(exports, ExportRequest.of(ExportFormat.PARQUET, all).withForce(true));
        job[r] = (System.nanoTime() - t) / 1e9;
        check(full.rowsDone() == n, "the job wrote " + full.rowsDone() + " rows");
      }
      Instant since = full.transactionTime();
      BenchMain.progress("%s: exports: updating 1%% of the studies", backend.name());
      Map<String, ResourceUpdate> updates = new LinkedHashMap<>();
      int changed = 0;
      for (int i = 0; i < n; i += 100) {
        updates.put(corpus.study(i).identifier(), ResourceUpdate.builder().set("modality", "OT").build());
        changed++;
        if (updates.size() == options.batch() || i + 100 >= n) {
          vx.update(updates);
          updates.clear();
        }
      }
      double[] incremental = new double[REPS];
      double[] fullAgain = new double[REPS];
      for (int r = 0; r < REPS; r++) {
        long t = System.nanoTime();
        ExportStatus inc = job(exports, ExportRequest.of(ExportFormat.PARQUET, all).withSince(since).withForce(true));
        incremental[r] = (System.nanoTime() - t) / 1e9;
        check(inc.manifest().output().get(0).rows() == changed, "the incremental job wrote "
            + inc.manifest().output().get(0).rows() + " rows, not " + changed);
        t = System.nanoTime();
        job(exports, ExportRequest.of(ExportFormat.PARQUET, all).withForce(true));
        fullAgain[r] = (System.nanoTime() - t) / 1e9;
      }
      List<String> rows = new ArrayList<>();
      String b = backend.name();
      rows.add(row(b, String.format(Locale.ROOT, "export job, %,d rows", n), median(job), "ParquetExport.write, discarded",
          median(sync), 1.1));
      rows.add(row(b, String.format(Locale.ROOT, "export job, %,d rows", n), median(job), "ParquetExport.write to S3",
          median(syncS3), 1.1));
      rows.add(row(b, String.format(Locale.ROOT, "incremental job, %,d changed", changed), median(incremental),
          "full job after the updates", median(fullAgain), 0.05));
      notes.add(String.format(Locale.ROOT, "file: %,d bytes; runs: job %s s, sync %s s, sync to S3 %s s, incremental"
          + " %s s, full %s s", full.manifest().output().get(0).bytes(), Arrays.toString(job), Arrays.toString(sync),
          Arrays.toString(syncS3), Arrays.toString(incremental), Arrays.toString(fullAgain)));
      return new Result(b, rows, notes);
    }
  }

  /** Submits a job and polls it every 5 ms until it has ended; it must finish. */
  private static ExportStatus job(Exports exports, ExportRequest request) throws InterruptedException {
    ExportStatus s = exports.submit(request);
    while (!s.state().ended()) {
      Thread.sleep(5);
      s = exports.status(s.id());
    }
    check(s.state() == ExportState.FINISHED, "export job " + s.id() + " ended " + s.state() + ": "
        + s.error());
    return s;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }
}
