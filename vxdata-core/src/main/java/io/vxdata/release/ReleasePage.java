package io.vxdata.release;

import java.util.List;

/**
 * One page of the releases, newest first (docs/behaviour.md §14.4).
 *
 * @param releases the releases of this page, by transaction time descending, then name
 * @param nextCursor the token for the next page, or {@code null} on the last page
 * @param limit the page size that was applied
 */
public record ReleasePage(List<Release> releases, String nextCursor, int limit) {

  public ReleasePage {
    releases = List.copyOf(releases);
  }
}
