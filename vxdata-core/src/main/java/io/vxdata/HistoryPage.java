package io.vxdata;

import io.vxdata.relation.LinkChange;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One page of an identifier's history (docs/behaviour.md §14.1), newest first: its versions, and the
 * changes of its links (docs/behaviour.md §15.1). A page holds at most {@code limit} of both together;
 * within one commit the link changes come before the version in this newest-first order.
 *
 * @param versions the versions of this page, newest first
 * @param links the links of the identifier attached or detached in the same span of time, newest first
 * @param nextCursor the token for the next (older) page, or {@code null} on the last page
 * @param limit the page size that was applied
 * @param asOf the transaction time the history was read at (the first page's, for every page)
 */
public record HistoryPage(List<HistoryEntry> versions, List<LinkChange> links, String nextCursor, int limit,
    Instant asOf) {

  public HistoryPage {
    versions = List.copyOf(versions);
    links = List.copyOf(links);
    Objects.requireNonNull(asOf, "asOf");
  }
}
