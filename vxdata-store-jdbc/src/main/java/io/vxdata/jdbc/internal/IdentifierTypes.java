package io.vxdata.jdbc.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;

/**
 * What the identifier index ({@link Identifiers}) told this process's reads, kept so that a read of
 * identifiers read before skips the index's key probe: for 1,000 identifiers the probe cost PostgreSQL
 * 2.5-3 ms, as much as reading their rows.
 *
 * <p>Kept answers stay true: the index's pairs are never removed. One can only become incomplete, when
 * a commit gives an identifier a type it did not have while it had another (a tombstone re-created as
 * another type); such a commit counts itself in {@code vx_meta.retypes}, in the same transaction. A
 * read takes the count from its own snapshot ({@link Meta}) and uses what was kept under the same
 * count only; a higher count starts afresh, and a read whose snapshot is older than what is kept asks
 * the index. An identifier a read knows types for that were added after its snapshot's time costs one
 * empty branch: every statement still reads versions by time and visibility. Identifiers never created
 * are not kept. At most {@link #CAPACITY} identifiers are kept; then the store starts afresh.
 */
final class IdentifierTypes {

  /** About 15 MB of identifiers and their types. */
  static final int CAPACITY = 100_000;

  private record Generation(long retypes, Map<String, Set<String>> types) {
    Generation(long retypes) {
      this(retypes, new ConcurrentHashMap<>());
    }
  }

  private final AtomicReference<Generation> kept = new AtomicReference<>(new Generation(-1));

  /**
   * {@code identifiers} grouped by the types they have ever had as of a snapshot that read {@code retypes},
   * in type name order; an identifier with several types is in each group, one never created in none.
   * Types {@code catalog} does not know are left out. Asks the index only for the identifiers not kept.
   */
  Map<String, List<String>> byType(Handle handle, Catalog catalog, Collection<String> identifiers, long retypes) {
    Generation generation = current(retypes);
    Map<String, Set<String>> known = new TreeMap<>();
    List<String> unknown = new ArrayList<>();
    for (String id : identifiers) {
      Set<String> types = generation == null ? null : generation.types().get(id);
      if (types == null) {
        unknown.add(id);
      } else {
        known.put(id, types);
      }
    }
    if (!unknown.isEmpty()) {
      Map<String, ? extends Set<String>> found = Identifiers.everTypesOf(handle, catalog.dialect(), unknown);
      known.putAll(found);
      if (generation != null) {
        if (generation.types().size() + found.size() > CAPACITY) {
          kept.compareAndSet(generation, new Generation(retypes));
        } else {
          found.forEach((id, types) -> generation.types().put(id, Set.copyOf(types)));
        }
      }
    }
    Map<String, List<String>> byType = new TreeMap<>();
    known.forEach((id, types) -> types.forEach(t -> {
      if (catalog.table(t) != null) {
        byType.computeIfAbsent(t, k -> new ArrayList<>()).add(id);
      }
    }));
    return byType;
  }

  /** What is kept under {@code retypes}, begun afresh if that count is newer; null if it is older. */
  private Generation current(long retypes) {
    while (true) {
      Generation generation = kept.get();
      if (generation.retypes() == retypes) {
        return generation;
      }
      if (generation.retypes() > retypes) {
        return null;
      }
      Generation fresh = new Generation(retypes);
      if (kept.compareAndSet(generation, fresh)) {
        return fresh;
      }
    }
  }
}
