package io.vxdata;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One page of the change feed (docs/behaviour.md §14.2), oldest entry first.
 *
 * @param changes the entries of this page in commit order: by transaction time; within one commit
 *     the versions by identifier, then the link changes by relation, source and target
 * @param next the token to continue after this page; never null (on a {@code done} page it stands
 *     after every commit up to {@code asOf}, so the next call returns only later commits)
 * @param done whether the page reached the last commit: no entry at or before {@code asOf} is left
 * @param limit the page size that was applied
 * @param asOf the last commit time when the page was read; no entry is later, and no entry at or
 *     before it can appear later
 */
public record ChangesPage(List<ChangeEntry> changes, String next, boolean done, int limit, Instant asOf) {

  public ChangesPage {
    changes = List.copyOf(changes);
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(asOf, "asOf");
  }
}
