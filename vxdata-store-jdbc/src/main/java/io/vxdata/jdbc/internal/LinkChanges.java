package io.vxdata.jdbc.internal;

import io.vxdata.ChangeOperation;
import io.vxdata.relation.RelationType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jdbi.v3.core.argument.Argument;

/**
 * Link changes (docs/behaviour.md §15.1) read off {@code vx_link} for the change feed and histories
 * (docs/behaviour.md §14): a row is an attach at its {@code valid_from} and, once detached, a detach at
 * its {@code valid_to}. {@code V8__link_times.sql} indexes both times per relation for the feed's
 * range seeks, and both with each end for a history's.
 *
 * <p>A transaction attaches or detaches a link at most once (an attach skips what is attached, a
 * detach what is not, and a delete or restore carries a link along once), so (time, relation, source,
 * target) names one change.
 *
 * <p>A reader sees a change only when it may see both ends as they were at its time: the version of
 * each end valid then passes {@link Visibility#rule}, as a version in the feed does. The ends' types
 * are their relation's, so branches are built per pair of types.
 */
final class LinkChanges {

  /** An attach or a detach: the column its time is in, and who made it. */
  enum Kind {
    ATTACHED("valid_from", "attached_by", ChangeOperation.ATTACHED),
    DETACHED("valid_to", "detached_by", ChangeOperation.DETACHED);

    final String time;
    final String by;
    final ChangeOperation operation;

    Kind(String time, String by, ChangeOperation operation) {
      this.time = time;
      this.by = by;
      this.operation = operation;
    }
  }

  /** The relations whose links go from a {@code source} to a {@code target}. */
  record Group(TypeTable source, TypeTable target, List<String> relations) {}

  private final Snapshot snapshot;

  LinkChanges(Snapshot snapshot) {
    this.snapshot = snapshot;
  }

  /** The registered relations that {@code keep} keeps, grouped by their types. */
  List<Group> groups(Predicate<RelationType> keep) {
    Catalog catalog = snapshot.catalog();
    Map<List<String>, List<String>> names = new LinkedHashMap<>();
    for (RelationType r : catalog.relations().values()) {
      if (keep.test(r) && catalog.table(r.sourceType()) != null && catalog.table(r.targetType()) != null) {
        names.computeIfAbsent(List.of(r.sourceType(), r.targetType()), k -> new ArrayList<>()).add(r.name());
      }
    }
    List<Group> groups = new ArrayList<>();
    names.forEach((types, relations) -> groups.add(new Group(catalog.table(types.get(0)),
        catalog.table(types.get(1)), relations)));
    return groups;
  }

  /**
   * The {@code WHERE} conditions of changes of {@code kind} to links of {@code relations} (of
   * {@code group}) at or before the read time, whose ends the reader may see then, with an end under
   * {@code datasource} when set; appends their arguments. The link table's alias is {@code l}.
   */
  String where(Kind kind, Group group, List<String> relations, String datasource, List<Argument> args) {
    StringBuilder sql = new StringBuilder(relations.size() == 1 ? "l.relation = ?" : "l.relation IN ("
        + String.join(", ", relations.stream().map(r -> "?").toList()) + ")");
    relations.forEach(r -> args.add(Sql.text(r)));
    sql.append(" AND l.").append(kind.time).append(" <= ?");
    args.add(Sql.time(snapshot.at()));
    Visibility visibility = snapshot.visibility();
    if (!visibility.caller().system()) {
      sql.append(" AND ").append(endAt(group.source(), "source_id", kind, null, args));
      sql.append(" AND ").append(endAt(group.target(), "target_id", kind, null, args));
    }
    if (datasource != null) {
      sql.append(" AND (").append(endAt(group.source(), "source_id", kind, datasource, args)).append(" OR ")
          .append(endAt(group.target(), "target_id", kind, datasource, args)).append(")");
    }
    return sql.toString();
  }

  /**
   * The condition that the version of the end in {@code column} valid at the change's time is one the
   * reader may see, and under {@code datasource} when set: a primary-key probe of each table of its type.
   */
  private String endAt(TypeTable table, String column, Kind kind, String datasource, List<Argument> args) {
    String time = "l." + kind.time;
    List<String> probes = new ArrayList<>();
    for (String source : List.of(table.current(), table.history())) {
      StringBuilder probe = new StringBuilder("EXISTS (SELECT 1 FROM ").append(source)
          .append(" v WHERE v.identifier = l.").append(column).append(" AND v.updated_at <= ").append(time);
      if (source.equals(table.history())) {
        probe.append(" AND v._sys_to > ").append(time);
      }
      String rule = snapshot.visibility().rule(args);
      if (rule != null) {
        probe.append(" AND ").append(rule);
      }
      if (datasource != null) {
        probe.append(" AND v.").append(TypeTable.ROOT).append(" = ?");
        args.add(Sql.text(datasource));
      }
      probes.add(probe.append(")").toString());
    }
    return "(" + String.join(" OR ", probes) + ")";
  }
}
