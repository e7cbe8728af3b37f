package io.vxdata.jdbc.internal;

import io.vxdata.DatasourceDetails;
import io.vxdata.DatasourceDetails.TypeCounts;
import io.vxdata.DatasourceStats;
import io.vxdata.NotFoundException;
import io.vxdata.schema.BuiltInTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.argument.Argument;

/**
 * Per-datasource statistics (docs/behaviour.md §7), computed in one statement: a recursive walk from each datasource
 * down the hierarchy as of the snapshot's time, grouped by datasource and payload type.
 */
final class Stats {

  private record Group(String root, String type, boolean self, boolean deleted, long count, long versions,
      Instant firstCreated, Instant lastUpdated, long sizeBytes) {}

  private final Snapshot snapshot;

  Stats(Snapshot snapshot) {
    this.snapshot = snapshot;
  }

  List<DatasourceStats> summary() {
    List<Group> groups = groups(null, false);
    Map<String, String> names = listed(null, groups);
    Map<String, long[]> counts = new TreeMap<>();
    names.keySet().forEach(id -> counts.put(id, new long[4]));
    for (Group g : groups) {
      if (g.self()) {
        continue;
      }
      long[] c = counts.get(g.root());
      switch (g.type()) {
        case BuiltInTypes.PATIENT -> c[0] += g.count();
        case BuiltInTypes.STUDY -> c[1] += g.count();
        case BuiltInTypes.ARTEFACT -> c[2] += g.count();
        default -> { }
      }
      c[3] += g.count();
    }
    List<DatasourceStats> out = new ArrayList<>();
    counts.forEach((id, c) -> out.add(new DatasourceStats(id, names.get(id), c[0], c[1], c[2], c[3])));
    return out;
  }

  List<DatasourceDetails> details(String datasourceId) {
    List<Group> all = groups(datasourceId, true);
    Map<String, String> names = listed(datasourceId, all);
    if (datasourceId != null && names.isEmpty()) {
      throw NotFoundException.of(datasourceId, "no active datasource '%s' as of %s", datasourceId, snapshot.at());
    }
    Map<String, List<Group>> byRoot = new TreeMap<>();
    names.keySet().forEach(id -> byRoot.put(id, new ArrayList<>()));
    all.stream().filter(g -> byRoot.containsKey(g.root())).forEach(g -> byRoot.get(g.root()).add(g));
    List<DatasourceDetails> out = new ArrayList<>();
    byRoot.forEach((id, groups) -> {
      Map<String, long[]> types = new HashMap<>();
      long versions = 0;
      long size = 0;
      Instant first = null;
      Instant last = null;
      for (Group g : groups) {
        if (!g.self()) {
          long[] c = types.computeIfAbsent(g.type(), k -> new long[2]);
          c[g.deleted() ? 1 : 0] += g.count();
          if (!g.deleted()) {
            size += g.sizeBytes();
          }
        }
        versions += g.versions();
        first = first == null || (g.firstCreated() != null && g.firstCreated().isBefore(first)) ? g.firstCreated() : first;
        last = last == null || (g.lastUpdated() != null && g.lastUpdated().isAfter(last)) ? g.lastUpdated() : last;
      }
      Map<String, TypeCounts> typeCounts = new TreeMap<>();
      types.forEach((type, c) -> typeCounts.put(type, new TypeCounts(c[0], c[1])));
      out.add(new DatasourceDetails(id, names.get(id), typeCounts, versions, first, last, size));
    });
    return out;
  }

  /** Appends {@code only}'s argument, when there is one, and answers {@code args}. */
  private static List<Argument> withOnly(List<Argument> args, String only) {
    if (only != null) {
      args.add(Sql.text(only));
    }
    return args;
  }

  /**
   * The datasources a reader gets statistics of, with their names: every one it sees, and every one
   * with something active it sees under it (tombstones alone do not list one); the name of one above its clearance is null (its identifier is
   * shape, which parents would name too; its name is content, docs/behaviour.md §13.4).
   */
  private Map<String, String> listed(String only, List<Group> groups) {
    Map<String, String> names = datasourceNames(only);
    Map<String, String> listed = new TreeMap<>(names);
    groups.forEach(g -> {
      if (g.count() > 0 && !g.deleted() && !listed.containsKey(g.root())) {
        listed.put(g.root(), null);
      }
    });
    return listed;
  }

  private Map<String, String> datasourceNames(String only) {
    TypeTable ds = snapshot.catalog().table(BuiltInTypes.DATASOURCE);
    List<Argument> args = new ArrayList<>();
    String where = only == null ? "NOT is_deleted" : "NOT is_deleted AND identifier = ?";
    List<Argument> whereArgs = only == null ? List.of() : List.of(Sql.text(only));
    String sql = snapshot.visibility().select(ds, "identifier, \"name\"", where, whereArgs, args);
    Map<String, String> names = new TreeMap<>();
    Sql.bindAll(snapshot.handle().createQuery(sql), args)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> names.put(e.getKey(), e.getValue()));
    return names;
  }

  /**
   * Counts grouped by datasource, payload type, whether the row is the datasource itself and, with
   * {@code includeDeleted}, tombstone state; without it, only active resources are walked.
   */
  private List<Group> groups(String only, boolean includeDeleted) {
    String typeColumn = "CAST(%s AS VARCHAR(50))";
    List<Argument> args = new ArrayList<>();
    TypeTable ds = snapshot.catalog().table(BuiltInTypes.DATASOURCE);
    Visibility visibility = snapshot.visibility();
    // Every active datasource is walked from, and the walk follows the tree as it stood (invisible
    // nodes lead to visible ones); vx_vis says which rows may be counted, the datasource's own row
    // included (docs/behaviour.md §13.3), so a datasource above the reader's clearance still counts what
    // the reader may see under it.
    List<String> anchors = new ArrayList<>();
    for (Visibility.Branch branch : visibility.validAt(ds)) {
      String flag = visibility.visibleFlag(args);
      anchors.add("SELECT identifier AS root, identifier, " + String.format(typeColumn, "'datasource'")
          + " AS payload_type, is_deleted, version, created_at, updated_at, CAST(NULL AS BIGINT) AS size_bytes, "
          + flag + " AS vx_vis FROM " + branch.table() + " WHERE NOT is_deleted"
          + (only == null ? "" : " AND identifier = ?") + branch.and(withOnly(args, only)));
    }
    String anchor = String.join(" UNION ALL ", anchors);
    List<String> nodes = new ArrayList<>();
    for (TypeTable t : snapshot.catalog().tables().values()) {
      boolean hasSize = t.type().field("size_bytes").filter(f -> !f.list()
          && f.type() == io.vxdata.schema.FieldType.INTEGER).isPresent() && t.name().equals(BuiltInTypes.ARTEFACT);
      for (Visibility.Branch branch : visibility.validAt(t)) {
        String flag = visibility.visibleFlag(args);
        nodes.add("SELECT identifier, parent_identifier, " + String.format(typeColumn, "'" + t.name() + "'")
            + " AS payload_type, is_deleted, version, created_at, updated_at, "
            + (hasSize ? "\"size_bytes\"" : "CAST(NULL AS BIGINT)") + " AS size_bytes, " + flag + " AS vx_vis FROM "
            + branch.table() + " WHERE " + (includeDeleted ? "TRUE" : "NOT is_deleted") + branch.and(args));
      }
    }
    String sql = "WITH RECURSIVE vx_tree(root, identifier, payload_type, is_deleted, version, created_at, updated_at, "
        + "size_bytes, vx_vis) AS (SELECT * FROM (" + anchor + ") a UNION ALL SELECT t.root, n.identifier, n.payload_type,"
        + " n.is_deleted, n.version, n.created_at, n.updated_at, n.size_bytes, n.vx_vis FROM ("
        + String.join(" UNION ALL ", nodes) + ") n "
        + "JOIN vx_tree t ON n.parent_identifier = t.identifier) "
        + "SELECT root, payload_type, CASE WHEN identifier = root THEN 1 ELSE 0 END AS self, is_deleted, SUM(vx_vis), "
        + "SUM(version * vx_vis), MIN(CASE WHEN vx_vis = 1 THEN created_at END) AS first_created,"
        + " MAX(CASE WHEN vx_vis = 1 THEN updated_at END) AS last_updated, "
        + "COALESCE(SUM(CASE WHEN vx_vis = 1 THEN size_bytes END), 0) FROM vx_tree "
        + "GROUP BY root, payload_type, CASE WHEN identifier = root THEN 1 ELSE 0 END, is_deleted "
        + "HAVING SUM(vx_vis) > 0";
    return Sql.bindAll(snapshot.handle().createQuery(sql), args)
        .map((rs, ctx) -> new Group(rs.getString(1), rs.getString(2), rs.getInt(3) == 1, rs.getBoolean(4),
            rs.getLong(5), rs.getLong(6), TypeTable.instant(rs, "first_created"),
            TypeTable.instant(rs, "last_updated"), rs.getLong(9)))
        .list();
  }
}
