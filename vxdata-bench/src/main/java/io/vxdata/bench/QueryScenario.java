package io.vxdata.bench;

import static io.vxdata.bench.PathTimer.ids;
import static io.vxdata.bench.PathTimer.prepare;
import static io.vxdata.bench.PathTimer.rows;
import static io.vxdata.bench.PathTimer.scalar;

import io.vxdata.Resource;
import io.vxdata.VxData;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.query.Filter;
import io.vxdata.query.Operator;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.SortOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Queries (docs/behaviour.md §6) over a loaded catalog: {@code --query-rows} studies under a tenth as many patients in
 * ten datasources, loaded through {@link VxData#create(List)}, then a fifth of the studies updated
 * three times through {@link VxData#update(Map)} so that the history table holds three versions
 * each. Every query runs through VxData and beside a hand-written SQL statement over the same
 * {@code vxc_study} / {@code vxh_study} tables, on its own connection opened with the store's URL,
 * interleaved repetition by repetition (the first path alternating) after untimed warm-up runs;
 * medians are reported. Both paths must return the same identifiers (or count), else the row is
 * marked MISMATCH.
 *
 * <p>Measured: (1) a selective filter ({@code modality = 'MR' AND study_date BETWEEN}) ordered by
 * {@code study_date desc}, first page of 100; (2) the first page and page 1,000 of a cursor walk in
 * the default order ({@code created_at desc}); (3) the count of the filter of (1); (4) the query of
 * (1) {@code as_of} the last commit before the updates, answered from current and history tables;
 * (5) the first page of the studies anywhere under one datasource; and the history tax: query (1)
 * at the latest time before the updates and after them.
 */
final class QueryScenario implements Scenario {

  static final int LIMIT = 100;
  /**
   * Untimed runs of the page shapes before the first timing, for the JIT: VxData's path through
   * Jdbi, Jackson and the driver takes a few thousand calls to reach its steady speed (measured: 1.5
   * ms a page over the first 2,000 calls, 0.7 ms over the third 2,000).
   */
  static final int JIT_WARMUP = 3000;
  static final double GOAL_VS_SQL = 1.5;
  static final double GOAL_DEEP_PAGE = 1.2;
  static final double GOAL_HISTORY = 1.3;

  static final String MODALITY = "MR";
  static final LocalDate FROM = LocalDate.of(2015, 1, 1);
  static final LocalDate TO = LocalDate.of(2015, 12, 31);
  static final int SUBTREE_DATASOURCE = 3;
  /** A page near the start of the cursor walk, timed beside the deep one. */
  static final int SHALLOW = 10;

  /** The columns a VxData page selects without select_columns, in its order (TypeTable, QuerySql). */
  static final String COLUMNS = "identifier, parent_identifier, license, access_level, derived_from, is_deleted,"
      + " version, created_at, updated_at, \"external_uid\", \"study_date\", \"modality\", \"description\"";

  private static final String FILTER_SQL = "\"modality\" = ? AND \"study_date\" BETWEEN ? AND ?";
  /** The same filter as QuerySql renders the AST and(eq, between). */
  private static final String STORE_FILTER_SQL = "((\"modality\" = ?) AND (\"study_date\" BETWEEN ? AND ?))";
  /**
   * What a count at the latest commit selects besides the count (QuerySql.COMMIT_COLUMNS): the
   * commit's time and the catalog version, read in the statement's own snapshot.
   */
  static final String COMMIT_COLUMNS = ", (SELECT last_tx FROM vx_meta WHERE id = 1) AS vx_last_tx"
      + ", (SELECT types_version FROM vx_meta WHERE id = 1) AS vx_types_version";
  /** The two columns a page at the latest commit leaves null for the commit row (QuerySql.page at Visibility.LAST_COMMIT). */
  static final String NULL_COMMIT_COLUMNS = ", CAST(NULL AS TIMESTAMP(6) WITH TIME ZONE) AS vx_last_tx,"
      + " CAST(NULL AS BIGINT) AS vx_types_version";
  static final String ORDER = "created_at DESC, identifier DESC";
  /** The hand-written SQL of query (1), and its parameters. */
  static final String FILTER_PAGE_SQL = "SELECT " + COLUMNS + " FROM vxc_study WHERE NOT is_deleted AND " + FILTER_SQL
      + " ORDER BY \"study_date\" DESC, identifier DESC LIMIT ?";
  static final List<Object> FILTER_PARAMS = List.of(MODALITY, FROM, TO, LIMIT + 1);
  /** The hand-written SQL of query (3), the count of the filter of (1), and its parameters. */
  static final String COUNT_SQL = "SELECT COUNT(*) FROM vxc_study WHERE NOT is_deleted AND " + FILTER_SQL;
  static final List<Object> COUNT_PARAMS = List.of(MODALITY, FROM, TO);

  /** Query (1): {@code modality = 'MR' AND study_date BETWEEN} 2015, by {@code study_date desc}, first page. */
  static QueryRequest filtered() {
    return QueryRequest.of("study")
        .filter(Filter.and(Filter.eq("modality", MODALITY), Filter.where("study_date", Operator.BETWEEN,
            List.of(FROM, TO))))
        .sortBy("study_date", SortOrder.DESC)
        .limit(LIMIT)
        .build();
  }

  /** The header of the table of {@link Row}s. */
  static final String HEADER = String.format("%-11s %-50s %10s  %-28s %10s %6s %7s  %s", "backend", "measurement",
      "ms", "against", "ms", "ratio", "goal", "verdict");

  @Override
  public String key() {
    return "query";
  }

  @Override
  public String name() {
    return "query";
  }

  @Override
  public String describe(BenchOptions o) {
    return String.format(Locale.ROOT, "%,d studies under %,d patients in %d datasources, loaded through VxData.create"
        + " (%,d per call), then every fifth study updated %d times through VxData.update (%,d per call); each query"
        + " through VxData and as hand-written SQL over the same vxc_study/vxh_study tables, %d untimed + %d timed"
        + " repetitions per path, interleaved (first path alternating), median ms", o.queryRows(),
        Math.max(1, o.queryRows() / 10), StudyCorpus.DATASOURCES, o.batch(), StudyCorpus.UPDATE_ROUNDS, o.batch(),
        o.queryWarmup(), o.queryReps());
  }

  @Override
  public String tableHeader() {
    return HEADER;
  }

  /** A median time of one path, with its spread. */
  record Timing(double medianMs, double minMs, double maxMs, int reps, boolean timedOut) {
    String describe() {
      return timedOut ? String.format(Locale.ROOT, "cancelled after %.0f ms (query timeout)", medianMs)
          : String.format(Locale.ROOT, "median %.2f ms (min %.2f, max %.2f, %d runs)", medianMs, minMs, maxMs, reps);
    }
  }

  /** Both paths of one query: times, and whether they returned the same rows. */
  record Pair(Timing vx, Timing sql, boolean same, String firstDifference) {}

  /** One line of the result table. */
  record Row(String measurement, Timing measured, String against, Timing reference, double goal, boolean same,
      String explainKey) {
    double ratio() {
      return measured.medianMs / reference.medianMs;
    }

    boolean met() {
      return goal <= 0 || (!measured.timedOut && !reference.timedOut && ratio() <= goal);
    }

    String format(String backend) {
      boolean unknown = reference.timedOut;
      String verdict = goal <= 0 || unknown ? "info" : met() ? "met" : "BELOW";
      String ratio = unknown ? "n/a" : (measured.timedOut ? ">" : "") + String.format(Locale.ROOT, "%.2f", ratio());
      return String.format(Locale.ROOT, "%-11s %-50s %10s  %-28s %10s %6s %7s  %s%s", backend, measurement,
          ms(measured), against, ms(reference), ratio, goal <= 0 ? "-" : String.format(Locale.ROOT, "<=%.2f", goal),
          verdict, same ? "" : " MISMATCH");
    }

    private static String ms(Timing t) {
      return (t.timedOut ? ">" : "") + String.format(Locale.ROOT, "%.2f", t.medianMs);
    }
  }

  /** A statement and its parameters, as either path runs it; for EXPLAIN. */
  record SqlText(String sql, List<Object> params) {}

  private PathTimer timer;

  @Override
  public Result run(Backend backend, BenchOptions options) throws Exception {
    boolean pg = backend.name().equals("postgresql");
    List<String> notes = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    Map<String, SqlText[]> statements = new LinkedHashMap<>(); // key -> {store, baseline}
    StudyCorpus corpus = new StudyCorpus("q", options.queryRows());
    Backend.Database db = queryDatabase(backend, "query", notes);
    notes.add("hand-written SQL on its own JDBC connection (autocommit, one prepared statement per execution, every"
        + " selected column read) to the store's own database, URL " + (pg ? "identical (same schema)"
        + " to the store's" : "identical to the store's (same H2 file, opened in the same JVM)") + "; VxData reads"
        + " through its pool; at the latest commit one statement (no transaction) that also reads the commit time"
        + " from vx_meta, which the baseline does not need; in the past, a transaction at " + (pg ? "REPEATABLE READ"
        : "SERIALIZABLE") + " that first reads vx_meta");
    notes.add("both paths fetch limit + 1 = " + (LIMIT + 1) + " rows per page (the extra row says whether a next page"
        + " exists); their identifiers (first " + LIMIT + ") or counts are compared");
    try (VxData vx = VxDataStore.open(db.storeOptions()); Connection c = db.connect();
        PathTimer paths = new PathTimer(db, pg, options)) {
      timer = paths;
      List<String> tables = storeTables(vx);

      // ---- load ----
      long t = System.nanoTime();
      vx.create(corpus.datasources());
      for (int p = 0; p < corpus.patients(); p += options.batch()) {
        vx.create(corpus.patients(p, Math.min(corpus.patients(), p + options.batch())));
      }
      double patientSeconds = (System.nanoTime() - t) / 1e9;
      BenchMain.progress("%s: query: %,d patients created in %.1f s; creating %,d studies", backend.name(),
          corpus.patients(), patientSeconds, corpus.studies());
      t = System.nanoTime();
      int step = Math.max(options.batch(), corpus.studies() / 10 / options.batch() * options.batch());
      for (int i = 0; i < corpus.studies(); i += options.batch()) {
        vx.create(corpus.studies(i, Math.min(corpus.studies(), i + options.batch())));
        if ((i + options.batch()) % step == 0) {
          BenchMain.progress("%s: query: %,d studies created", backend.name(), i + options.batch());
        }
      }
      double studySeconds = (System.nanoTime() - t) / 1e9;
      notes.add(String.format(Locale.ROOT, "load: %,d datasources + %,d patients in %.1f s, %,d studies in %.1f s"
          + " (%,.0f studies/s through VxData.create)", StudyCorpus.DATASOURCES, corpus.patients(), patientSeconds,
          corpus.studies(), studySeconds, corpus.studies() / studySeconds));
      notes.add(maintenance(backend, db, tables, pg, true, "after the load"));

      QueryRequest filtered = filtered();
      String filterSql = FILTER_PAGE_SQL;
      List<Object> filterParams = FILTER_PARAMS;
      statements.put("filter", new SqlText[] {
          new SqlText(atLastCommit("SELECT " + COLUMNS + NULL_COMMIT_COLUMNS + " FROM vxc_study WHERE NOT is_deleted AND "
              + STORE_FILTER_SQL + " ORDER BY \"study_date\" DESC, identifier DESC LIMIT ?",
              "\"study_date\" DESC, identifier DESC"), filterParams),
          new SqlText(filterSql, filterParams)});

      // ---- before the updates: query (1) at the latest time, for the history tax ----
      // This is the first timing of the JVM: run both paths of the page shapes often enough that the
      // JIT has compiled them, or "before" would pay for compilation that "after" does not.
      QueryRequest firstPage = QueryRequest.of("study").limit(LIMIT).build();
      for (int w = 0; w < JIT_WARMUP; w++) {
        vx.query(filtered);
        rows(c, filterSql, filterParams);
        vx.query(firstPage.next(vx.query(firstPage)));
      }
      notes.add(String.format(Locale.ROOT, "JIT warm-up before the first timing: %,d untimed runs of query (1) on"
          + " both paths and of pages 1 and 2 of the default order through VxData", JIT_WARMUP));
      BenchMain.progress("%s: query: timing query (1) before the updates", backend.name());
      Pair before = timer.compare("filter", () -> ids(vx.query(filtered)), () -> rows(c, filterSql, filterParams));
      List<String> beforeIds = ids(vx.query(filtered));
      Instant t0 = vx.lastCommitTime();
      long matching = vx.count(filtered).value();

      // ---- updates ----
      t = System.nanoTime();
      int updates = 0;
      for (int round = 1; round <= StudyCorpus.UPDATE_ROUNDS; round++) {
        for (int i = 0; i < corpus.studies(); i += options.batch() * 5) {
          updates += vx.update(corpus.updates(i, Math.min(corpus.studies(), i + options.batch() * 5), round)).count();
        }
        BenchMain.progress("%s: query: update round %d of %d done", backend.name(), round, StudyCorpus.UPDATE_ROUNDS);
      }
      double updateSeconds = (System.nanoTime() - t) / 1e9;
      notes.add(String.format(Locale.ROOT, "updates: %,d (every fifth study, %d rounds: description rewritten, last"
          + " round also study_date + 1 day) in calls of %,d, %.1f s (%,.0f updates/s through VxData.update); T0 ="
          + " lastCommitTime() before them = %s; vxh_study now holds %,d rows", updates, StudyCorpus.UPDATE_ROUNDS,
          options.batch(), updateSeconds, updates / updateSeconds, t0, count(c, "vxh_study")));
      check(updates == StudyCorpus.UPDATE_ROUNDS * ((corpus.studies() + 4) / 5), "updates counted " + updates);

      BenchMain.progress("%s: query: timing query (1) right after the updates", backend.name());
      try (Statement s = c.createStatement()) {
        s.execute(pg ? "ANALYZE vxc_study" : "ANALYZE");
      }
      Pair afterRaw = timer.compare("filter", () -> ids(vx.query(filtered)), () -> rows(c, filterSql, filterParams));
      notes.add(maintenance(backend, db, tables, pg, true, "after the updates"));

      // ---- (1) filter + order, first page ----
      BenchMain.progress("%s: query: timing the queries", backend.name());
      Pair q1 = timer.compare("filter", () -> ids(vx.query(filtered)), () -> rows(c, filterSql, filterParams));
      rows.add(new Row("(1) filter + order by study_date, page 1", q1.vx, "hand-written SQL",
          q1.sql, GOAL_VS_SQL, q1.same, "filter"));

      // ---- (2) cursor walk: page 1 and page N ----
      QueryRequest all = QueryRequest.of("study").limit(LIMIT).build();
      String pageSql = "SELECT " + COLUMNS + " FROM vxc_study WHERE NOT is_deleted"
          + " ORDER BY created_at DESC, identifier DESC LIMIT ?";
      List<Object> pageParams = List.of(LIMIT + 1);
      String storePageSql = atLastCommit("SELECT " + COLUMNS + NULL_COMMIT_COLUMNS + " FROM vxc_study"
          + " WHERE NOT is_deleted ORDER BY " + ORDER + " LIMIT ?", ORDER);
      statements.put("page1", new SqlText[] {new SqlText(storePageSql, pageParams), new SqlText(pageSql,
          pageParams)});
      Pair p1 = timer.compare("page1", () -> ids(vx.query(all)), () -> rows(c, pageSql, pageParams));
      rows.add(new Row("(2) default order, page 1", p1.vx, "hand-written SQL", p1.sql,
          GOAL_VS_SQL, p1.same, "page1"));
      // Where a fast query's overhead goes: the statement the store sends, run by hand.
      Pair bare = timer.compare("page1", () -> rows(c, storePageSql, pageParams), () -> rows(c, pageSql, pageParams));
      rows.add(new Row("(2) page 1, the store's statement by hand", bare.vx, "hand-written SQL",
          bare.sql, 0, bare.same, null));
      notes.add("the store's statement by hand: the page 1 statement as the store sends it (the page, and a row with"
          + " the last commit time and catalog version from vx_meta), run like the baseline; the rest of VxData's time"
          + " is validation, cursor signing and mapping rows to resources");

      int deep = Math.max(2, Math.min(1000, corpus.studies() / LIMIT / 2));
      t = System.nanoTime();
      QueryPage page = vx.query(all);
      QueryRequest shallowRequest = null;
      for (int k = 2; k < deep; k++) {
        if (k == SHALLOW) {
          shallowRequest = all.next(page);
        }
        page = vx.query(all.next(page));
      }
      double walkSeconds = (System.nanoTime() - t) / 1e9;
      Resource last = page.results().get(page.results().size() - 1);
      QueryRequest deepRequest = all.next(page);
      String keysetSql = "SELECT " + COLUMNS + " FROM vxc_study WHERE NOT is_deleted AND (created_at, identifier) <"
          + " (?, ?) ORDER BY created_at DESC, identifier DESC LIMIT ?";
      List<Object> keysetParams = List.of(OffsetDateTime.ofInstant(last.createdAt(), ZoneOffset.UTC),
          last.identifier(), LIMIT + 1);
      statements.put("deep", new SqlText[] {storeDeepSql(pg, last), new SqlText(keysetSql, keysetParams)});
      Pair pn = timer.compare("deep", () -> ids(vx.query(deepRequest)), () -> rows(c, keysetSql, keysetParams));
      notes.add(String.format(Locale.ROOT, "cursor walk: pages 1 to %d fetched untimed in %.1f s (%.1f ms a page);"
          + " page %d then timed with the cursor of page %d, the baseline with the same row-value keyset predicate"
          + " (created_at, identifier) < (last row's values)", deep - 1, walkSeconds, walkSeconds * 1000 / (deep - 1),
          deep, deep - 1));
      rows.add(new Row("(2) default order, page " + deep + " by cursor", pn.vx, "hand-written keyset SQL",
          pn.sql, GOAL_VS_SQL, pn.same, "deep"));
      rows.add(new Row("(2) VxData page " + deep + " vs page 1", pn.vx, "VxData page 1", p1.vx,
          GOAL_DEEP_PAGE, true, "deep"));
      rows.add(new Row("(2) SQL page " + deep + " vs page 1", pn.sql, "SQL page 1", p1.sql, 0,
          true, null));
      if (shallowRequest != null) {
        // Page 1 is the one page without a cursor, on the most recently written rows; a shallow
        // cursor page shows what depth itself adds.
        QueryRequest shallow = shallowRequest;
        Pair ps = timer.compare("shallow", () -> ids(vx.query(deepRequest)), () -> ids(vx.query(shallow)));
        rows.add(new Row("(2) VxData page " + deep + " vs page " + SHALLOW + " (both by cursor)", ps.vx,
            "VxData page " + SHALLOW, ps.sql, 0, true, null));
      }

      // ---- (3) count ----
      String countSql = COUNT_SQL;
      List<Object> countParams = COUNT_PARAMS;
      statements.put("count", new SqlText[] {new SqlText("SELECT COUNT(*)" + COMMIT_COLUMNS + " FROM vxc_study WHERE NOT is_deleted"
          + " AND " + STORE_FILTER_SQL, countParams), new SqlText(countSql, countParams)});
      Pair q3 = timer.compare("count", () -> List.of(Long.toString(vx.count(filtered).value())),
          () -> List.of(Long.toString(scalar(c, countSql, countParams))));
      rows.add(new Row("(3) count of the filter of (1)", q3.vx, "hand-written SQL", q3.sql,
          GOAL_VS_SQL, q3.same, "count"));

      // ---- (4) query (1) as of T0, through history ----
      QueryRequest asOf = filtered.toBuilder().asOf(t0).build();
      OffsetDateTime at = OffsetDateTime.ofInstant(t0, ZoneOffset.UTC);
      String asOfSql = "SELECT * FROM (SELECT " + COLUMNS + " FROM vxc_study WHERE NOT is_deleted AND " + FILTER_SQL
          + " AND updated_at <= ? UNION ALL SELECT " + COLUMNS + " FROM vxh_study WHERE NOT is_deleted AND "
          + FILTER_SQL + " AND updated_at <= ? AND _sys_to > ?) v ORDER BY \"study_date\" DESC, identifier DESC"
          + " LIMIT ?";
      List<Object> asOfParams = List.of(MODALITY, FROM, TO, at, MODALITY, FROM, TO, at, at, LIMIT + 1);
      statements.put("asof", new SqlText[] {new SqlText("SELECT " + COLUMNS + " FROM vxc_study"
          + " WHERE NOT is_deleted AND " + STORE_FILTER_SQL + " AND updated_at <= ? UNION ALL SELECT " + COLUMNS
          + " FROM vxh_study WHERE NOT is_deleted AND " + STORE_FILTER_SQL + " AND updated_at <= ? AND _sys_to > ?"
          + " ORDER BY \"study_date\" DESC, identifier DESC LIMIT ?", asOfParams),
          new SqlText(asOfSql, asOfParams)});
      Pair q4 = timer.compare("asof", () -> ids(vx.query(asOf)), () -> rows(c, asOfSql, asOfParams));
      List<String> asOfIds = ids(vx.query(asOf));
      notes.add("as_of T0: " + (asOfIds.equals(beforeIds) ? "same " + asOfIds.size() + " identifiers as query (1)"
          + " before the updates (checked)" : "WARNING: differs from query (1) before the updates") + "; latest"
          + " query (1) " + (ids(vx.query(filtered)).equals(beforeIds) ? "unchanged" : "changed by the updates, as"
          + " expected") + "; " + String.format(Locale.ROOT, "%,d studies match the filter at T0", matching));
      rows.add(new Row("(4) query (1) as_of T0 (before updates)", q4.vx, "hand-written UNION at T0",
          q4.sql, GOAL_VS_SQL, q4.same, "asof"));
      rows.add(new Row("(4) VxData as_of T0 vs (1) at latest", q4.vx, "VxData (1) latest", q1.vx,
          0, true, null));

      // ---- (5) subtree under one datasource ----
      String ancestor = corpus.datasource(SUBTREE_DATASOURCE);
      QueryRequest subtree = QueryRequest.of("study").descendants(ancestor).limit(LIMIT).build();
      String cast = pg ? "CAST(? AS VARCHAR(255)) COLLATE \"C\"" : "CAST(? AS VARCHAR(255))";
      // Hand-written with the schema in mind: a study's parent is a patient, a patient's a datasource,
      // and a datasource is a root (no parent), so only patients lie between the datasource and a study.
      String subtreeSql = "WITH RECURSIVE sub(identifier) AS (SELECT " + cast + " UNION ALL SELECT p.identifier FROM"
          + " vxc_patient p JOIN sub s ON p.parent_identifier = s.identifier WHERE NOT p.is_deleted)"
          + " SELECT " + COLUMNS + " FROM vxc_study WHERE NOT is_deleted AND parent_identifier IN"
          + " (SELECT identifier FROM sub) ORDER BY created_at DESC, identifier DESC LIMIT ?";
      List<Object> subtreeParams = List.of(ancestor, LIMIT + 1);
      statements.put("subtree", new SqlText[] {new SqlText(storeSubtreeSql(vx, "study", cast, pg), subtreeParams),
          new SqlText(subtreeSql, subtreeParams)});
      Pair q5 = timer.compare("subtree", () -> ids(vx.query(subtree)), () -> rows(c, subtreeSql, subtreeParams));
      rows.add(new Row("(5) studies under one datasource, page 1", q5.vx, "hand-written recursive CTE",
          q5.sql, GOAL_VS_SQL, q5.same, "subtree"));

      // ---- (6) history of one updated study: every version, newest first ----
      // Hand-written with the type known: the two tables' rows of the identifier, by version. The
      // store must first find which type's tables hold the identifier, and reads in a snapshot.
      String historyId = corpus.study(corpus.studies() / 2 / 5 * 5).identifier();
      String historySql = "SELECT * FROM (SELECT " + COLUMNS + ", CAST(NULL AS TIMESTAMP(6) WITH TIME ZONE) AS"
          + " _sys_to FROM vxc_study WHERE identifier = ? UNION ALL SELECT " + COLUMNS + ", _sys_to FROM vxh_study"
          + " WHERE identifier = ?) v ORDER BY version DESC LIMIT ?";
      List<Object> historyParams = List.of(historyId, historyId, QueryRequest.DEFAULT_LIMIT + 1);
      statements.put("history", new SqlText[] {new SqlText(historySql, historyParams),
          new SqlText(historySql, historyParams)});
      Pair q6 = timer.compare("history", () -> vx.history(historyId).versions().stream()
              .map(v -> Long.toString(v.resource().version())).toList(),
          () -> versions(c, historySql, historyParams));
      rows.add(new Row("(6) history of one study (" + q6.vx.reps() + " runs)", q6.vx, "hand-written UNION by key",
          q6.sql, GOAL_VS_SQL, q6.same, "history"));

      // ---- history tax ----
      rows.add(new Row("history tax: (1) after updates vs before", q1.vx, "VxData (1) before updates",
          before.vx, GOAL_HISTORY, before.same && q1.same, "filter"));
      rows.add(new Row("history tax, SQL: (1) after vs before", q1.sql, "SQL (1) before updates",
          before.sql, 0, true, null));
      rows.add(new Row("history tax, right after updates (" + (pg ? "before VACUUM" : "before CHECKPOINT") + ")",
          afterRaw.vx, "VxData (1) before updates", before.vx, 0, true, null));

      Map<String, Pair> pairs = new LinkedHashMap<>();
      pairs.put("(1) before the updates", before);
      pairs.put("(1) right after the updates", afterRaw);
      pairs.put("(1)", q1);
      pairs.put("(2) page 1", p1);
      pairs.put("(2) page " + deep, pn);
      pairs.put("(3)", q3);
      pairs.put("(4)", q4);
      pairs.put("(5)", q5);
      pairs.put("(6)", q6);
      pairs.forEach((name, pair) -> {
        notes.add(name + ": VxData " + pair.vx.describe() + "; SQL " + pair.sql.describe());
        if (!pair.same) {
          notes.add(name + ": MISMATCH between VxData and SQL: " + pair.firstDifference);
        }
      });

      // ---- EXPLAIN of what missed its goal (or everything with --explain) ----
      List<String> explainKeys = new ArrayList<>();
      for (Row r : rows) {
        if (r.explainKey != null && (options.explain() || !r.met()) && !explainKeys.contains(r.explainKey)) {
          explainKeys.add(r.explainKey);
        }
      }
      if (!explainKeys.isEmpty()) {
        BenchMain.progress("%s: query: EXPLAIN ANALYZE of %s", backend.name(), explainKeys);
        if (!pg) {
          notes.addAll(capturedStoreSql(c, vx, Map.of("filter", filtered, "page1", all, "deep", deepRequest, "count",
              filtered, "asof", asOf, "subtree", subtree), explainKeys, statements));
        }
        for (String k : explainKeys) {
          SqlText[] both = statements.get(k);
          boolean analyze = !timer.slow(k);
          notes.addAll(explain(c, pg, analyze, k + ", SQL the store runs (rebuilt as QuerySql writes it)", both[0]));
          if (!both[0].sql.equals(both[1].sql)) {
            notes.addAll(explain(c, pg, analyze, k + ", hand-written baseline", both[1]));
          }
        }
      }
    }
    List<String> tableRows = rows.stream().map(r -> r.format(backend.name())).toList();
    return new Result(backend.name(), tableRows, notes);
  }

  /**
   * A fresh database for timing repeated queries. H2 hands back the previous result when a session
   * re-runs the same statement with the same parameters on unchanged tables; a benchmark repeating
   * one query would time that cache, on a single connection far more often than on the store's
   * pool. Off for every path (noted in {@code notes}).
   */
  static Backend.Database queryDatabase(Backend backend, String label, List<String> notes) throws Exception {
    Backend.Database fresh = backend.freshDatabase(label);
    if (backend.name().equals("postgresql")) {
      return fresh;
    }
    notes.add("H2 URL for every path adds OPTIMIZE_REUSE_RESULTS=FALSE: otherwise H2 returns a cached result when"
        + " a session re-runs an identical statement with identical parameters on unchanged tables, which the"
        + " repeated timing runs would measure instead of the query");
    return new Backend.Database(fresh.jdbcUrl() + ";OPTIMIZE_REUSE_RESULTS=FALSE", fresh.user(), fresh.password());
  }

  /**
   * The subtree page statement as QuerySql.with() and page() write it at the latest time: the
   * recursive walk visits only the tables of types that can stand between the scope's root and a
   * parent of the queried type (roots excluded); with one such table it joins that table directly,
   * otherwise the union of them; on PostgreSQL the page takes the parents IN the walk, on H2 it
   * joins the walk.
   */
  static String storeSubtreeSql(VxData vx, String type, String cast, boolean pg) {
    Map<String, io.vxdata.schema.PayloadType> types = vx.payloadTypes();
    java.util.Set<String> ancestors = new java.util.LinkedHashSet<>();
    java.util.Deque<io.vxdata.schema.PayloadType> todo = new java.util.ArrayDeque<>(List.of(types.get(type)));
    while (!todo.isEmpty()) {
      io.vxdata.schema.PayloadType t = todo.pop();
      java.util.Set<String> parents = t.isRoot() ? java.util.Set.of()
          : t.parentTypes().isEmpty() ? types.keySet() : t.parentTypes();
      for (String parent : parents) {
        if (types.containsKey(parent) && ancestors.add(parent)) {
          todo.push(types.get(parent));
        }
      }
    }
    List<String> walk = ancestors.stream().filter(a -> !types.get(a).isRoot()).toList();
    String anchor = "SELECT " + cast;
    String with;
    if (walk.isEmpty()) {
      with = "WITH vx_subtree(vx_node) AS (" + anchor + ") ";
    } else if (walk.size() == 1) {
      with = "WITH RECURSIVE vx_subtree(vx_node) AS (" + anchor + " UNION ALL SELECT c.identifier FROM vxc_"
          + walk.get(0) + " c JOIN vx_subtree s ON c.parent_identifier = s.vx_node WHERE NOT c.is_deleted) ";
    } else {
      List<String> nodes = walk.stream().map(w -> "SELECT identifier, parent_identifier FROM vxc_" + w
          + " WHERE NOT is_deleted").toList();
      with = "WITH RECURSIVE vx_subtree(vx_node) AS (" + anchor + " UNION ALL SELECT n.identifier FROM ("
          + String.join(" UNION ALL ", nodes) + ") n JOIN vx_subtree s ON n.parent_identifier = s.vx_node) ";
    }
    return with + atLastCommit("SELECT " + COLUMNS + NULL_COMMIT_COLUMNS + " FROM vxc_" + type
        + (pg ? " WHERE NOT is_deleted AND parent_identifier IN (SELECT vx_node FROM vx_subtree)"
        : " JOIN vx_subtree ON parent_identifier = vx_node WHERE NOT is_deleted")
        + " ORDER BY " + ORDER + " LIMIT ?", ORDER);
  }

  /**
   * A page statement as the store sends it at the latest commit: the page, then a row holding the
   * commit's time and the catalog version with nulls elsewhere, ordered together.
   */
  static String atLastCommit(String page, String order) {
    return "(" + page + ") UNION ALL (SELECT " + String.join(", ", java.util.Collections.nCopies(13, "NULL"))
        + ", last_tx, types_version FROM vx_meta WHERE id = 1) ORDER BY " + order;
  }

  /**
   * The deep page statement as QuerySql writes it at the latest commit: PostgreSQL seeks the row
   * comparison; on H2 each prefix of the key is a branch of its own, the created_at bound made
   * inclusive of the previous microsecond so that H2 seeks past the rows sharing the key's created_at.
   */
  static SqlText storeDeepSql(boolean pg, Resource last) {
    OffsetDateTime createdAt = OffsetDateTime.ofInstant(last.createdAt(), ZoneOffset.UTC);
    String select = "SELECT " + COLUMNS + NULL_COMMIT_COLUMNS + " FROM vxc_study WHERE NOT is_deleted AND ";
    String order = " ORDER BY " + ORDER + " LIMIT ?";
    if (pg) {
      return new SqlText(atLastCommit(select + "(created_at, identifier) < (?, ?)" + order, ORDER),
          List.of(createdAt, last.identifier(), LIMIT + 1));
    }
    return new SqlText(atLastCommit("(" + select + "(created_at <= ?)" + order + ") UNION ALL (" + select
        + "(created_at = ? AND identifier < ?)" + order + ")" + order, ORDER),
        List.of(createdAt.minusNanos(1000), LIMIT + 1, createdAt, last.identifier(), LIMIT + 1, LIMIT + 1));
  }

  // ---- housekeeping and evidence ----

  /** The store's current and history tables, for {@link #maintenance}. */
  static List<String> storeTables(VxData vx) {
    List<String> tables = new ArrayList<>();
    vx.payloadTypes().keySet().forEach(t -> {
      tables.add("vxc_" + t);
      tables.add("vxh_" + t);
    });
    return tables;
  }

  /**
   * Fresh statistics before timing, as autovacuum / a DBA would have them: VACUUM ANALYZE of the
   * store's tables on PostgreSQL, ANALYZE on H2; then the backend's checkpoint.
   */
  static String maintenance(Backend backend, Backend.Database db, List<String> tables, boolean pg,
      boolean vacuum, String when) throws SQLException {
    long t = System.nanoTime();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      if (pg) {
        for (String table : tables) {
          s.execute((vacuum ? "VACUUM ANALYZE " : "ANALYZE ") + table);
        }
      } else {
        s.execute("ANALYZE");
      }
    }
    backend.settle(db);
    System.gc();
    return String.format(Locale.ROOT, "%s: %s of the store's tables and a CHECKPOINT (%.1f s) before timing", when,
        pg ? (vacuum ? "VACUUM ANALYZE" : "ANALYZE") : "ANALYZE", (System.nanoTime() - t) / 1e9);
  }

  /** The versions a history statement returns, newest first. */
  private static List<String> versions(Connection c, String sql, List<Object> params) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        StudyCorpus.readRow(rs);
        if (out.size() < QueryRequest.DEFAULT_LIMIT) {
          out.add(Long.toString(rs.getLong("version")));
        }
      }
    }
    return out;
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> explain(Connection c, boolean pg, boolean analyze, String title, SqlText st) {
    List<String> out = new ArrayList<>();
    out.add((analyze ? "EXPLAIN ANALYZE, " : "EXPLAIN (without ANALYZE: the query takes too long), ") + title + ":");
    out.add("  " + st.sql + "  -- parameters " + st.params);
    String explain = analyze ? (pg ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN ANALYZE ") : "EXPLAIN ";
    try (PreparedStatement ps = prepare(c, explain + st.sql, st.params); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        for (String line : rs.getString(1).split("\n")) {
          out.add("    " + line);
        }
      }
    } catch (SQLException e) {
      out.add("    (EXPLAIN failed: " + e.getMessage() + ")");
    }
    return out;
  }

  /**
   * On H2: runs the queries through VxData once with QUERY_STATISTICS on and checks that the
   * statements the store sent are the rebuilt ones explained below.
   */
  private List<String> capturedStoreSql(Connection c, VxData vx, Map<String, QueryRequest> requests,
      List<String> keys, Map<String, SqlText[]> statements) {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      s.execute("SET QUERY_STATISTICS TRUE");
      keys = keys.stream().filter(requests::containsKey).toList(); // history is not a query
      for (String k : keys) {
        if (!timer.slow(k)) { // a query past the timeout would hold this up for as long again
          timer.run(() -> k.equals("count") ? vx.count(requests.get(k)).value() : vx.query(requests.get(k)));
        }
      }
      List<String> captured = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
        while (rs.next()) {
          captured.add(rs.getString(1));
        }
      }
      s.execute("SET QUERY_STATISTICS FALSE");
      for (String k : keys) {
        if (timer.slow(k)) {
          out.add("store SQL of " + k + ": not captured (the query runs too long to repeat)");
          continue;
        }
        String rebuilt = statements.get(k)[0].sql;
        out.add("store SQL of " + k + (captured.contains(rebuilt) ? ": the statement H2 recorded"
            + " (INFORMATION_SCHEMA.QUERY_STATISTICS) is exactly the rebuilt text explained below"
            : ": WARNING, rebuilt text not among the statements H2 recorded: " + captured.stream()
                .filter(q -> q.contains("vxc_study")).toList()));
      }
    } catch (Exception e) {
      out.add("could not capture the store's SQL via QUERY_STATISTICS: " + e.getMessage());
    }
    return out;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("sanity check failed: " + what);
    }
  }
}
