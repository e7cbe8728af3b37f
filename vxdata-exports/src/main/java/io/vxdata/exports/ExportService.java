package io.vxdata.exports;

import io.vxdata.NotFoundException;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.access.Principal;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.jdbc.internal.ExportJobTable;
import io.vxdata.jdbc.internal.ExportJobTable.Job;
import io.vxdata.json.Json;
import io.vxdata.parquet.ParquetExport;
import io.vxdata.query.QueryRequest;
import io.vxdata.s3.ObjectStorage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Exports} service over a JDBC store and a bucket, and its principals' views of it. The
 * shared part ({@link Engine}) holds the workers, the jobs running in this process and the admission
 * count; a view adds only who asks.
 */
final class ExportService implements Exports {

  static final Logger LOG = LoggerFactory.getLogger(Exports.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] DIGITS = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  private final Engine engine;
  private final String principalId;
  private final boolean admin;
  private final boolean root;

  private ExportService(Engine engine, String principalId, boolean admin, boolean root) {
    this.engine = engine;
    this.principalId = principalId;
    this.admin = admin;
    this.root = root;
  }

  static Exports open(VxData store, ObjectStorage storage, ExportOptions options) {
    ExportJobTable table = VxDataStore.exportJobs(store);
    Engine engine = new Engine(store, storage, table, options);
    engine.sweep();
    return new ExportService(engine, Principal.SYSTEM, true, true);
  }

  @Override
  public ExportStatus submit(ExportRequest request) {
    return engine.submit(principalId, request);
  }

  @Override
  public ExportStatus status(String id) {
    Job job = visible(id);
    // An admin sees everything anyway; anyone else gets the files only while its rights are those they were made under.
    return admin || engine.sameRights(job) ? engine.status(job, true) : engine.staleStatus(job);
  }

  @Override
  public Optional<ExportStatus> delete(String id) {
    return engine.delete(visible(id));
  }

  @Override
  public ExportPage list(Integer limit, String cursor) {
    ExportJobTable.Page page = engine.table.list(admin ? null : principalId, limit, cursor);
    return new ExportPage(page.jobs().stream().map(j -> engine.status(j, false)).toList(), page.nextCursor(),
        page.limit());
  }

  @Override
  public Exports as(String principalId) {
    if (!root) {
      throw new IllegalStateException("only the service itself makes views, not the view of " + this.principalId);
    }
    Principal p = engine.store.as(principalId).access().whoami();
    return new ExportService(engine, p.id(), p.admin(), false);
  }

  @Override
  public void close() {
    if (root) {
      engine.close();
    }
  }

  /** The job {@code id} if this caller may see it: its own, or any for an admin. */
  private Job visible(String id) {
    Optional<Job> job = id == null ? Optional.empty() : engine.table.find(id);
    if (job.isEmpty() || !(admin || job.get().principalId().equals(principalId))) {
      throw NotFoundException.of(id, "no export job '%s'", id);
    }
    return job.get();
  }

  @Override
  public String toString() {
    return "Exports[" + principalId + "]";
  }

  /** The state every view shares. */
  static final class Engine {
    final VxData store;
    final ObjectStorage storage;
    final ExportJobTable table;
    final ExportOptions options;
    private final ThreadPoolExecutor pool;
    /** Jobs of this process that are queued or running: admission counts them. */
    private final AtomicInteger active = new AtomicInteger();
    private final ConcurrentHashMap<String, JobRun> running = new ConcurrentHashMap<>();
    /** Jobs handed to this service's pool and not yet done with. */
    private final java.util.Set<String> scheduled = ConcurrentHashMap.newKeySet();
    /** Writes the running jobs' progress to the job table once a second, off the workers' transactions. */
    private final java.util.concurrent.ScheduledExecutorService ticker;
    private volatile boolean closing;

    Engine(VxData store, ObjectStorage storage, ExportJobTable table, ExportOptions options) {
      this.store = store;
      this.storage = storage;
      this.table = table;
      this.options = options;
      AtomicInteger threads = new AtomicInteger();
      this.pool = new ThreadPoolExecutor(options.workers(), options.workers(), 0, TimeUnit.MILLISECONDS,
          new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "vxdata-export-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      this.ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vxdata-export-progress");
        t.setDaemon(true);
        return t;
      });
      ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
      long half = Math.max(1, options.lease().toMillis() / 2);
      ticker.scheduleWithFixedDelay(this::sweepQuietly, half, half, TimeUnit.MILLISECONDS);
    }

    private void tick() {
      for (JobRun run : running.values()) {
        try {
          run.tick();
        } catch (RuntimeException e) {
          LOG.warn("could not record the progress of an export: {}", e.getMessage());
        }
      }
    }

    /**
     * Takes over what no live service is doing: every running job whose lease has run out (its process
     * died) goes back to the queue, and every queued job this service has not scheduled yet is
     * scheduled, while there is room. Runs when the service opens and then every half lease, so that
     * with several servers on one database a job is resumed once its server is gone, and never while
     * it is alive. A queued job that two services both schedule runs once: starting it is conditional.
     * Jobs that ended longer ago than the retention are removed with their files.
     */
    void sweep() {
      Instant now = now();
      for (String id : table.endedBefore(now.minus(options.retention()))) {
        if (table.delete(id)) { // one service wins; the files go after the row, so no job points at none
          try {
            storage.deletePrefix(folder(id));
            LOG.info("export {} removed with its files: it ended more than {} ago", id, options.retention());
          } catch (RuntimeException e) {
            LOG.warn("export {} removed, but not its files under {}: {}", id, folder(id), e.getMessage());
          }
        }
      }
      Instant cutoff = now.minus(options.lease());
      for (String id : table.orphans(cutoff)) {
        if (!running.containsKey(id) && table.adopt(id, cutoff)) {
          LOG.info("export {} resumed: no service has renewed its lease since {}; it runs again from the start", id,
              Json.formatInstant(cutoff));
        }
      }
      for (Job job : table.queued()) {
        if (closing || active.get() >= options.workers() + options.queueCapacity()) {
          return;
        }
        if (scheduled.add(job.id())) {
          LOG.info("export {} of {} picked up: it runs from the start, reading at {}", job.id(), job.principalId(),
              Json.formatInstant(job.transactionTime()));
          active.incrementAndGet();
          options.listener().queued(job.id());
          pool.execute(() -> run(job.id()));
        }
      }
    }

    private void sweepQuietly() {
      try {
        sweep();
      } catch (RuntimeException e) {
        LOG.warn("could not look for export jobs to take over: {}", e.getMessage());
      }
    }

    ExportStatus submit(String principalId, ExportRequest request) {
      if (closing) {
        throw new IllegalStateException("the export service is closed");
      }
      VxData view = viewOf(principalId);
      // The store resolves the time as any read does (latest: the last commit; later than that: the
      // same), and the first query's check states it; the others are checked at it.
      Instant at = check(view, request, 0, request.asOf());
      for (int i = 1; i < request.queries().size(); i++) {
        check(view, request, i, io.vxdata.AsOf.at(at));
      }
      if (request.since() != null && request.since().isAfter(at)) {
        throw ValidationException.of(null, "since", "%s is after the time the export reads at, %s",
            Json.formatInstant(request.since()), Json.formatInstant(at));
      }
      String requestJson = new String(Json.write(ExportJson.toJson(request)), StandardCharsets.UTF_8);
      String rights = principalId.equals(Principal.SYSTEM) ? Principal.SYSTEM : table.rightsOf(principalId);
      String key = cacheKey(principalId, rights, request, at);
      if (!request.force()) {
        Optional<Job> same = table.findReusable(key);
        if (same.isPresent()) {
          return status(same.get(), true).asReused();
        }
      }
      int limit = options.workers() + options.queueCapacity();
      if (active.incrementAndGet() > limit) {
        active.decrementAndGet();
        throw new ExportQueueFullException(options.queueCapacity(), retryAfter());
      }
      Instant now = now();
      Job job = new Job(newId(now), principalId, key, requestJson, at, ExportJobTable.QUEUED, 0, 0, null, null, now,
          null, null);
      try {
        table.insert(job);
        scheduled.add(job.id());
        options.listener().queued(job.id());
        pool.execute(() -> run(job.id()));
      } catch (RuntimeException e) {
        active.decrementAndGet();
        options.listener().left(job.id());
        throw e;
      }
      LOG.info("export {} of {} queued: {} queries as {}, reading at {}{}", job.id(), principalId,
          request.queries().size(), request.format().wireName(), Json.formatInstant(at),
          request.since() == null ? "" : ", changes since " + Json.formatInstant(request.since()));
      return status(job, false);
    }

    /**
     * Checks query {@code i} as the store would run it, at {@code asOf}; errors name it.
     *
     * @return the transaction time the store read it at
     */
    private Instant check(VxData view, ExportRequest request, int i, io.vxdata.AsOf asOf) {
      QueryRequest q = request.queries().get(i).toBuilder().asOf(asOf).build();
      try {
        if (request.format() == ExportFormat.PARQUET) {
          return ParquetExport.prepare(view, q).asOf();
        }
        if (q.limit() != null && q.limit() < 1) {
          throw ValidationException.of(null, "limit", "caps the exported rows and must be at least 1, not %d",
              q.limit());
        }
        return view.query(q.toBuilder().limit(1).build()).asOf();
      } catch (ValidationException e) {
        if (e.violations().stream().allMatch(v -> "as_of".equals(v.field()) || "release".equals(v.field()))) {
          throw e; // the export's own time (an unknown release, say), not the query's
        }
        throw ExportJson.prefixed(e, ExportRequest.field(request.queries().size(), i));
      }
    }

    private static String cacheKey(String principalId, String rights, ExportRequest request, Instant at) {
      String canonical = new String(Json.write(ExportJson.toJson(request.withForce(false)
          .withAsOf(io.vxdata.AsOf.latest()))), StandardCharsets.UTF_8);
      return sha256Hex(principalId + "\n" + rights + "\n" + Json.formatInstant(at) + "\n" + canonical);
    }

    ExportStatus status(Job job, boolean presign) {
      ExportState state = ExportState.parse(job.status());
      long done = job.rowsDone();
      long total = job.rowsTotal();
      Duration eta = null;
      JobRun run = running.get(job.id());
      if (run != null && state == ExportState.RUNNING) {
        done = run.rowsDone();
        total = run.rowsTotal();
        eta = run.eta();
      }
      ExportManifest manifest = null;
      if (job.manifestJson() != null) {
        manifest = ExportJson.manifestFromJson(Json.parse(job.manifestJson()));
        if (presign) {
          manifest = new ExportManifest(manifest.transactionTime(), manifest.request(), presigned(manifest.output()),
              presigned(manifest.deleted()));
        }
      }
      return new ExportStatus(job.id(), job.principalId(), state, done, total, eta, job.transactionTime(),
          job.submittedAt(), job.startedAt(), job.finishedAt(), job.error(), manifest, false);
    }

    /** Whether the job's principal still has the rights the job ran under (its cache key holds them). */
    boolean sameRights(Job job) {
      if (job.principalId().equals(Principal.SYSTEM)) {
        return true;
      }
      ExportRequest request = ExportJson.requestFromJson(Json.parse(job.requestJson()));
      return cacheKey(job.principalId(), table.rightsOf(job.principalId()), request, job.transactionTime())
          .equals(job.cacheKey());
    }

    /**
     * A finished job whose principal's rights have changed since: its files may hold what the principal
     * may no longer see (docs/behaviour.md §13.2: a revoked grant hides the past too), so no URL is given.
     */
    ExportStatus staleStatus(Job job) {
      ExportStatus s = status(job, false);
      if (s.manifest() == null) {
        return s;
      }
      return new ExportStatus(s.id(), s.principalId(), s.state(), s.rowsDone(), s.rowsTotal(), s.eta(),
          s.transactionTime(), s.submittedAt(), s.startedAt(), s.finishedAt(),
          "the principal's rights have changed since this export was written: its files are no longer served;"
              + " submit the export again", s.manifest(), false);
    }

    private List<ExportOutput> presigned(List<ExportOutput> outputs) {
      return outputs.stream().map(o -> o.withUrl(storage.presignDownload(o.path()).url())).toList();
    }

    Optional<ExportStatus> delete(Job job) {
      if (!ExportState.parse(job.status()).ended() && table.cancel(job.id(), now())) {
        JobRun run = running.get(job.id());
        if (run != null) {
          run.cancel();
        }
        LOG.info("export {} cancelled", job.id());
        return Optional.of(status(table.find(job.id()).orElseThrow(), false));
      }
      // Ended (or it ended just now): remove it and its files.
      if (table.delete(job.id())) {
        storage.deletePrefix(folder(job.id()));
        LOG.info("export {} removed with its files", job.id());
      }
      return Optional.empty();
    }

    /** Runs one job on a worker: from scratch, at its fixed time. */
    private void run(String id) {
      try {
        if (closing) {
          return; // left queued in the table: the next service runs it
        }
        Optional<Job> found = table.find(id);
        if (found.isEmpty() || !table.start(id, now())) {
          return; // cancelled or removed while it waited
        }
        Job job = found.get();
        JobRun run = new JobRun(this, job);
        running.put(id, run);
        options.listener().started(id);
        try {
          ExportManifest manifest = run.write(viewOf(job.principalId()), folder(id));
          if (table.finish(id, new String(Json.write(ExportJson.toJson(manifest)), StandardCharsets.UTF_8),
              run.rowsDone(), now())) {
            LOG.info("export {} finished: {} rows, {} files, in {} ms", id, run.rowsDone(),
                manifest.output().size() + manifest.deleted().size(), run.elapsed().toMillis());
            options.listener().ended(id, ExportState.FINISHED, run.rowsDone());
          } else {
            storage.deletePrefix(folder(id)); // cancelled as it finished
            options.listener().ended(id, ExportState.CANCELLED, run.rowsDone());
          }
        } catch (RuntimeException | Error e) {
          quietly(() -> storage.deletePrefix(folder(id)));
          if (run.cancelled()) {
            LOG.info("export {} stopped: cancelled after {} rows", id, run.rowsDone());
            options.listener().ended(id, ExportState.CANCELLED, run.rowsDone());
          } else if (closing) {
            table.requeue(id);
            LOG.info("export {} stopped by shutdown after {} rows; it runs again when exports next open", id,
                run.rowsDone());
          } else {
            String reason = reason(e);
            table.fail(id, reason, now());
            LOG.warn("export {} failed: {}", id, reason, e);
            options.listener().ended(id, ExportState.FAILED, run.rowsDone());
          }
        } finally {
          running.remove(id);
        }
      } catch (RuntimeException e) {
        LOG.error("export {} could not be run or recorded; a service resumes it once its lease has run out", id, e);
      } finally {
        scheduled.remove(id);
        active.decrementAndGet();
        options.listener().left(id);
      }
    }

    private static String reason(Throwable e) {
      if (e instanceof io.vxdata.UnauthenticatedException) {
        return "its principal may no longer read: " + e.getMessage();
      }
      String message = e.getMessage();
      return message == null ? e.getClass().getSimpleName() : message;
    }

    private static void quietly(Runnable r) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("could not delete the files of a stopped export: {}", e.getMessage());
      }
    }

    boolean closing() {
      return closing;
    }

    VxData viewOf(String principalId) {
      return principalId.equals(Principal.SYSTEM) ? store : store.as(principalId);
    }

    /** The folder of a job's files: {@code s3://bucket/<prefix>/<id>/}. */
    String folder(String id) {
      return "s3://" + storage.settings().bucket() + "/" + options.keyPrefix() + "/" + id + "/";
    }

    /** When a worker is likely free: the shortest ETA of the running jobs, 1 s to 5 min; 5 s when unknown. */
    private Duration retryAfter() {
      return running.values().stream().map(JobRun::eta).filter(java.util.Objects::nonNull).min(Duration::compareTo)
          .map(d -> Duration.ofSeconds(Math.min(300, Math.max(1, d.toSeconds() + 1))))
          .orElse(Duration.ofSeconds(5));
    }

    void close() {
      closing = true;
      ticker.shutdownNow();
      pool.shutdownNow();
      try {
        if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
          LOG.warn("export workers still busy after 30 s; their jobs run again when exports next open");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    static Instant now() {
      return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static String newId(Instant now) {
      StringBuilder sb = new StringBuilder("ex-").append(Long.toString(now.getEpochSecond(), 36)).append('-');
      for (int i = 0; i < 12; i++) {
        sb.append(DIGITS[RANDOM.nextInt(32)]);
      }
      return sb.toString();
    }
  }

  static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
