package io.vxdata.jdbc.internal;

import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * Where one read statement runs: on {@code handle}, over {@code catalog}'s tables, seeing the
 * versions of {@code visibility}. Either inside a {@link Snapshot}, whose time is known, or
 * {@code alone}, outside any transaction: the statement then also reads the last commit's time and
 * the catalog version itself, in the same snapshot of the database as its answer. Alone at
 * {@link Visibility#LAST_COMMIT} that commit is the time it read at; alone at a fixed time, the
 * last commit tells whether that time is final (no commit at or before it can come later).
 */
record Reading(Handle handle, Catalog catalog, Visibility visibility, boolean alone) {

  /** A statement of a snapshot. */
  Reading(Handle handle, Catalog catalog, Visibility visibility) {
    this(handle, catalog, visibility, false);
  }

  /**
   * What a statement answered, the time it read at, the catalog version then, and the last commit
   * time the statement read (for a statement of a snapshot, its time).
   */
  record Result<T>(T value, Instant at, long typesVersion, Instant lastCommit) {

    <U> Result<U> with(U other) {
      return new Result<>(other, at, typesVersion, lastCommit);
    }
  }

  /** {@code value} read in a snapshot, at this reading's known time. */
  <T> Result<T> result(T value) {
    return new Result<>(value, visibility.at(), catalog.version(), visibility.at());
  }

  /**
   * {@code value} read alone, by a statement that read {@code lastCommit} and {@code typesVersion}:
   * at the last commit, or at the fixed time of the visibility.
   */
  <T> Result<T> alone(T value, Instant lastCommit, long typesVersion) {
    return new Result<>(value, visibility.pinned() ? visibility.at() : lastCommit, typesVersion, lastCommit);
  }
}
