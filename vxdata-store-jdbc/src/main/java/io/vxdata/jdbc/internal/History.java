package io.vxdata.jdbc.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.HistoryEntry;
import io.vxdata.HistoryPage;
import io.vxdata.NotFoundException;
import io.vxdata.Resource;
import io.vxdata.spi.ChangedFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jdbi.v3.core.argument.Argument;

/**
 * The history of one identifier (docs/behaviour.md §14.1): its versions, newest first, in keyset
 * pages by version number.
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
   * One page of {@code identifier}'s versions older than {@code beforeVersion} (all when null).
   *
   * @throws NotFoundException if the page is empty: no version at the snapshot's time, or none visible
   */
  HistoryPage page(String identifier, Long beforeVersion, int limit, Cursors cursors) {
    Instant at = snapshot.at();
    List<Row> rows = new ArrayList<>();
    for (TypeTable table : tablesHolding(identifier)) {
      rows.addAll(rows(table, identifier, beforeVersion, limit + 1));
    }
    rows.sort(Comparator.comparingLong((Row r) -> r.resource().version()).reversed());
    if (rows.isEmpty()) {
      throw NotFoundException.of(identifier, "no resource '%s' as of %s", identifier, at);
    }
    List<HistoryEntry> entries = new ArrayList<>(Math.min(rows.size(), limit));
    for (int i = 0; i < rows.size() && i < limit; i++) {
      Row row = rows.get(i);
      Resource version = row.resource();
      Row next = i + 1 < rows.size() ? rows.get(i + 1) : null;
      Resource before = next != null && next.resource().version() == version.version() - 1 ? next.resource() : null;
      Instant validTo = row.sysTo() == null || row.sysTo().isAfter(at) ? null : row.sysTo();
      entries.add(new HistoryEntry(version, version.updatedAt(), validTo, ChangedFields.of(before, version)));
    }
    String nextCursor = rows.size() > limit
        ? cursors.encode(fingerprint(identifier), at, List.of(entries.get(limit - 1).version())) : null;
    return new HistoryPage(entries, nextCursor, limit, at);
  }

  /**
   * The types whose current or history table holds a row of {@code identifier}, at any time: those the
   * identifier index names for it, one key probe ({@link Identifiers}).
   */
  private List<TypeTable> tablesHolding(String identifier) {
    Catalog catalog = snapshot.catalog();
    return Identifiers.byType(snapshot.handle(), catalog, List.of(identifier)).keySet().stream()
        .map(catalog::table).toList();
  }

  /**
   * Up to {@code rows} versions of {@code identifier} in {@code table}'s two tables, written at or
   * before the snapshot's time, older than {@code beforeVersion}, visible to the reader; newest first.
   */
  private List<Row> rows(TypeTable table, String identifier, Long beforeVersion, int rows) {
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
      if (beforeVersion != null) {
        sql.append(" AND version < ?");
        long before = beforeVersion;
        args.add((i, st, ctx) -> st.setLong(i, before));
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
