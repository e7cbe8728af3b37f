package io.vxdata.jdbc.internal;

import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * Where one read statement runs: on {@code handle}, over {@code catalog}'s tables, seeing the
 * versions of {@code visibility}. Either inside a {@link Snapshot}, whose time is known, or alone
 * at {@link Visibility#LAST_COMMIT}, outside any transaction: the statement then reads that
 * commit's time and catalog version itself, in the same snapshot of the database as its answer.
 */
record Reading(Handle handle, Catalog catalog, Visibility visibility) {

  /** What a statement answered, the time it read at, and the catalog version then. */
  record Result<T>(T value, Instant at, long typesVersion) {

    <U> Result<U> with(U other) {
      return new Result<>(other, at, typesVersion);
    }
  }

  /** {@code value} read at this reading's known time (not {@link Visibility#LAST_COMMIT}). */
  <T> Result<T> result(T value) {
    return new Result<>(value, visibility.at(), catalog.version());
  }
}
