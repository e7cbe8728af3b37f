package io.vxdata.jdbc.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vxdata.ValidationException;
import io.vxdata.query.QueryRequest;
import io.vxdata.spi.Limits;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;

/**
 * The table of export jobs ({@code vx_export_job}, migration V5): the seam through which
 * {@code vxdata-exports} persists its jobs in the store's database, obtained with
 * {@link io.vxdata.jdbc.VxDataStore#exportJobs}. Not a user API: it knows nothing of exports but
 * their rows, and checks no rights (the exports service does). Every state change is a conditional
 * {@code UPDATE} on the current status, so a cancel and a finish racing each other cannot both win.
 */
public final class ExportJobTable {

  /** The states a job row may be in. */
  public static final String QUEUED = "queued";
  public static final String RUNNING = "running";
  public static final String FINISHED = "finished";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";

  /**
   * One job.
   *
   * @param id the job's identifier
   * @param principalId who submitted it ({@code system} for the system handle)
   * @param cacheKey equal for jobs that would write the same files
   * @param requestJson the request, in its wire form
   * @param transactionTime the fixed time the job reads at
   * @param status one of the constants of this class
   * @param rowsDone rows written so far
   * @param rowsTotal rows to write, once counted (0 before)
   * @param error why it failed, or {@code null}
   * @param manifestJson the manifest once finished, or {@code null}
   * @param submittedAt when it was submitted
   * @param startedAt when it last started running, or {@code null}
   * @param finishedAt when it finished, failed or was cancelled, or {@code null}
   */
  public record Job(String id, String principalId, String cacheKey, String requestJson, Instant transactionTime,
      String status, long rowsDone, long rowsTotal, String error, String manifestJson, Instant submittedAt,
      Instant startedAt, Instant finishedAt) {}

  private static final String COLUMNS = "id, principal_id, cache_key, request_json, tx_time, status, rows_done,"
      + " rows_total, error, manifest_json, submitted_at, started_at, finished_at";
  private static final int MAX_ERROR = 4000;

  /**
   * A page of jobs, newest first.
   *
   * @param jobs the jobs
   * @param nextCursor the cursor of the next page, {@code null} on the last
   * @param limit the page size asked for
   */
  public record Page(List<Job> jobs, String nextCursor, int limit) {}

  private final Transactions transactions;
  private final Cursors cursors;

  ExportJobTable(Transactions transactions, Cursors cursors) {
    this.transactions = transactions;
    this.cursors = cursors;
  }

  /** Adds a job. */
  public void insert(Job job) {
    transactions.withHandle(h -> h.createUpdate("INSERT INTO vx_export_job (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(0, Sql.text(job.id())).bind(1, Sql.text(job.principalId())).bind(2, Sql.text(job.cacheKey()))
        .bind(3, Sql.text(job.requestJson())).bind(4, Sql.time(job.transactionTime()))
        .bind(5, Sql.text(job.status())).bind(6, job.rowsDone()).bind(7, job.rowsTotal())
        .bind(8, Sql.text(job.error())).bind(9, Sql.text(job.manifestJson()))
        .bind(10, Sql.time(job.submittedAt())).bind(11, Sql.time(job.startedAt()))
        .bind(12, Sql.time(job.finishedAt()))
        .execute());
  }

  /** The job {@code id}, if there is one. */
  public Optional<Job> find(String id) {
    return transactions.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM vx_export_job WHERE id = ?")
        .bind(0, Sql.text(id)).map((rs, ctx) -> job(rs)).findOne());
  }

  /** The newest job with {@code cacheKey} that is queued, running or finished: one the same request may reuse. */
  public Optional<Job> findReusable(String cacheKey) {
    return transactions.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM vx_export_job"
            + " WHERE cache_key = ? AND status IN ('queued', 'running', 'finished')"
            + " ORDER BY submitted_at DESC, id DESC")
        .bind(0, Sql.text(cacheKey)).setMaxRows(1).map((rs, ctx) -> job(rs)).findFirst());
  }

  /** Every job waiting for a worker, oldest first. */
  public List<Job> queued() {
    return transactions.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM vx_export_job"
            + " WHERE status = 'queued' ORDER BY submitted_at, id")
        .map((rs, ctx) -> job(rs)).list());
  }

  /**
   * The jobs of {@code principalId} (everyone's if {@code null}), newest first: by submission time,
   * then identifier, both descending.
   *
   * @param limit the page size, 1 to {@value QueryRequest#MAX_LIMIT}; {@code null} for
   *     {@value QueryRequest#DEFAULT_LIMIT}
   * @param cursor the {@link Page#nextCursor()} of the page before, or {@code null}
   * @throws ValidationException naming {@code limit} or {@code cursor}
   */
  public Page list(String principalId, Integer limit, String cursor) {
    int size = Limits.pageSize(limit);
    // A cursor is good only for the listing that made it: one principal's, or everyone's.
    String listing = Cursors.fingerprint(JsonNodeFactory.instance.textNode(
        "exports " + (principalId == null ? "*" : "of " + principalId)));
    Cursors.Position after = cursor == null ? null : cursors.decodeText(cursor, listing);
    List<Job> rows = transactions.withHandle(h -> {
      List<String> where = new ArrayList<>();
      List<Argument> args = new ArrayList<>();
      if (principalId != null) {
        where.add("principal_id = ?");
        args.add(Sql.text(principalId));
      }
      if (after != null) {
        where.add("(submitted_at < ? OR (submitted_at = ? AND id < ?))");
        args.add(Sql.time(after.pinnedAt()));
        args.add(Sql.time(after.pinnedAt()));
        args.add(Sql.text((String) after.lastKey().get(0)));
      }
      String sql = "SELECT " + COLUMNS + " FROM vx_export_job" + (where.isEmpty() ? "" : " WHERE "
          + String.join(" AND ", where)) + " ORDER BY submitted_at DESC, id DESC";
      return Sql.bindAll(h.createQuery(sql), args).setMaxRows(size + 1).map((rs, ctx) -> job(rs)).list();
    });
    List<Job> jobs = rows.subList(0, Math.min(size, rows.size()));
    String next = null;
    if (rows.size() > size) {
      Job last = jobs.get(size - 1);
      next = cursors.encode(listing, last.submittedAt(), List.of(last.id()));
    }
    return new Page(List.copyOf(jobs), next, size);
  }

  /**
   * Marks a queued job running from scratch, its lease renewed at {@code at}; false if it is no longer
   * queued (cancelled, or started by another service).
   */
  public boolean start(String id, Instant at) {
    return update("UPDATE vx_export_job SET status = 'running', started_at = ?, heartbeat_at = ?, rows_done = 0,"
        + " rows_total = 0, error = NULL WHERE id = ? AND status = 'queued'", Sql.time(at), Sql.time(at),
        Sql.text(id));
  }

  /**
   * Records the progress of a running job and renews its lease at {@code at}; false if it is no longer
   * running (cancelled elsewhere, say).
   */
  public boolean progress(String id, long rowsDone, long rowsTotal, Instant at) {
    return transactions.withHandle(h -> h.createUpdate("UPDATE vx_export_job SET rows_done = ?, rows_total = ?,"
            + " heartbeat_at = ? WHERE id = ? AND status = 'running'")
        .bind(0, rowsDone).bind(1, rowsTotal).bind(2, Sql.time(at)).bind(3, Sql.text(id)).execute()) == 1;
  }

  /** The running jobs whose lease was last renewed before {@code cutoff}: their service is gone. */
  public List<String> orphans(Instant cutoff) {
    return transactions.withHandle(h -> h.createQuery("SELECT id FROM vx_export_job WHERE status = 'running'"
            + " AND (heartbeat_at IS NULL OR heartbeat_at < ?) ORDER BY submitted_at, id")
        .bind(0, Sql.time(cutoff)).mapTo(String.class).list());
  }

  /**
   * Puts an orphan back in the queue, to run again from scratch; false if it is no longer running or its
   * lease was renewed since {@code cutoff} (so that two services adopting it cannot both win).
   */
  public boolean adopt(String id, Instant cutoff) {
    return update("UPDATE vx_export_job SET status = 'queued', rows_done = 0, rows_total = 0 WHERE id = ?"
        + " AND status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < ?)", Sql.text(id), Sql.time(cutoff));
  }

  /** Finishes a running job with its manifest; false if it is no longer running (cancelled meanwhile). */
  public boolean finish(String id, String manifestJson, long rows, Instant at) {
    return transactions.withHandle(h -> h.createUpdate("UPDATE vx_export_job SET status = 'finished',"
            + " manifest_json = ?, rows_done = ?, rows_total = ?, finished_at = ? WHERE id = ? AND status = 'running'")
        .bind(0, Sql.text(manifestJson)).bind(1, rows).bind(2, rows).bind(3, Sql.time(at)).bind(4, Sql.text(id))
        .execute()) == 1;
  }

  /** Fails a queued or running job with its reason; false if it had ended already. */
  public boolean fail(String id, String error, Instant at) {
    String reason = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
    return update("UPDATE vx_export_job SET status = 'failed', error = ?, finished_at = ?"
        + " WHERE id = ? AND status IN ('queued', 'running')", Sql.text(reason), Sql.time(at), Sql.text(id));
  }

  /** Cancels a queued or running job; false if it had ended already. */
  public boolean cancel(String id, Instant at) {
    return update("UPDATE vx_export_job SET status = 'cancelled', finished_at = ?"
        + " WHERE id = ? AND status IN ('queued', 'running')", Sql.time(at), Sql.text(id));
  }

  /** Puts a running job back in the queue, to run again from scratch; false if it was not running. */
  public boolean requeue(String id) {
    return update("UPDATE vx_export_job SET status = 'queued', rows_done = 0, rows_total = 0"
        + " WHERE id = ? AND status = 'running'", Sql.text(id));
  }

  /** The jobs that ended before {@code cutoff}, oldest first. */
  public List<String> endedBefore(Instant cutoff) {
    return transactions.withHandle(h -> h.createQuery("SELECT id FROM vx_export_job WHERE status IN ('finished',"
            + " 'failed', 'cancelled') AND finished_at < ? ORDER BY finished_at, id")
        .bind(0, Sql.time(cutoff)).mapTo(String.class).list());
  }

  /** Removes a job that has ended; false if there is none or it is still queued or running. */
  public boolean delete(String id) {
    return update("DELETE FROM vx_export_job WHERE id = ? AND status IN ('finished', 'failed', 'cancelled')",
        Sql.text(id));
  }

  /**
   * What decides which resources a principal sees (docs/behaviour.md §13.2), as one line of text:
   * admin flag, clearance, disabled, and the datasources it holds a grant on. A job's cache key holds
   * it, so that an export made under other rights is never reused.
   */
  public String rightsOf(String principalId) {
    return transactions.withHandle(h -> rights(h, principalId));
  }

  private static String rights(Handle h, String principalId) {
    String principal = h.createQuery("SELECT is_admin, clearance, disabled FROM vx_principal WHERE id = ?")
        .bind(0, Sql.text(principalId))
        .map((rs, ctx) -> rs.getBoolean(1) + "/" + rs.getShort(2) + "/" + rs.getBoolean(3)).findOne().orElse("none");
    List<String> grants = h.createQuery("SELECT datasource_id FROM vx_grant WHERE principal_id = ?"
            + " ORDER BY datasource_id")
        .bind(0, Sql.text(principalId)).mapTo(String.class).list();
    return principal + "/" + String.join(",", grants);
  }

  private boolean update(String sql, org.jdbi.v3.core.argument.Argument... args) {
    return transactions.withHandle(h -> Sql.bindAll(h.createUpdate(sql), List.of(args)).execute()) == 1;
  }

  private static Job job(ResultSet rs) throws SQLException {
    return new Job(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), TypeTable.instant(rs, 5),
        rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getString(10), TypeTable.instant(rs, 11),
        TypeTable.instant(rs, 12), TypeTable.instant(rs, 13));
  }
}
