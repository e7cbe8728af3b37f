package io.vxdata.exports;

/**
 * Told of a running job's progress, on the worker's thread, after each batch of rows
 * ({@link ExportOptions#batchRows()}): for monitoring. What it throws stops the job as a failure;
 * a listener that blocks holds the job (tests use that to stop a job at a known row).
 */
@FunctionalInterface
public interface ExportListener {

  /** Nothing. */
  ExportListener NONE = (id, done, total) -> { };

  /** Called after every batch of rows of job {@code jobId}. */
  void batch(String jobId, long rowsDone, long rowsTotal);
}
