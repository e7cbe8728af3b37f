package io.vxdata.exports;

/**
 * Told of the jobs of this process as they go (for monitoring, such as the server's metrics): queued,
 * started, each batch of rows ({@link ExportOptions#batchRows()}) on the worker's thread, ended, and gone
 * from this process. What {@link #batch} throws stops the job as a failure; a listener that blocks holds
 * the job (tests use that to stop a job at a known row). The other methods must not throw.
 */
@FunctionalInterface
public interface ExportListener {

  /** Nothing. */
  ExportListener NONE = (id, done, total) -> { };

  /** Called after every batch of rows of job {@code jobId}. */
  void batch(String jobId, long rowsDone, long rowsTotal);

  /** Job {@code jobId} waits for a worker: just submitted, or resumed when the service opened. */
  default void queued(String jobId) {}

  /** A worker started job {@code jobId}. */
  default void started(String jobId) {}

  /**
   * Job {@code jobId}, which had started, ended: {@link ExportState#FINISHED}, {@link ExportState#FAILED} or
   * {@link ExportState#CANCELLED}, having written {@code rowsWritten} rows.
   */
  default void ended(String jobId, ExportState state, long rowsWritten) {}

  /**
   * Job {@code jobId} is no longer queued or running in this process: it ended, was cancelled or removed while
   * it waited, or was put back in the queue of the next service by a shutdown. Called once per {@link #queued}.
   */
  default void left(String jobId) {}
}
