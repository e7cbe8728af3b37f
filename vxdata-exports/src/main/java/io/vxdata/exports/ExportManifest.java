package io.vxdata.exports;

import java.time.Instant;
import java.util.List;

/**
 * What a finished export wrote (docs/behaviour.md §14.5).
 *
 * @param transactionTime the transaction time every row was read at
 * @param request the request, as submitted
 * @param output one file per query (payload type), in the request's order
 * @param deleted with {@code since}: one file per payload type of the identifiers deleted after
 *     {@code since} (each with the time of its tombstone); empty otherwise
 */
public record ExportManifest(Instant transactionTime, ExportRequest request, List<ExportOutput> output,
    List<ExportOutput> deleted) {

  public ExportManifest {
    output = List.copyOf(output);
    deleted = List.copyOf(deleted);
  }
}
