package io.vxdata.bench;

import static io.vxdata.bench.PathTimer.ids;
import static io.vxdata.bench.PathTimer.rows;

import io.vxdata.AccessLevel;
import io.vxdata.NewResource;
import io.vxdata.VxData;
import io.vxdata.access.Access;
import io.vxdata.access.Grant;
import io.vxdata.access.Principal;
import io.vxdata.access.Role;
import io.vxdata.bench.QueryScenario.Pair;
import io.vxdata.bench.QueryScenario.Row;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Access control (issue #12, docs/behaviour.md §13): what a principal's view costs over the same
 * work done with full rights. {@code --query-rows} studies of the query scenario's corpus
 * ({@link StudyCorpus}: ten datasources) are loaded as the system handle; then a principal
 * {@code viewer} with clearance {@code internal} and a {@code viewer} grant on one datasource, an
 * admin principal, and an {@code editor} granted {@code editor} on that datasource.
 *
 * <p>Timed like the query scenario ({@link PathTimer}: interleaved, first path alternating, medians;
 * answers compared, else MISMATCH): (1) the query scenario's filtered first page, (2) a deep cursor
 * page of the default order and (3) the count of (1), each as the viewer against the admin
 * restricted to the datasource by hand with a {@code descendants(datasource)} scope; (1) also against
 * hand-written SQL over the datasource's patients. (4) bulk create as the editor against bulk create
 * as the system handle, batch by batch alternating, rows/s.
 */
final class AccessScenario implements Scenario {

  static final double GOAL_READ = 1.2;
  static final double GOAL_WRITE = 0.95;
  /** The datasource the viewer and the editor are granted. */
  static final int DATASOURCE = 3;
  /** The deep page of (2), when the datasource has that many pages (else its second to last). */
  static final int DEEP = 100;
  /** Untimed runs of every read path before the first timing, for the JIT. */
  static final int JIT_WARMUP = 200;

  @Override
  public String key() {
    return "access";
  }

  @Override
  public String name() {
    return "access";
  }

  @Override
  public String describe(BenchOptions o) {
    return String.format(Locale.ROOT, "%,d studies under %,d patients in %d datasources loaded as the system handle;"
        + " principal viewer (clearance internal, viewer on 1 datasource) against an admin principal restricted to"
        + " that datasource by a descendants scope, %d untimed + %d timed repetitions per path, interleaved (first"
        + " path alternating), median ms; bulk create of %,d studies as an editor of the datasource and as many as the"
        + " system handle, %,d per call, calls alternating", o.queryRows(), Math.max(1, o.queryRows() / 10),
        StudyCorpus.DATASOURCES, o.queryWarmup(), o.queryReps(), createRows(o), o.batch());
  }

  @Override
  public String tableHeader() {
    return QueryScenario.HEADER;
  }

  /** Studies (4) creates through each path: a fifth of the corpus, at least one call. */
  private static int createRows(BenchOptions o) {
    return Math.max(o.batch(), o.queryRows() / 5 / o.batch() * o.batch());
  }

  @Override
  public Result run(Backend backend, BenchOptions options) throws Exception {
    boolean pg = backend.name().equals("postgresql");
    List<String> notes = new ArrayList<>();
    List<String> table = new ArrayList<>();
    StudyCorpus corpus = new StudyCorpus("a", options.queryRows());
    Backend.Database db = QueryScenario.queryDatabase(backend, "access", notes);
    try (VxData vx = VxDataStore.open(db.storeOptions()); Connection c = db.connect();
        PathTimer timer = new PathTimer(db, pg, options)) {
      notes.add(corpus.load(vx, options.batch(), backend.name() + ": access"));
      notes.add(QueryScenario.maintenance(backend, db, QueryScenario.storeTables(vx), pg, true, "after the load"));

      String datasource = corpus.datasource(DATASOURCE);
      Access access = vx.access();
      access.createPrincipal(Principal.of("viewer", "Bench viewer", AccessLevel.INTERNAL));
      access.grant(new Grant(datasource, "viewer", Role.VIEWER));
      access.createPrincipal(Principal.of("editor", "Bench editor", AccessLevel.INTERNAL));
      access.grant(new Grant(datasource, "editor", Role.EDITOR));
      access.createPrincipal(new Principal("admin", "Bench admin", true, AccessLevel.RESTRICTED, false));
      VxData viewer = vx.as("viewer");
      VxData admin = vx.as("admin");
      VxData editor = vx.as("editor");
      notes.add("viewer: clearance internal, viewer grant on " + datasource + " (1 of " + StudyCorpus.DATASOURCES
          + "); every study has the default access level (internal), so clearance hides nothing here but its"
          + " predicate is evaluated; admin: is_admin, restricted by hand");
      notes.add("the hand restriction: the admin's query with a descendants(" + datasource + ") scope, the API's"
          + " own way to say 'under this datasource' (the issue's 'parent_identifier' restriction is one level deep"
          + " and a study's parent is a patient, so a filter would need the datasource's patients as an IN list of"
          + String.format(Locale.ROOT, " %,d identifiers", corpus.patients() / StudyCorpus.DATASOURCES) + "); the"
          + " store answers it with a recursive walk over vxc_patient, the viewer's view with the _root semi-join on"
          + " vx_grant, so the two ratios compare two plans for the same rows (checked)");

      QueryRequest filtered = QueryScenario.filtered();
      QueryRequest filteredHere = filtered.toBuilder().descendants(datasource).build();
      String handSql = QueryScenario.FILTER_PAGE_SQL.replace(" ORDER BY", " AND parent_identifier IN (SELECT"
          + " identifier FROM vxc_patient WHERE parent_identifier = ? AND NOT is_deleted) ORDER BY");
      List<Object> handParams = List.of(QueryScenario.MODALITY, QueryScenario.FROM, QueryScenario.TO, datasource,
          QueryScenario.LIMIT + 1);
      QueryRequest all = QueryRequest.of("study").limit(QueryScenario.LIMIT).build();
      QueryRequest allHere = all.toBuilder().descendants(datasource).build();

      BenchMain.progress("%s: access: JIT warm-up", backend.name());
      for (int w = 0; w < JIT_WARMUP; w++) {
        viewer.query(filtered);
        admin.query(filteredHere);
        rows(c, handSql, handParams);
        viewer.query(all.next(viewer.query(all)));
        admin.query(allHere.next(admin.query(allHere)));
      }
      notes.add(String.format(Locale.ROOT, "JIT warm-up before the first timing: %,d untimed runs of (1) on all three"
          + " paths and of pages 1 and 2 of the default order as viewer and admin", JIT_WARMUP));

      // ---- (1) filter + order, first page ----
      BenchMain.progress("%s: access: timing", backend.name());
      Pair q1 = timer.compare("filter", () -> ids(viewer.query(filtered)), () -> ids(admin.query(filteredHere)));
      table.add(new Row("(1) filter + order, page 1, as viewer", q1.vx(), "admin, descendants(ds)", q1.sql(),
          GOAL_READ, q1.same(), null).format(backend.name()));
      Pair q1sql = timer.compare("filter-sql", () -> ids(viewer.query(filtered)), () -> rows(c, handSql, handParams));
      table.add(new Row("(1) as viewer, against hand-written SQL", q1sql.vx(), "SQL over the ds's patients",
          q1sql.sql(), 0, q1sql.same(), null).format(backend.name()));
      table.add(new Row("(1) admin, descendants(ds), against SQL", q1.sql(), "SQL over the ds's patients",
          q1sql.sql(), 0, q1.same() && q1sql.same(), null).format(backend.name()));
      // The store's own restriction without the access predicates: the _root column (docs/behaviour.md
      // §13.2) compared with the datasource, so this row shows what the grant and clearance lookups cost.
      String rootSql = QueryScenario.FILTER_PAGE_SQL.replace(" ORDER BY", " AND _root = ? ORDER BY");
      Pair q1root = timer.compare("filter-root", () -> ids(viewer.query(filtered)), () -> rows(c, rootSql,
          handParams));
      table.add(new Row("(1) as viewer, against SQL on _root", q1root.vx(), "SQL, _root = ds (no grants)",
          q1root.sql(), 0, q1root.same(), null).format(backend.name()));
      notes.add("hand-written SQL of (1): " + handSql + " -- parameters " + handParams + "; the same with \"_root = ?\""
          + " (the store's maintained root column) instead of the patients' IN");

      // ---- (2) deep cursor page ----
      int deep = Math.max(2, Math.min(DEEP, corpus.studies() / StudyCorpus.DATASOURCES / QueryScenario.LIMIT - 1));
      QueryRequest viewerDeep = pageRequest(viewer, all, deep);
      QueryRequest adminDeep = pageRequest(admin, allHere, deep);
      Pair q2 = timer.compare("deep", () -> ids(viewer.query(viewerDeep)), () -> ids(admin.query(adminDeep)));
      table.add(new Row("(2) default order, page " + deep + " by cursor, as viewer", q2.vx(), "admin, descendants(ds)",
          q2.sql(), GOAL_READ, q2.same(), null).format(backend.name()));

      // ---- (3) count ----
      Pair q3 = timer.compare("count", () -> List.of(Long.toString(viewer.count(filtered).value())),
          () -> List.of(Long.toString(admin.count(filteredHere).value())));
      table.add(new Row("(3) count of the filter of (1), as viewer", q3.vx(), "admin, descendants(ds)", q3.sql(),
          GOAL_READ, q3.same(), null).format(backend.name()));
      long visible = viewer.count(QueryRequest.of("study").build()).value();
      notes.add(String.format(Locale.ROOT, "the viewer sees %,d of %,d studies; (3) counts %,d", visible,
          corpus.studies(), viewer.count(filtered).value()));

      notes.add("(1): viewer " + q1.vx().describe() + "; admin " + q1.sql().describe() + "; SQL "
          + q1sql.sql().describe() + "; SQL on _root " + q1root.sql().describe());
      notes.add("(2): viewer " + q2.vx().describe() + "; admin " + q2.sql().describe()
          + String.format(Locale.ROOT, "; each path walked pages 1 to %d untimed with its own cursors", deep - 1));
      notes.add("(3): viewer " + q3.vx().describe() + "; admin " + q3.sql().describe());
      for (Pair p : List.of(q1, q1sql, q1root, q2, q3)) {
        if (!p.same()) {
          notes.add("MISMATCH: " + p.firstDifference());
        }
      }

      // ---- (4) bulk create as editor vs as system ----
      table.add(bulkCreate(backend, options, vx, editor, datasource, notes));
    }
    return new Result(backend.name(), table, notes);
  }

  /** The request for page {@code n} of {@code first} as {@code view} sees it, walking the cursor untimed. */
  private static QueryRequest pageRequest(VxData view, QueryRequest first, int n) {
    QueryPage page = view.query(first);
    for (int k = 2; k < n; k++) {
      page = view.query(first.next(page));
    }
    return first.next(page);
  }

  /**
   * (4): two new patients under the granted datasource; each call writes one batch of studies under
   * its patient, the editor's view and the system handle alternating, which goes first alternating
   * too, their identifiers interleaved batch by batch. Only the create calls are timed.
   */
  private static String bulkCreate(Backend backend, BenchOptions options, VxData system, VxData editor,
      String datasource, List<String> notes) {
    int rows = createRows(options);
    String editorPatient = "a-editor-pt";
    String systemPatient = "a-system-pt";
    system.create(List.of(patient(editorPatient, datasource), patient(systemPatient, datasource)));
    BenchMain.progress("%s: access: bulk create, %,d studies per path", backend.name(), rows);
    long editorNanos = 0;
    long systemNanos = 0;
    for (int from = 0, k = 0; from < rows; from += options.batch(), k++) {
      // One numbering for both paths, call k of the editor taking the rows just before call k of the
      // system, so that both insert into the same region of the tables' keys (not one path appending
      // at the end of the identifier index while the other splits pages in its middle).
      int n = Math.min(rows, from + options.batch()) - from;
      List<NewResource> asEditor = StudyRows.asResources(StudyRows.range("a-new", 2 * from, 2 * from + n),
          editorPatient);
      List<NewResource> asSystem = StudyRows.asResources(StudyRows.range("a-new", 2 * from + n, 2 * from + 2 * n),
          systemPatient);
      if (k % 2 == 0) {
        editorNanos += timeCreate(editor, asEditor);
        systemNanos += timeCreate(system, asSystem);
      } else {
        systemNanos += timeCreate(system, asSystem);
        editorNanos += timeCreate(editor, asEditor);
      }
    }
    long underEditor = system.count(QueryRequest.of("study").children(editorPatient).build()).value();
    long underSystem = system.count(QueryRequest.of("study").children(systemPatient).build()).value();
    boolean same = underEditor == rows && underSystem == rows;
    double editorRate = rows / (editorNanos / 1e9);
    double systemRate = rows / (systemNanos / 1e9);
    double ratio = editorRate / systemRate;
    notes.add(String.format(Locale.ROOT, "(4): editor %.2f s = %,.0f rows/s, system %.2f s = %,.0f rows/s; studies"
        + " found afterwards under the editor's patient %,d, under the system's %,d (expected %,d each)",
        editorNanos / 1e9, editorRate, systemNanos / 1e9, systemRate, underEditor, underSystem, rows));
    return String.format(Locale.ROOT, "%-11s %-50s %10s  %-28s %10s %6s %7s  %s%s", backend.name(),
        "(4) bulk create as editor, rows/s", String.format(Locale.ROOT, "%,.0f", editorRate), "system handle, rows/s",
        String.format(Locale.ROOT, "%,.0f", systemRate), String.format(Locale.ROOT, "%.2f", ratio),
        String.format(Locale.ROOT, ">=%.2f", GOAL_WRITE), ratio >= GOAL_WRITE ? "met" : "BELOW",
        same ? "" : " MISMATCH");
  }

  private static NewResource patient(String identifier, String datasource) {
    return NewResource.builder("patient", identifier).parent(datasource).set("datasource_id", datasource)
        .set("external_uid", identifier).build();
  }

  private static long timeCreate(VxData vx, List<NewResource> batch) {
    long t = System.nanoTime();
    vx.create(batch);
    return System.nanoTime() - t;
  }
}
