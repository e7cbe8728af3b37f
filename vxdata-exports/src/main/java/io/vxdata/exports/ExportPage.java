package io.vxdata.exports;

import java.util.List;

/**
 * A page of export jobs, newest first (by submission time).
 *
 * @param exports the jobs, without presigned URLs (ask {@link Exports#status} for a job's files)
 * @param nextCursor the cursor of the next page, {@code null} on the last
 * @param limit the page size asked for
 */
public record ExportPage(List<ExportStatus> exports, String nextCursor, int limit) {

  /** Copies the list. */
  public ExportPage {
    exports = List.copyOf(exports);
  }
}
