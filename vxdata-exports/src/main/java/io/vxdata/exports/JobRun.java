package io.vxdata.exports;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.vxdata.Fields;
import io.vxdata.VxData;
import io.vxdata.jdbc.internal.ExportJobTable.Job;
import io.vxdata.json.Json;
import io.vxdata.json.ResourceJson;
import io.vxdata.parquet.ParquetExport;
import io.vxdata.query.Filter;
import io.vxdata.query.QueryRequest;
import io.vxdata.s3.ObjectStorage;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One run of a job on a worker: counts its rows, writes one file per query (and per payload type of
 * deleted identifiers with {@code since}) into object storage, and keeps its progress. Each file is
 * streamed: rows go from the store's scan through the writer, a SHA-256 and a byte count, into a
 * multipart upload of one part in memory; nothing goes to disk.
 */
final class JobRun {

  /** Thrown from a batch when the job is to stop (cancel or shutdown); the worker then cleans up. */
  static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped(String why) {
      super(why, null, false, false);
    }
  }

  private final ExportService.Engine engine;
  private final Job job;
  private final long startNanos = System.nanoTime();
  private volatile long rowsDone;
  private volatile long rowsTotal;
  private volatile boolean cancelled;
  private volatile long loggedAt = startNanos;

  JobRun(ExportService.Engine engine, Job job) {
    this.engine = engine;
    this.job = job;
  }

  long rowsDone() {
    return rowsDone;
  }

  long rowsTotal() {
    return rowsTotal;
  }

  boolean cancelled() {
    return cancelled;
  }

  void cancel() {
    cancelled = true;
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** The time left at the rate so far; {@code null} before the first row. */
  Duration eta() {
    long done = rowsDone;
    if (done == 0) {
      return null;
    }
    double nanosPerRow = (double) (System.nanoTime() - startNanos) / done;
    return Duration.ofNanos((long) (nanosPerRow * Math.max(0, rowsTotal - done)));
  }

  /** Writes every file and answers the manifest (without URLs). */
  ExportManifest write(VxData view, String folder) {
    ExportRequest request = ExportJson.requestFromJson(Json.parse(job.requestJson()));
    Instant at = job.transactionTime();
    // A resumed job starts clean: files a stopped run left behind go first. A job that never started
    // has none, and is spared the listing.
    if (job.startedAt() != null) {
      engine.storage.deletePrefix(folder);
    }
    List<QueryRequest> rows = new ArrayList<>();
    List<QueryRequest> deleted = new ArrayList<>();
    for (QueryRequest q : request.queries()) {
      QueryRequest.Builder b = q.toBuilder().asOf(at).cursor(null);
      if (request.since() != null) {
        b.updatedSince(request.since());
        // The identifiers retired since: tombstones written after `since`, within the same scope and filter.
        Filter tombstone = Filter.eq(Fields.IS_DELETED, true);
        deleted.add(q.toBuilder().asOf(at).cursor(null).limit(null).includeDeleted(true)
            .updatedSince(request.since()).filter(q.filter() == null ? tombstone : Filter.and(q.filter(), tombstone))
            .select(List.of(Fields.UPDATED_AT)).build());
      }
      rows.add(b.build());
    }
    long total = 0;
    for (QueryRequest q : concat(rows, deleted)) {
      long n = view.count(q.toBuilder().limit(null).build()).value(); // a count takes no limit; it caps below
      total += q.limit() == null ? n : Math.min(n, q.limit());
    }
    rowsTotal = total;
    engine.table.progress(job.id(), 0, total, ExportService.Engine.now());
    ExportService.LOG.info("export {} of {} running: {} rows to write, reading at {}", job.id(), job.principalId(),
        total, Json.formatInstant(at));
    String ext = request.format().wireName();
    List<ExportOutput> outputs = new ArrayList<>();
    for (QueryRequest q : rows) {
      outputs.add(writeFile(view, request.format(), q, folder + q.payloadType() + "." + ext));
    }
    List<ExportOutput> deletions = new ArrayList<>();
    for (QueryRequest q : deleted) {
      deletions.add(writeFile(view, request.format(), q, folder + q.payloadType() + ".deleted." + ext));
    }
    return new ExportManifest(at, request, outputs, deletions);
  }

  private static List<QueryRequest> concat(List<QueryRequest> a, List<QueryRequest> b) {
    List<QueryRequest> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private ExportOutput writeFile(VxData view, ExportFormat format, QueryRequest q, String path) {
    ObjectStorage.Upload upload = engine.storage.upload(path, engine.options.partBytes());
    Digesting out = new Digesting(upload);
    long before = rowsDone;
    try {
      if (format == ExportFormat.PARQUET) {
        ParquetExport.prepare(view, q).writeTo(out, ParquetExport.Options.DEFAULT, this::row);
      } else {
        writeNdjson(view, q, out);
      }
      out.flush();
      upload.close();
    } catch (IOException e) {
      upload.abort();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      upload.abort();
      throw e;
    }
    return new ExportOutput(q.payloadType(), path, null, rowsDone - before, out.bytes, out.sha256());
  }

  /** A resource per line, as {@code /query} writes it, each line ended by a newline. */
  private void writeNdjson(VxData view, QueryRequest q, OutputStream out) throws IOException {
    try (JsonGenerator g = Json.generator(out)) {
      g.setRootValueSeparator(new SerializedString("\n"));
      long[] n = {0};
      try {
        view.scan(q, r -> {
          try {
            ResourceJson.write(g, r);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          n[0]++;
          row();
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      if (n[0] > 0) {
        g.writeRaw('\n');
      }
    }
  }

  /** Counts a row; after every batch, reports progress and stops the job if it is to stop. */
  private void row() {
    long done = ++rowsDone;
    if (done % engine.options.batchRows() == 0) {
      batch(done);
    }
  }

  private void batch(long done) {
    engine.options.listener().batch(job.id(), done, rowsTotal);
    if (cancelled || engine.closing()) {
      throw new Stopped(cancelled ? "cancelled" : "shutdown");
    }
  }

  /**
   * Records the progress in the job table (which renews the job's lease) and, every
   * {@link ExportOptions#logInterval()}, in the log.
   * Called by the engine's ticker thread, never by the worker: the worker is inside the store's read
   * transaction (read-only on PostgreSQL), which the job table's update must stay out of.
   */
  void tick() {
    long done = rowsDone;
    // False when the job is no longer running: cancelled through another process, say.
    if (!engine.table.progress(job.id(), done, rowsTotal, ExportService.Engine.now())) {
      cancelled = true;
      return;
    }
    long now = System.nanoTime();
    if (now - loggedAt >= engine.options.logInterval().toNanos()) {
      loggedAt = now;
      Duration eta = eta();
      ExportService.LOG.info("export {}: {}/{} rows ({}%), ETA {} s", job.id(), done, rowsTotal,
          rowsTotal == 0 ? 100 : done * 100 / rowsTotal, eta == null ? "?" : eta.toSeconds());
    }
  }


  /** Counts the bytes and hashes them on their way to the upload. */
  private static final class Digesting extends FilterOutputStream {
    private final MessageDigest sha256;
    long bytes;

    Digesting(OutputStream out) {
      super(out);
      try {
        this.sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      sha256.update((byte) b);
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      sha256.update(b, off, len);
      bytes += len;
    }

    @Override
    public void close() {
      // The upload is completed or aborted by the run, not by the writer.
    }

    String sha256() {
      return HexFormat.of().formatHex(sha256.digest());
    }
  }
}
