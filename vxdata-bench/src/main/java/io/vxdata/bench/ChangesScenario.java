package io.vxdata.bench;

import io.vxdata.ChangeEntry;
import io.vxdata.ChangesPage;
import io.vxdata.ChangesRequest;
import io.vxdata.VxData;
import io.vxdata.bench.QueryScenario.Pair;
import io.vxdata.bench.QueryScenario.Row;
import io.vxdata.jdbc.VxDataStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The change feed (docs/behaviour.md §14.2): reading the whole feed from the start in pages of 1,000,
 * through {@code VxData.changes}, against a hand-written JDBC keyset scan of the same versions (every
 * type's current and history table, {@code UNION ALL}, by {@code (updated_at, identifier)}, 1,000 rows
 * a page) that reads the same columns but works out no operation and checks nothing. {@code --query-rows}
 * studies of the query scenario's corpus are loaded, then every fifth study is updated once, so the
 * feed spans both tables. Timed with {@link PathTimer} (interleaved, first path alternating, medians;
 * both paths must list the same versions in the same order).
 */
final class ChangesScenario implements Scenario {

  static final int PAGE = 1_000;
  /** No goal was set for the feed: the row is information (ratio and changes/s). */
  static final double GOAL = 0;

  @Override
  public String key() {
    return "changes";
  }

  @Override
  public String name() {
    return "change feed";
  }

  @Override
  public String describe(BenchOptions o) {
    return String.format(Locale.ROOT, "%,d studies under %,d patients in %d datasources, every fifth study updated"
        + " once; the whole feed from the start in pages of %,d through VxData.changes against a hand-written JDBC"
        + " keyset scan of every type's two tables, %d untimed + %d timed repetitions per path, interleaved, median ms",
        o.queryRows(), Math.max(1, o.queryRows() / 10), StudyCorpus.DATASOURCES, PAGE, o.queryWarmup(), o.queryReps());
  }

  @Override
  public String tableHeader() {
    return QueryScenario.HEADER;
  }

  @Override
  public Result run(Backend backend, BenchOptions options) throws Exception {
    boolean pg = backend.name().equals("postgresql");
    List<String> notes = new ArrayList<>();
    List<String> table = new ArrayList<>();
    StudyCorpus corpus = new StudyCorpus("c", options.queryRows());
    Backend.Database db = QueryScenario.queryDatabase(backend, "changes", notes);
    try (VxData vx = VxDataStore.open(db.storeOptions()); Connection c = db.connect();
        PathTimer timer = new PathTimer(db, pg, options)) {
      notes.add(corpus.load(vx, options.batch(), backend.name() + ": changes"));
      int updates = 0;
      for (int i = 0; i < corpus.studies(); i += options.batch() * 5) {
        updates += vx.update(corpus.updates(i, Math.min(corpus.studies(), i + options.batch() * 5), 1)).count();
      }
      List<String> tables = QueryScenario.storeTables(vx);
      notes.add(QueryScenario.maintenance(backend, db, tables, pg, true, "after the load and " + updates + " updates"));
      String sql = keysetSql(tables, pg);
      notes.add("hand-written page: " + sql);

      BenchMain.progress("%s: changes: timing", backend.name());
      Pair feed = timer.compare("feed", () -> viaFeed(vx), () -> viaSql(c, sql));
      int versions = viaFeed(vx).size();
      table.add(new Row("whole feed, pages of 1,000", feed.vx(), "JDBC keyset scan", feed.sql(), GOAL, feed.same(),
          null).format(backend.name()));
      notes.add(String.format(Locale.ROOT, "%,d versions (%,d updates); VxData %s = %,.0f changes/s; JDBC %s ="
          + " %,.0f changes/s", versions, updates, feed.vx().describe(), versions / (feed.vx().medianMs() / 1000),
          feed.sql().describe(), versions / (feed.sql().medianMs() / 1000)));
      if (!feed.same()) {
        notes.add("MISMATCH: " + feed.firstDifference());
      }
    }
    return new Result(backend.name(), table, notes);
  }

  /** Every version through the feed, as identifier@version in feed order. */
  private static List<String> viaFeed(VxData vx) {
    List<String> out = new ArrayList<>();
    ChangesRequest request = ChangesRequest.fromStart().withLimit(PAGE);
    while (true) {
      ChangesPage page = vx.changes(request);
      for (ChangeEntry e : page.changes()) {
        out.add(e.identifier() + "@" + e.version());
      }
      if (page.done()) {
        return out;
      }
      request = request.next(page);
    }
  }

  /** One page of the baseline: each table's next rows after the position, merged, cut to a page. */
  private static String keysetSql(List<String> tables, boolean pg) {
    String id = pg ? "CAST(? AS VARCHAR(255)) COLLATE \"C\"" : "?";
    List<String> branches = new ArrayList<>();
    for (String t : tables) {
      branches.add("(SELECT updated_at, identifier, version, parent_identifier, is_deleted FROM " + t
          + " WHERE updated_at >= ? AND (updated_at > ? OR identifier > " + id + ") ORDER BY updated_at, identifier"
          + " LIMIT " + PAGE + ")");
    }
    return String.join(" UNION ALL ", branches) + " ORDER BY updated_at, identifier LIMIT " + PAGE;
  }

  /** Every version through the baseline, as identifier@version in (updated_at, identifier) order. */
  private static List<String> viaSql(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    int branches = sql.split(" UNION ALL ").length;
    OffsetDateTime after = OffsetDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC);
    String afterId = "";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      while (true) {
        for (int b = 0; b < branches; b++) {
          ps.setObject(3 * b + 1, after);
          ps.setObject(3 * b + 2, after);
          ps.setString(3 * b + 3, afterId);
        }
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            after = rs.getObject(1, OffsetDateTime.class);
            afterId = rs.getString(2);
            long version = rs.getLong(3);
            rs.getString(4);
            rs.getBoolean(5);
            out.add(afterId + "@" + version);
            rows++;
          }
        }
        if (rows < PAGE) {
          return out;
        }
      }
    }
  }
}
