package io.vxdata.exports;

import io.vxdata.NotFoundException;
import io.vxdata.UnauthenticatedException;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.s3.ObjectStorage;
import java.util.Optional;

/**
 * Export jobs (docs/behaviour.md §14.5): queries written in the background, at one fixed transaction
 * time, as Parquet or NDJSON files into object storage, and served by presigned URLs. The Java form
 * of {@code POST /exports} and {@code GET}/{@code DELETE /exports/{id}}, for pipelines.
 *
 * <p>{@link #open} gives the service, acting as the store's system handle; {@link #as} gives a
 * principal's view of it, whose jobs read through {@code vx.as(principal)} when they run (so a grant
 * revoked meanwhile applies) and which sees only its own jobs (an admin sees all). Jobs live in the
 * store's database: a job left queued or running by a stopped process runs again, from scratch and at
 * the same time, when the next service opens on that database.
 *
 * <pre>{@code
 * try (Exports exports = Exports.open(vx, storage, ExportOptions.defaults())) {
 *   ExportStatus job = exports.submit(ExportRequest.of(ExportFormat.PARQUET, QueryRequest.of("study").build()));
 *   // ... later
 *   exports.status(job.id()).manifest().output().forEach(o -> System.out.println(o.url()));
 * }
 * }</pre>
 */
public interface Exports extends AutoCloseable {

  /**
   * Opens the service over a store opened by {@code VxDataStore} (whose database keeps the jobs) and
   * an object storage bucket, and resumes the jobs a previous service left unfinished.
   *
   * @param store the store's system handle; it stays owned by the caller
   * @param storage where the files go; it stays owned by the caller
   */
  static Exports open(VxData store, ObjectStorage storage, ExportOptions options) {
    return ExportService.open(store, storage, options);
  }

  /**
   * Submits a job: checks the request, fixes its time (the last commit for the latest state), and
   * queues it; or, unless {@link ExportRequest#force()}, answers an identical job of the same
   * principal under the same rights at the same time that is finished, running or queued
   * ({@link ExportStatus#reused()}).
   *
   * @throws ValidationException naming the field at fault; nothing is recorded then
   * @throws ExportQueueFullException if every worker is busy and the queue is full
   */
  ExportStatus submit(ExportRequest request);

  /**
   * A job's status, progress and (once finished) manifest with freshly presigned URLs.
   *
   * @throws NotFoundException if there is no such job, or it is another principal's
   */
  ExportStatus status(String id);

  /**
   * Cancels a queued or running job (its partial files are deleted) and answers its status; removes a
   * job that has ended, and its files, and answers empty.
   *
   * @throws NotFoundException if there is no such job, or it is another principal's
   */
  Optional<ExportStatus> delete(String id);

  /**
   * The caller's jobs (an admin's or the system handle's: everyone's), newest first, a page at a time.
   *
   * @param limit the page size, 1 to 1,000; {@code null} for 100
   * @param cursor the {@link ExportPage#nextCursor()} of the page before, or {@code null} for the first
   * @throws ValidationException naming {@code limit} or {@code cursor}
   */
  ExportPage list(Integer limit, String cursor);

  /**
   * This service as {@code principalId} uses it.
   *
   * @throws UnauthenticatedException if there is no such enabled principal
   * @throws IllegalStateException on a view (only the service itself makes views)
   */
  Exports as(String principalId);

  /** Stops the workers (a running job is put back in the queue for the next service); views do nothing. */
  @Override
  void close();
}
