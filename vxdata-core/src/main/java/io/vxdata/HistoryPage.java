package io.vxdata;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One page of an identifier's history (docs/behaviour.md §14.1), newest version first.
 *
 * @param versions the versions of this page, newest first
 * @param nextCursor the token for the next (older) page, or {@code null} on the last page
 * @param limit the page size that was applied
 * @param asOf the transaction time the history was read at (the first page's, for every page)
 */
public record HistoryPage(List<HistoryEntry> versions, String nextCursor, int limit, Instant asOf) {

  public HistoryPage {
    versions = List.copyOf(versions);
    Objects.requireNonNull(asOf, "asOf");
  }
}
