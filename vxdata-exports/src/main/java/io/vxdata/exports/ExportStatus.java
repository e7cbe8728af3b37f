package io.vxdata.exports;

import java.time.Duration;
import java.time.Instant;

/**
 * An export job as its submitter sees it (docs/behaviour.md §14.5).
 *
 * @param id the job's identifier
 * @param principalId who submitted it
 * @param state where it is
 * @param rowsDone rows written so far (all of them once finished)
 * @param rowsTotal rows it will write, once counted (0 before it runs)
 * @param eta the time it is expected to need still, while running and once some rows are written;
 *     {@code null} otherwise
 * @param transactionTime the fixed time it reads at, resolved when it was submitted
 * @param submittedAt when it was submitted
 * @param startedAt when it last started running, or {@code null}
 * @param finishedAt when it ended, or {@code null}
 * @param error why it failed, or {@code null}
 * @param manifest the files, once finished (with presigned URLs), else {@code null}
 * @param reused whether a submission was answered with this earlier identical job
 */
public record ExportStatus(String id, String principalId, ExportState state, long rowsDone, long rowsTotal,
    Duration eta, Instant transactionTime, Instant submittedAt, Instant startedAt, Instant finishedAt, String error,
    ExportManifest manifest, boolean reused) {

  /** This status marked as the answer to a submission that reused the job. */
  public ExportStatus asReused() {
    return new ExportStatus(id, principalId, state, rowsDone, rowsTotal, eta, transactionTime, submittedAt, startedAt,
        finishedAt, error, manifest, true);
  }
}
