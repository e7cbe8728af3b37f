package io.vxdata.jdbc.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.ChangeOperation;
import io.vxdata.HistoryEntry;
import io.vxdata.HistoryPage;
import io.vxdata.NotFoundException;
import io.vxdata.Resource;
import io.vxdata.ValidationException;
import io.vxdata.relation.Link;
import io.vxdata.relation.LinkChange;
import io.vxdata.spi.ChangedFields;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.argument.Argument;

/**
 * The history of one identifier (docs/behaviour.md §14.1): its versions and the changes of its links
 * (docs/behaviour.md §15.1, see {@link LinkChanges}), newest first, in keyset pages by (time, kind,
 * key): a version by its number, a link change by its time and link; at one time the link changes
 * come first, by link descending, as the change feed has them last.
 *
 * <p>Both tables of a type are keyed by identifier first (the current table by identifier, history by
 * (identifier, version)), so a page is one index range scan per table, whatever the table sizes.
 * An identifier can have lived under several payload types (a tombstone may be re-created as another
 * type, docs/behaviour.md §3.1), so one key probe of the identifier index ({@link Identifiers}) first
 * names the types it has had, then one statement per such type reads the page;
 * pages of several types are merged by version, at most a page and one row each.
 *
 * <p>Every statement takes the versions written at or before the read time, by their
 * {@code updated_at}, which never change once written: the page needs no database snapshot, and runs
 * outside a transaction ({@link Transactions#atFixedTime}).
 *
 * <p>Each version is checked against the reader's rights on its own row ({@link Visibility#rule}:
 * the datasource it was under when written, its access level): a version the reader may not see is
 * left out, and so is the comparison with it (see {@link HistoryEntry}).
 */
final class History {

  private final Snapshot snapshot;

  History(Snapshot snapshot) {
    this.snapshot = snapshot;
  }

  /** The fingerprint cursors of {@code identifier}'s history carry. */
  static String fingerprint(String identifier) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("history", identifier);
    return Cursors.fingerprint(node);
  }

  /** A version row and the time it was superseded (null for a current row). */
  private record Row(Resource resource, Instant sysTo) {}

  /**
   * Where a page starts, newest first: older than version {@code version} (written at {@code time}),
   * or older than the change of {@code link} at {@code time} (which comes before the version at that
   * time). {@code time} is null only in a cursor issued before link changes were in histories.
   */
  record Before(Instant time, Long version, Link link) {

    /** The sizes of a cursor's key: a version's number, with its time, or a link change's time and link. */
    static final Set<Integer> KEY_SIZES = Set.of(1, 2, 4);

    /** The position a cursor's key {@code k} (from {@link #cursorKey}) holds. */
    static Before of(List<Object> k) {
      try {
        return switch (k.size()) {
          case 1 -> new Before(null, (Long) k.get(0), null);
          case 2 -> new Before(micros((Long) k.get(1)), (Long) k.get(0), null);
          default -> new Before(micros((Long) k.get(0)), null,
              new Link((String) k.get(1), (String) k.get(2), (String) k.get(3)));
        };
      } catch (ClassCastException e) {
        throw ValidationException.of(null, "cursor", "is not a cursor this store issued, or was altered");
      }
    }

    private static Instant micros(long micros) {
      return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    private List<Object> cursorKey() {
      long micros = ChronoUnit.MICROS.between(Instant.EPOCH, time);
      return link == null ? List.of(version, micros) : List.of(micros, link.relation(), link.from(), link.to());
    }
  }

  /**
   * One page of {@code identifier}'s history older than {@code before} (from the newest when null):
   * its versions and its link changes, at most {@code limit} together.
   *
   * @throws NotFoundException if the page is empty: no version at the snapshot's time, or none visible
   */
  HistoryPage page(String identifier, Before before, int limit, Cursors cursors) {
    Instant at = snapshot.at();
    List<TypeTable> tables = tablesHolding(identifier);
    if (before != null && before.time() == null) {
      before = new Before(versionTime(tables, identifier, before.version()), before.version(), null);
    }
    List<Row> rows = new ArrayList<>();
    for (TypeTable table : tables) {
      rows.addAll(rows(table, identifier, before, limit + 1));
    }
    rows.sort(Comparator.comparingLong((Row r) -> r.resource().version()).reversed());
    List<LinkChange> links = links(tables, identifier, before, limit + 1);
    if (rows.isEmpty() && links.isEmpty()) {
      throw NotFoundException.of(identifier, "no resource '%s' as of %s", identifier, at);
    }
    // Merge newest first; at one time the link changes come first (the feed has them after the versions).
    List<HistoryEntry> entries = new ArrayList<>();
    List<LinkChange> linkPage = new ArrayList<>();
    Before last = null;
    int v = 0;
    int l = 0;
    while (v + l < limit && (v < rows.size() || l < links.size())) {
      if (l < links.size() && (v == rows.size()
          || !links.get(l).transactionTime().isBefore(rows.get(v).resource().updatedAt()))) {
        LinkChange c = links.get(l++);
        linkPage.add(c);
        last = new Before(c.transactionTime(), null, c.link());
        continue;
      }
      Row row = rows.get(v);
      Resource version = row.resource();
      Row next = v + 1 < rows.size() ? rows.get(v + 1) : null;
      Resource previous = next != null && next.resource().version() == version.version() - 1 ? next.resource() : null;
      Instant validTo = row.sysTo() == null || row.sysTo().isAfter(at) ? null : row.sysTo();
      entries.add(new HistoryEntry(version, version.updatedAt(), validTo, ChangedFields.of(previous, version)));
      last = new Before(version.updatedAt(), version.version(), null);
      v++;
    }
    String nextCursor = v < rows.size() || l < links.size()
        ? cursors.encode(fingerprint(identifier), at, last.cursorKey()) : null;
    return new HistoryPage(entries, linkPage, nextCursor, limit, at);
  }

  /** When version {@code version} of {@code identifier} was written: for a cursor that holds only the number. */
  private Instant versionTime(List<TypeTable> tables, String identifier, long version) {
    List<String> probes = new ArrayList<>();
    List<Argument> args = new ArrayList<>();
    for (TypeTable table : tables) {
      for (String source : List.of(table.current(), table.history())) {
        probes.add("SELECT updated_at FROM " + source + " WHERE identifier = ? AND version = ?");
        args.add(Sql.text(identifier));
        args.add((i, st, ctx) -> st.setLong(i, version));
      }
    }
    List<Instant> found = probes.isEmpty() ? List.of()
        : Sql.bindAll(snapshot.handle().createQuery(String.join(" UNION ALL ", probes)), args)
            .map((rs, ctx) -> TypeTable.instant(rs, 1)).list();
    if (found.isEmpty()) {
      throw ValidationException.of(null, "cursor", "is not a cursor this store issued, or was altered");
    }
    return found.get(0);
  }

  /**
   * Up to {@code rows} changes of links with {@code identifier} at either end, older than
   * {@code before}, whose ends the reader may see; newest first. One statement: per kind of change,
   * end and pair of relation types, a range seek of the index on that end and time, stopped after a page.
   */
  private List<LinkChange> links(List<TypeTable> tables, String identifier, Before before, int rows) {
    Set<String> types = new HashSet<>();
    tables.forEach(t -> types.add(t.name()));
    LinkChanges changes = new LinkChanges(snapshot);
    List<Argument> args = new ArrayList<>();
    List<String> branches = new ArrayList<>();
    for (LinkChanges.Group group : changes.groups(
        r -> types.contains(r.sourceType()) || types.contains(r.targetType()))) {
      for (LinkChanges.Kind kind : LinkChanges.Kind.values()) {
        for (String end : List.of("source_id", "target_id")) {
          if (!types.contains((end.equals("source_id") ? group.source() : group.target()).name())) {
            continue;
          }
          String time = "l." + kind.time;
          StringBuilder sql = new StringBuilder("SELECT ").append(time).append(" AS vx_t, ")
              .append(kind.operation.ordinal()).append(" AS vx_op, l.relation AS vx_rel, l.source_id AS vx_src,")
              .append(" l.target_id AS vx_tgt, l.").append(kind.by).append(" AS vx_by FROM vx_link l WHERE l.")
              .append(end).append(" = ?");
          args.add(Sql.text(identifier));
          if (end.equals("target_id")) {
            sql.append(" AND l.source_id <> l.target_id"); // a link to itself is read once, from the source
          }
          sql.append(" AND ").append(changes.where(kind, group, group.relations(), null, args));
          if (before != null && before.link() != null) {
            Link k = before.link();
            sql.append(" AND (").append(time).append(" < ? OR (").append(time)
                .append(" = ? AND (l.relation, l.source_id, l.target_id) < (?, ?, ?)))");
            args.addAll(List.of(Sql.time(before.time()), Sql.time(before.time()), Sql.text(k.relation()),
                Sql.text(k.from()), Sql.text(k.to())));
          } else if (before != null) {
            sql.append(" AND ").append(time).append(" < ?");
            args.add(Sql.time(before.time()));
          }
          branches.add("(" + sql + " ORDER BY " + time + " DESC, l.relation DESC, l.source_id DESC,"
              + " l.target_id DESC LIMIT ?)");
          args.add((i, st, ctx) -> st.setInt(i, rows));
        }
      }
    }
    if (branches.isEmpty()) {
      return List.of();
    }
    String text = String.join(" UNION ALL ", branches) + " ORDER BY vx_t DESC, vx_rel DESC, vx_src DESC,"
        + " vx_tgt DESC LIMIT ?";
    args.add((i, st, ctx) -> st.setInt(i, rows));
    ChangeOperation[] operations = ChangeOperation.values();
    return Sql.bindAll(snapshot.handle().createQuery(text), args)
        .map((rs, ctx) -> new LinkChange(TypeTable.instant(rs, 1), operations[rs.getInt(2)],
            new Link(rs.getString(3), rs.getString(4), rs.getString(5)), rs.getString(6)))
        .list();
  }

  /**
   * The types whose current or history table holds a row of {@code identifier}, at any time: those the
   * identifier index names for it, one key probe ({@link Identifiers}).
   */
  private List<TypeTable> tablesHolding(String identifier) {
    Catalog catalog = snapshot.catalog();
    return snapshot.byType(List.of(identifier)).keySet().stream()
        .map(catalog::table).toList();
  }

  /**
   * Up to {@code rows} versions of {@code identifier} in {@code table}'s two tables, written at or
   * before the snapshot's time, older than {@code before}, visible to the reader; newest first.
   */
  private List<Row> rows(TypeTable table, String identifier, Before before, int rows) {
    Visibility visibility = snapshot.visibility();
    List<Argument> args = new ArrayList<>();
    List<String> branches = new ArrayList<>();
    for (String source : List.of(table.current(), table.history())) {
      boolean history = source.equals(table.history());
      StringBuilder sql = new StringBuilder("SELECT ").append(table.columns()).append(", ")
          .append(history ? "_sys_to" : "CAST(NULL AS TIMESTAMP(6) WITH TIME ZONE)")
          .append(" FROM ").append(source).append(" WHERE identifier = ? AND updated_at <= ?");
      args.add(Sql.text(identifier));
      args.add(Sql.time(snapshot.at()));
      if (before != null && before.link() == null) {
        sql.append(" AND version < ?");
        long version = before.version();
        args.add((i, st, ctx) -> st.setLong(i, version));
      } else if (before != null) {
        // After a link change: the version written with it, and older ones.
        sql.append(" AND updated_at <= ?");
        args.add(Sql.time(before.time()));
      }
      String rule = visibility.rule(args);
      if (rule != null) {
        sql.append(" AND ").append(rule);
      }
      // Each branch walks its primary key backwards from the cursor and stops after a page: the cost
      // is a page, however many versions the identifier has.
      branches.add("(" + sql + " ORDER BY version DESC LIMIT ?)");
      args.add((i, st, ctx) -> st.setInt(i, rows));
    }
    String text = String.join(" UNION ALL ", branches) + " ORDER BY version DESC LIMIT ?";
    args.add((i, st, ctx) -> st.setInt(i, rows));
    int sysTo = TypeTable.PAYLOAD_START + table.type().fields().size();
    return Sql.bindAll(snapshot.handle().createQuery(text), args)
        .map((rs, ctx) -> new Row(table.map(rs), TypeTable.instant(rs, sysTo)))
        .list();
  }
}
