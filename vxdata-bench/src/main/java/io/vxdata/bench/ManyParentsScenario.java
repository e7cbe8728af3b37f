package io.vxdata.bench;

import static io.vxdata.bench.PathTimer.prepare;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.ReadOptions;
import io.vxdata.Resource;
import io.vxdata.VxData;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.json.Json;
import io.vxdata.query.Filter;
import io.vxdata.query.Operator;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.SortOrder;
import io.vxdata.schema.PayloadType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * Many parents (issue #16 §1): the workload of a catalog in everyday use rather than one patient
 * holding every study. {@code --parents-rows} studies under a tenth as many patients (ten each,
 * spread so that a batch of studies names about as many patients as studies), created in batches
 * of {@code --batch} after the patients; then every fifth study updated three times in batches;
 * then best-of-{@code --parents-reps} timings, now and as of a time taken before the updates, of a
 * filtered page (modality = MR and a year of study dates, by identifier descending, 100 rows), the
 * count of that filter, a read of 1,000 studies with and without their children lists, and a read of
 * 1,000 patients with their children lists (ten studies each).
 *
 * <p><b>The hand-written baseline.</b> Ingest and updates: what a competent engineer writes with
 * plain JDBC for the same guarantees, into tables of their own ({@code bl_patient},
 * {@code bl_study}, {@code bl_study_h}) with the columns and indexes of the store's
 * {@code vxc_study}/{@code vxh_study}: parent existence and type held by a foreign key to the
 * patients table, the study key by the same unique index the store uses, one prepared
 * {@code INSERT} per batch; an update copies the old rows to the history table with their end time
 * ({@code INSERT ... SELECT ... WHERE identifier = ANY(?)}, the layout the store uses: a current
 * table and a history table whose rows carry {@code _sys_to}) and updates the current rows in one
 * JDBC batch, one commit per batch. Reads: hand-written SQL over the store's own {@code vxc_} and
 * {@code vxh_} tables (the same rows, versions and times, so answers compare exactly), written with
 * the schema in mind: a study's children can only be artefacts (the one type allowed under a
 * study), a patient's only studies or artefacts; the past is the current table at
 * {@code updated_at <= T} plus history at {@code updated_at <= T < _sys_to}, each branch filtered
 * (and for the page, ordered and limited) on its own. Reads with two statements run in one
 * transaction at the isolation the store reads at, so they see one state as the store's do.
 *
 * <p>Every operation runs through VxData and as the baseline on the same data, and their answers
 * (identifiers, versions and children lists, or counts) must agree, else the row is marked
 * MISMATCH. Ingest and updates interleave the two paths batch by batch, the first alternating.
 * With {@code --parents-variants indexed} the study type is first re-registered with
 * {@code x-vxdata-index} on {@code modality}, with {@code composite} with
 * {@code "x-vxdata-index": ["study_date"]} there (one index on both); the baseline tables then get
 * the same index.
 */
final class ManyParentsScenario implements Scenario {

  static final int LIMIT = 100;
  static final int READ_IDS = 1000;
  static final String MODALITY = "MR";
  static final LocalDate FROM = LocalDate.of(2015, 1, 1);
  static final LocalDate TO = LocalDate.of(2015, 12, 31);

  /** The columns of a study row, in the order the store lists them (TypeTable). */
  static final String STUDY_COLUMNS = QueryScenario.COLUMNS;
  private static final String FILTER_SQL = "\"modality\" = ? AND \"study_date\" BETWEEN ? AND ?";

  @Override
  public String key() {
    return "parents";
  }

  @Override
  public String name() {
    return "many parents";
  }

  @Override
  public String describe(BenchOptions o) {
    return String.format(Locale.ROOT, "%,d studies under %,d patients (10 each, a batch names ~%,d patients),"
        + " created in batches of %,d after the patients; every fifth study updated %d times (%,d updates, %,d"
        + " studies per call); then best of %d timed runs (after %d untimed) of each read, now and as of T0 (taken"
        + " before the updates), VxData vs hand-written SQL on the same data; variants: %s", o.parentsRows(),
        Math.max(1, o.parentsRows() / 10), Math.min(o.batch(), Math.max(1, o.parentsRows() / 10)), o.batch(),
        StudyCorpus.UPDATE_ROUNDS, StudyCorpus.UPDATE_ROUNDS * ((o.parentsRows() + 4) / 5), o.batch(),
        o.parentsReps(), o.parentsWarmup(), String.join(",", o.parentsVariants()));
  }

  @Override
  public String tableHeader() {
    return String.format("%-11s %-8s %-40s %12s %12s %8s %8s  %s", "backend", "variant", "measurement",
        "VxData", "baseline", "x time", "(median)", "unit / check");
  }

  /** One table row: best and median of each path; for throughput rows the values are rows/s. */
  record Row(String variant, String measurement, double vxBest, double blBest, double vxMedian, double blMedian,
      boolean rate, boolean same) {
    /** VxData's time over the baseline's (above 1: VxData is slower). */
    double factor(boolean median) {
      double v = median ? vxMedian : vxBest;
      double b = median ? blMedian : blBest;
      return rate ? b / v : v / b;
    }

    String format(String backend) {
      String unit = rate ? "rows/s" : "ms, best";
      return String.format(Locale.ROOT, "%-11s %-8s %-40s %12s %12s %8.2f %8.2f  %s%s", backend, variant,
          measurement, value(vxBest), value(blBest), factor(false), factor(true), unit, same ? "" : " MISMATCH");
    }

    private String value(double v) {
      return rate ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
  }

  private BenchOptions options;

  @Override
  public Result run(Backend backend, BenchOptions options) throws Exception {
    this.options = options;
    List<String> tableRows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    notes.add(backend.baselinePlacement() + " (ingest and updates); the baseline's reads run over the store's own"
        + " tables on a connection of their own opened with the store's URL");
    notes.add("x time = VxData's time over the baseline's for the same work (rows/s rows: baseline rate over"
        + " VxData's); first figure from the best runs, (median) from the medians; for rows/s, the first from"
        + " all batches, (median) from each path's median batch");
    for (String variant : options.parentsVariants()) {
      List<Row> rows = runVariant(backend, variant, notes);
      rows.forEach(r -> tableRows.add(r.format(backend.name())));
    }
    return new Result(backend.name(), tableRows, notes);
  }

  private List<Row> runVariant(Backend backend, String variant, List<String> notes) throws Exception {
    boolean pg = backend.name().equals("postgresql");
    boolean indexed = variant.equals("indexed") || variant.equals("composite");
    boolean composite = variant.equals("composite");
    int n = options.parentsRows();
    int batch = options.batch();
    List<Row> rows = new ArrayList<>();
    StudyCorpus corpus = new StudyCorpus("m", n);
    Backend.Database fresh = backend.freshDatabase("parents_" + variant);
    // As in the query scenario: H2 would hand back a session's cached result for a repeated
    // statement with the same parameters on unchanged tables; off for both paths.
    String noReuse = ";OPTIMIZE_REUSE_RESULTS=FALSE";
    Backend.Database db = pg ? fresh : new Backend.Database(fresh.jdbcUrl() + noReuse, null, null);
    Backend.Database blFresh = backend.baselineDatabase(fresh, "parents_" + variant + "_jdbc");
    Backend.Database bl = pg ? blFresh : new Backend.Database(blFresh.jdbcUrl() + noReuse, null, null);
    String tag = backend.name() + ": parents/" + variant;
    try (VxData vx = VxDataStore.open(db.storeOptions()); Connection bc = bl.connect(); Connection c = db.connect();
        Connection tc = db.connect()) {
      if (indexed) {
        PayloadType study = vx.payloadTypes().get("study");
        ObjectNode schema = (ObjectNode) Json.parse(study.schema());
        ObjectNode modality = (ObjectNode) schema.path("properties").path("modality");
        if (composite) {
          modality.putArray("x-vxdata-index").add("study_date");
        } else {
          modality.put("x-vxdata-index", true);
        }
        vx.registerType(PayloadType.fromJsonSchema("study", schema.toString()));
      }
      createBaselineTables(bc, pg, indexed, composite);

      // ---- patients (untimed) ----
      long t = System.nanoTime();
      vx.create(corpus.datasources());
      for (int p = 0; p < corpus.patients(); p += batch) {
        vx.create(corpus.patients(p, Math.min(corpus.patients(), p + batch)));
      }
      insertBaselinePatients(bc, corpus);
      notes.add(String.format(Locale.ROOT, "%s: %d datasources and %,d patients created first (untimed, %.1f s for"
          + " both paths)", variant, StudyCorpus.DATASOURCES, corpus.patients(), (System.nanoTime() - t) / 1e9));

      // ---- ingest, interleaved batch by batch ----
      BenchMain.progress("%s: ingest of %,d studies, both paths", tag, n);
      int batches = (n + batch - 1) / batch;
      long[] vxIngest = new long[batches];
      long[] blIngest = new long[batches];
      try (BaselineWriter writer = new BaselineWriter(bc)) {
        for (int b = 0; b < batches; b++) {
          int from = b * batch;
          int to = Math.min(n, from + batch);
          var resources = corpus.studies(from, to);
          List<StudyCorpus.Study> plain = new ArrayList<>(to - from);
          for (int i = from; i < to; i++) {
            plain.add(corpus.study(i));
          }
          if (b % 2 == 0) {
            vxIngest[b] = time(() -> vx.create(resources));
            blIngest[b] = time(() -> writer.insert(plain));
          } else {
            blIngest[b] = time(() -> writer.insert(plain));
            vxIngest[b] = time(() -> vx.create(resources));
          }
          if ((b + 1) % Math.max(1, batches / 5) == 0) {
            BenchMain.progress("%s: %,d studies; last batch VxData %.0f ms, JDBC %.0f ms", tag, to, vxIngest[b] / 1e6,
                blIngest[b] / 1e6);
          }
        }
      }
      rows.add(rateRow(variant, "ingest studies, " + batch + " per batch", n, vxIngest, blIngest));
      notes.add(variant + ": ingest " + growth(vxIngest, blIngest));
      notes.add(QueryScenario.maintenance(backend, db, storeTables(vx), pg, true, variant + ", after the ingest"));
      Instant t0 = vx.lastCommitTime();

      // ---- updates, interleaved ----
      BenchMain.progress("%s: updates, both paths", tag);
      int updatesPerCall = batch;
      List<long[]> vxUpd = new ArrayList<>();
      List<long[]> blUpd = new ArrayList<>();
      int updates = 0;
      try (BaselineUpdater updater = new BaselineUpdater(bc)) {
        int call = 0;
        for (int round = 1; round <= StudyCorpus.UPDATE_ROUNDS; round++) {
          for (int i = 0; i < n; i += updatesPerCall * 5, call++) {
            int to = Math.min(n, i + updatesPerCall * 5);
            var changes = corpus.updates(i, to, round);
            List<Object[]> plain = new ArrayList<>();
            for (int k = i; k < to; k++) {
              if (StudyCorpus.updated(k)) {
                StudyCorpus.Study s = corpus.study(k);
                plain.add(new Object[] {s.identifier(), s.description() + " (revision " + round + ")",
                    round == StudyCorpus.UPDATE_ROUNDS ? s.studyDate().plusDays(1) : s.studyDate()});
              }
            }
            int[] count = new int[1];
            long v;
            long h;
            if (call % 2 == 0) {
              v = time(() -> count[0] = vx.update(changes).count());
              h = time(() -> updater.update(plain));
            } else {
              h = time(() -> updater.update(plain));
              v = time(() -> count[0] = vx.update(changes).count());
            }
            updates += count[0];
            vxUpd.add(new long[] {v});
            blUpd.add(new long[] {h});
          }
        }
      }
      long[] vxUpdates = vxUpd.stream().mapToLong(a -> a[0]).toArray();
      long[] blUpdates = blUpd.stream().mapToLong(a -> a[0]).toArray();
      rows.add(rateRow(variant, "updates, " + updatesPerCall + " per batch", updates, vxUpdates, blUpdates));
      notes.add(variant + ": updates " + growth(vxUpdates, blUpdates) + String.format(Locale.ROOT, "; %,d updates,"
          + " vxh_study holds %,d rows", updates, count(c, "vxh_study")));
      check(updates == StudyCorpus.UPDATE_ROUNDS * ((n + 4) / 5), "updates counted " + updates);
      check(count(c, "vxc_study") == count(bc, "bl_study") && count(c, "vxh_study") == count(bc, "bl_study_h"),
          "both paths hold the same number of rows");
      notes.add(QueryScenario.maintenance(backend, db, storeTables(vx), pg, true, variant + ", after the updates"));
      notes.add(variant + ": " + sizes(c, bc, pg, db, bl));

      // ---- reads ----
      Reads reads = new Reads(vx, c, tc, pg, corpus, t0);
      BenchMain.progress("%s: timing the reads", tag);
      for (boolean past : new boolean[] {false, true}) {
        String when = past ? "as of T0" : "now";
        rows.add(compare(variant, "page (MR, 2015, by id desc) " + when, () -> reads.vxPage(past),
            () -> reads.sqlPage(past)));
        rows.add(compare(variant, "count of that filter " + when, () -> reads.vxCount(past),
            () -> reads.sqlCount(past)));
        rows.add(compare(variant, "read 1,000 studies " + when, () -> reads.vxRead(reads.studies, past, true),
            () -> reads.sqlRead(reads.studies, "study", past, true)));
        rows.add(compare(variant, "  same, exclude_children", () -> reads.vxRead(reads.studies, past, false),
            () -> reads.sqlRead(reads.studies, "study", past, false)));
        rows.add(compare(variant, "read 1,000 patients " + when, () -> reads.vxRead(reads.patients, past, true),
            () -> reads.sqlRead(reads.patients, "patient", past, true)));
      }
      notes.add(variant + ": " + reads.describe());
      if (options.explain() && !pg) {
        BenchMain.progress("%s: where the time goes (H2 QUERY_STATISTICS, EXPLAIN ANALYZE)", tag);
        notes.addAll(explainH2(variant, c, reads, List.of(
            Map.entry("page now", () -> reads.vxPage(false)),
            Map.entry("page as of T0", () -> reads.vxPage(true)),
            Map.entry("count now", () -> reads.vxCount(false)),
            Map.entry("count as of T0", () -> reads.vxCount(true)),
            Map.entry("read 1,000 studies now", () -> reads.vxRead(reads.studies, false, true)),
            Map.entry("read 1,000 studies as of T0", () -> reads.vxRead(reads.studies, true, true)),
            Map.entry("read 1,000 patients now", () -> reads.vxRead(reads.patients, false, true)))));
      }
    }
    return rows;
  }

  // ---- timing ----

  private interface Work {
    void run() throws Exception;
  }

  private static long time(Work w) throws Exception {
    long t = System.nanoTime();
    w.run();
    return System.nanoTime() - t;
  }

  /**
   * Rates over all batches (a checkpoint's stall counts against whichever path it lands in), and, as the
   * "median" pair, the rates of each path's median batch, which such a stall does not move.
   */
  private Row rateRow(String variant, String what, int count, long[] vx, long[] bl) {
    double vxRate = count / (Arrays.stream(vx).sum() / 1e9);
    double blRate = count / (Arrays.stream(bl).sum() / 1e9);
    return new Row(variant, what, vxRate, blRate, (double) count / vx.length / (Stats.medianMs(vx) / 1e3),
        (double) count / bl.length / (Stats.medianMs(bl) / 1e3), true, true);
  }

  /** Mean batch time of the first and last tenth of the batches, both paths: does a batch get slower as tables grow? */
  private static String growth(long[] vx, long[] bl) {
    int tenth = Math.max(1, vx.length / 10);
    return String.format(Locale.ROOT, "per batch, first tenth vs last tenth of the batches: VxData %.1f -> %.1f ms"
        + " (max %.1f), baseline %.1f -> %.1f ms (max %.1f); totals VxData %.1f s, baseline %.1f s",
        mean(vx, 0, tenth), mean(vx, vx.length - tenth, vx.length), Arrays.stream(vx).max().orElse(0) / 1e6,
        mean(bl, 0, tenth), mean(bl, bl.length - tenth, bl.length), Arrays.stream(bl).max().orElse(0) / 1e6,
        Arrays.stream(vx).sum() / 1e9, Arrays.stream(bl).sum() / 1e9);
  }

  private static double mean(long[] v, int from, int to) {
    return Arrays.stream(v, from, to).average().orElse(0) / 1e6;
  }

  /**
   * Runs both paths once and compares their answers, then {@code --parents-warmup} untimed runs of
   * each, then {@code --parents-reps} timed runs, interleaved, the first path alternating.
   */
  private Row compare(String variant, String what, Callable<List<String>> vx, Callable<List<String>> sql)
      throws Exception {
    List<String> a = vx.call();
    List<String> b = sql.call();
    boolean same = a.equals(b);
    if (!same) {
      System.err.println("MISMATCH in " + what + ": VxData " + head(a) + " vs SQL " + head(b));
    }
    check(!a.isEmpty(), what + " returned nothing");
    for (int w = 0; w < options.parentsWarmup(); w++) {
      vx.call();
      sql.call();
    }
    int reps = options.parentsReps();
    long[] tv = new long[reps];
    long[] ts = new long[reps];
    for (int r = 0; r < reps; r++) {
      if (r % 2 == 0) {
        tv[r] = time(vx::call);
        ts[r] = time(sql::call);
      } else {
        ts[r] = time(sql::call);
        tv[r] = time(vx::call);
      }
    }
    Arrays.sort(tv);
    Arrays.sort(ts);
    return new Row(variant, what, tv[0] / 1e6, ts[0] / 1e6, Stats.medianMs(tv), Stats.medianMs(ts), false, same);
  }

  private static String head(List<String> list) {
    return list.size() + " entries " + list.subList(0, Math.min(3, list.size()));
  }

  // ---- the reads, both paths ----

  /** The read operations of both paths over one loaded store. */
  static final class Reads {
    private final VxData vx;
    /** Autocommit: single statements (page, count). */
    private final Connection c;
    /** One transaction per read of two statements, at the isolation the store reads at. */
    private final Connection tc;
    private final boolean pg;
    private final Instant t0;
    final OffsetDateTime at;
    /** Whether the last VxData read was of the patients (for binding its statements again in EXPLAIN). */
    boolean lastReadPatients;
    final List<String> studies = new ArrayList<>();
    final List<String> patients = new ArrayList<>();
    private final QueryRequest filtered;
    private final Map<String, List<String>> childTypes = new LinkedHashMap<>();

    Reads(VxData vx, Connection c, Connection tc, boolean pg, StudyCorpus corpus, Instant t0) throws SQLException {
      this.vx = vx;
      this.c = c;
      this.tc = tc;
      this.pg = pg;
      this.t0 = t0;
      this.at = OffsetDateTime.ofInstant(t0, ZoneOffset.UTC);
      tc.setAutoCommit(false);
      tc.setTransactionIsolation(pg ? Connection.TRANSACTION_REPEATABLE_READ : Connection.TRANSACTION_SERIALIZABLE);
      // Spread over the table, and over the residues mod 5 so a fifth of them are updated studies.
      int stride = Math.max(1, corpus.studies() / READ_IDS);
      for (int k = 0; k < Math.min(READ_IDS, corpus.studies()); k++) {
        studies.add(corpus.study(Math.min(corpus.studies() - 1, k * stride + k % 5)).identifier());
      }
      int pstride = Math.max(1, corpus.patients() / READ_IDS);
      for (int k = 0; k < Math.min(READ_IDS, corpus.patients()); k++) {
        patients.add(corpus.patient(k * pstride));
      }
      filtered = QueryRequest.of("study")
          .filter(Filter.and(Filter.eq("modality", MODALITY), Filter.where("study_date", Operator.BETWEEN,
              List.of(FROM, TO))))
          .sortBy("identifier", SortOrder.DESC)
          .limit(LIMIT)
          .build();
      // The types whose resources may stand under a study / a patient: where children can be.
      Map<String, PayloadType> types = vx.payloadTypes();
      for (String parent : List.of("study", "patient")) {
        childTypes.put(parent, types.values().stream().filter(t -> t.allowsParentType(parent))
            .map(PayloadType::name).sorted().toList());
      }
    }

    String describe() {
      return "reads: " + studies.size() + " studies (spread evenly over the table, a fifth of them updated) and "
          + patients.size() + " patients (ten studies each); T0 = " + t0
          + "; hand-written children lookups only in the tables of types allowed under the parent: " + childTypes;
    }

    private QueryRequest request(boolean past) {
      return past ? filtered.toBuilder().asOf(t0).build() : filtered;
    }

    List<String> vxPage(boolean past) {
      QueryPage page = vx.query(request(past));
      List<String> ids = new ArrayList<>(page.results().size());
      page.results().forEach(r -> ids.add(r.identifier()));
      return ids;
    }

    List<String> vxCount(boolean past) {
      return List.of(Long.toString(vx.count(request(past)).value()));
    }

    List<String> vxRead(List<String> ids, boolean past, boolean children) {
      lastReadPatients = ids == patients;
      ReadOptions o = past ? ReadOptions.asOf(t0) : ReadOptions.latest();
      if (!children) {
        o = o.withoutChildren();
      }
      List<String> out = new ArrayList<>(ids.size());
      for (Resource r : vx.read(ids, o).value()) {
        out.add(r.identifier() + " v" + r.version() + " " + r.payload().get("description") + (children
            ? " " + r.children().orElse(List.of()) : ""));
      }
      return out;
    }

    /** The page: each branch filtered, ordered and limited on its own, then merged. */
    List<String> sqlPage(boolean past) throws SQLException {
      String order = " ORDER BY identifier DESC LIMIT ?";
      String sql;
      List<Object> params;
      if (!past) {
        sql = "SELECT " + STUDY_COLUMNS + " FROM vxc_study WHERE NOT is_deleted AND " + FILTER_SQL + order;
        params = List.of(MODALITY, FROM, TO, LIMIT + 1);
      } else {
        sql = "(SELECT " + STUDY_COLUMNS + " FROM vxc_study WHERE NOT is_deleted AND " + FILTER_SQL
            + " AND updated_at <= ?" + order + ") UNION ALL (SELECT " + STUDY_COLUMNS + " FROM vxh_study"
            + " WHERE NOT is_deleted AND " + FILTER_SQL + " AND updated_at <= ? AND _sys_to > ?" + order + ")"
            + order;
        params = List.of(MODALITY, FROM, TO, at, LIMIT + 1, MODALITY, FROM, TO, at, at, LIMIT + 1, LIMIT + 1);
      }
      List<String> ids = new ArrayList<>(LIMIT);
      try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String id = StudyCorpus.readRow(rs);
          if (ids.size() < LIMIT) {
            ids.add(id);
          }
        }
      }
      return ids;
    }

    List<String> sqlCount(boolean past) throws SQLException {
      String where = " WHERE NOT is_deleted AND " + FILTER_SQL;
      String sql = past ? "SELECT (SELECT COUNT(*) FROM vxc_study" + where + " AND updated_at <= ?) + (SELECT"
          + " COUNT(*) FROM vxh_study" + where + " AND updated_at <= ? AND _sys_to > ?)"
          : "SELECT COUNT(*) FROM vxc_study" + where;
      List<Object> params = past ? List.of(MODALITY, FROM, TO, at, MODALITY, FROM, TO, at, at)
          : List.of(MODALITY, FROM, TO);
      try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return List.of(Long.toString(rs.getLong(1)));
      }
    }

    /**
     * The hand-written read: the resources from their type's table, then the children from the
     * tables of the types that may stand under that type, in one transaction.
     */
    List<String> sqlRead(List<String> ids, String type, boolean past, boolean children) throws SQLException {
      try {
        Map<String, String> found = new LinkedHashMap<>();
        String cols = type.equals("study") ? STUDY_COLUMNS : "identifier, version";
        String where = " WHERE identifier = ANY(?) AND NOT is_deleted";
        String sql = "SELECT " + cols + " FROM vxc_" + type + where + (past ? " AND updated_at <= ? UNION ALL SELECT "
            + cols + " FROM vxh_" + type + where + " AND updated_at <= ? AND _sys_to > ?" : "");
        java.sql.Array idArray = tc.createArrayOf("varchar", ids.toArray());
        List<Object> params = past ? List.of(idArray, at, idArray, at, at) : List.of(idArray);
        try (PreparedStatement ps = prepare(tc, sql, params); ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (type.equals("study")) {
              String id = StudyCorpus.readRow(rs);
              found.put(id, id + " v" + rs.getLong(7) + " " + rs.getString(13));
            } else {
              found.put(rs.getString(1), rs.getString(1) + " v" + rs.getLong(2) + " null");
            }
          }
        }
        Map<String, TreeSet<String>> kids = new TreeMap<>();
        if (children) {
          List<String> branches = new ArrayList<>();
          List<Object> kidParams = new ArrayList<>();
          java.sql.Array parents = tc.createArrayOf("varchar", found.keySet().toArray());
          String kidWhere = " WHERE parent_identifier = ANY(?) AND NOT is_deleted";
          for (String t : childTypes.get(type)) {
            branches.add("SELECT parent_identifier, identifier FROM vxc_" + t + kidWhere
                + (past ? " AND updated_at <= ?" : ""));
            kidParams.add(parents);
            if (past) {
              kidParams.add(at);
              branches.add("SELECT parent_identifier, identifier FROM vxh_" + t + kidWhere
                  + " AND updated_at <= ? AND _sys_to > ?");
              kidParams.addAll(List.of(parents, at, at));
            }
          }
          try (PreparedStatement ps = prepare(tc, String.join(" UNION ALL ", branches), kidParams);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              kids.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
            }
          }
        }
        List<String> out = new ArrayList<>(found.size());
        for (String id : ids) {
          String row = found.get(id);
          if (row != null) {
            out.add(row + (children ? " " + new ArrayList<>(kids.getOrDefault(id, new TreeSet<>())) : ""));
          }
        }
        return out;
      } finally {
        tc.commit();
      }
    }
  }

  // ---- where the time goes, on H2 ----

  /**
   * For each VxData operation: the statements the store sent, with H2's own per-statement times
   * (INFORMATION_SCHEMA.QUERY_STATISTICS, over three runs), then EXPLAIN ANALYZE of each with
   * parameters like the ones the store bound (inferred from the text around each placeholder).
   */
  private static List<String> explainH2(String variant, Connection c, Reads reads,
      List<Map.Entry<String, Callable<List<String>>>> ops) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Callable<List<String>>> op : ops) {
      out.add(variant + ": WHERE THE TIME GOES, " + op.getKey() + " (VxData, 3 runs):");
      try (Statement s = c.createStatement()) {
        s.execute("SET QUERY_STATISTICS FALSE");
        s.execute("SET QUERY_STATISTICS TRUE");
        for (int r = 0; r < 3; r++) {
          op.getValue().call();
        }
        List<String[]> stats = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT, EXECUTION_COUNT, AVERAGE_EXECUTION_TIME,"
            + " AVERAGE_ROW_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS ORDER BY CUMULATIVE_EXECUTION_TIME DESC")) {
          while (rs.next()) {
            stats.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
          }
        }
        s.execute("SET QUERY_STATISTICS FALSE");
        for (String[] st : stats) {
          if (st[0].contains("INFORMATION_SCHEMA") || st[0].startsWith("SET ")) {
            continue;
          }
          out.add(String.format(Locale.ROOT, "  %s runs, avg %.2f ms, avg %s rows: %s", st[1],
              Double.parseDouble(st[2]), st[3], st[0]));
          if (st[0].contains("vxc_") && !st[0].startsWith("SELECT last_tx")) {
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + st[0])) {
              bindLike(ps, st[0], reads, c);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  for (String line : rs.getString(1).split("\n")) {
                    out.add("      " + line);
                  }
                }
              }
            } catch (SQLException e) {
              out.add("      (EXPLAIN ANALYZE failed: " + e.getMessage() + ")");
            }
          }
        }
      } catch (Exception e) {
        out.add("  (failed: " + e + ")");
      }
    }
    return out;
  }

  /** Binds each placeholder of {@code sql} with a value like the store's, by the text just before it. */
  private static void bindLike(PreparedStatement ps, String sql, Reads reads, Connection c) throws SQLException {
    String[] parts = sql.split("\\?", -1);
    for (int i = 0; i < parts.length - 1; i++) {
      String before = parts[i].trim().toUpperCase(Locale.ROOT);
      if (before.endsWith("ANY(")) {
        // identifier = ANY(?) of the read, or parent_identifier = ANY(?) of its children lookup
        ps.setArray(i + 1, c.createArrayOf("varchar", (reads.lastReadPatients ? reads.patients
            : reads.studies).toArray()));
      } else if (before.endsWith("<=") || before.endsWith(">")) {
        ps.setObject(i + 1, reads.at);
      } else if (before.endsWith("BETWEEN")) {
        ps.setObject(i + 1, FROM);
      } else if (before.equals("AND") && i > 0 && parts[i - 1].trim().toUpperCase(Locale.ROOT).endsWith("BETWEEN")) {
        ps.setObject(i + 1, TO);
      } else if (before.endsWith("LIMIT")) {
        ps.setInt(i + 1, LIMIT + 1);
      } else if (before.endsWith("=")) {
        ps.setString(i + 1, MODALITY);
      } else {
        ps.setString(i + 1, "?");
      }
    }
  }

  // ---- the hand-written write path ----

  /**
   * The baseline's tables: patients (for the foreign key), and studies with a history table, with
   * the columns and indexes the store gives vxc_study and vxh_study on this backend.
   */
  static void createBaselineTables(Connection c, boolean pg, boolean indexed, boolean composite)
      throws SQLException {
    String id = pg ? "VARCHAR(255) COLLATE \"C\"" : "VARCHAR(255)";
    String text = pg ? "VARCHAR COLLATE \"C\"" : "VARCHAR(1000000)";
    String cols = "identifier " + id + " NOT NULL, "
        + "parent_identifier " + id + ", "
        + "license VARCHAR(255), "
        + "access_level SMALLINT NOT NULL, "
        + "derived_from VARCHAR(255) ARRAY NOT NULL, "
        + "is_deleted BOOLEAN NOT NULL, "
        + "version BIGINT NOT NULL, "
        + "created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL, "
        + "updated_at TIMESTAMP(6) WITH TIME ZONE NOT NULL, "
        + "\"external_uid\" " + text + ", "
        + "\"study_date\" DATE, "
        + "\"modality\" " + text + ", "
        + "\"description\" " + text;
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bl_patient (identifier " + id + " NOT NULL PRIMARY KEY, parent_identifier " + id
          + ", \"external_uid\" " + text + ")");
      s.execute("CREATE TABLE bl_study (" + cols + ", _active BOOLEAN, PRIMARY KEY (identifier),"
          + " FOREIGN KEY (parent_identifier) REFERENCES bl_patient (identifier))");
      s.execute("CREATE TABLE bl_study_h (" + cols + ", _sys_to TIMESTAMP(6) WITH TIME ZONE NOT NULL,"
          + " PRIMARY KEY (identifier, version))");
      s.execute("CREATE INDEX bl_study_parent ON bl_study (parent_identifier, created_at, identifier)");
      s.execute("CREATE INDEX bl_study_created ON bl_study (created_at, identifier)");
      s.execute("CREATE INDEX bl_study_h_parent ON bl_study_h (parent_identifier)");
      s.execute("CREATE INDEX bl_study_h_to ON bl_study_h (_sys_to)");
      List<String> fields = new ArrayList<>(List.of("external_uid", "study_date"));
      if (indexed) {
        fields.add("modality");
      }
      for (String f : fields) {
        String columns = composite && f.equals("modality") ? "\"modality\", \"study_date\"" : "\"" + f + "\"";
        s.execute("CREATE INDEX bl_study_" + f + " ON bl_study (" + columns + ", identifier)");
        s.execute("CREATE INDEX bl_study_h_" + f + " ON bl_study_h (" + columns + ", identifier)");
      }
      s.execute("CREATE UNIQUE INDEX bl_study_key ON bl_study (parent_identifier, \"external_uid\", _active)");
    }
  }

  private static void insertBaselinePatients(Connection c, StudyCorpus corpus) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO bl_patient (identifier, parent_identifier,"
        + " \"external_uid\") VALUES (?, ?, ?)")) {
      for (int p = 0; p < corpus.patients(); p++) {
        ps.setString(1, corpus.patient(p));
        ps.setString(2, corpus.datasource(p % StudyCorpus.DATASOURCES));
        ps.setString(3, "MRN" + (1_000_000 + p));
        ps.addBatch();
        if (p % 1000 == 999 || p == corpus.patients() - 1) {
          ps.executeBatch();
          c.commit();
        }
      }
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  /** Study inserts: one prepared INSERT, a JDBC batch and a commit per batch. */
  static final class BaselineWriter implements AutoCloseable {
    private final Connection c;
    private final PreparedStatement ps;

    BaselineWriter(Connection c) throws SQLException {
      this.c = c;
      c.setAutoCommit(false);
      ps = c.prepareStatement("INSERT INTO bl_study (identifier, parent_identifier, license, access_level,"
          + " derived_from, is_deleted, version, created_at, updated_at, \"external_uid\", \"study_date\","
          + " \"modality\", \"description\", _active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE)");
    }

    void insert(List<StudyCorpus.Study> batch) throws SQLException {
      OffsetDateTime now = now();
      for (StudyCorpus.Study s : batch) {
        ps.setString(1, s.identifier());
        ps.setString(2, s.parent());
        ps.setNull(3, Types.VARCHAR);
        ps.setShort(4, (short) 1);
        ps.setArray(5, c.createArrayOf("varchar", new Object[0]));
        ps.setBoolean(6, false);
        ps.setLong(7, 1L);
        ps.setObject(8, now);
        ps.setObject(9, now);
        ps.setString(10, s.externalUid());
        ps.setObject(11, s.studyDate());
        ps.setString(12, s.modality());
        ps.setString(13, s.description());
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
    }

    @Override
    public void close() throws SQLException {
      ps.close();
      c.setAutoCommit(true);
    }
  }

  /**
   * Updates by hand, system-versioned: the old rows to history with their end time in one
   * statement, the new values into the current rows in one JDBC batch, one commit.
   */
  static final class BaselineUpdater implements AutoCloseable {
    private static final String COLUMNS = "identifier, parent_identifier, license, access_level, derived_from,"
        + " is_deleted, version, created_at, updated_at, \"external_uid\", \"study_date\", \"modality\","
        + " \"description\"";
    private final Connection c;
    private final PreparedStatement retire;
    private final PreparedStatement update;

    BaselineUpdater(Connection c) throws SQLException {
      this.c = c;
      c.setAutoCommit(false);
      retire = c.prepareStatement("INSERT INTO bl_study_h (" + COLUMNS + ", _sys_to) SELECT " + COLUMNS + ", ?"
          + " FROM bl_study WHERE identifier = ANY(?)");
      update = c.prepareStatement("UPDATE bl_study SET \"description\" = ?, \"study_date\" = ?,"
          + " version = version + 1, updated_at = ? WHERE identifier = ?");
    }

    /** Each element: identifier, new description, new study date. */
    void update(List<Object[]> changes) throws SQLException {
      OffsetDateTime now = now();
      Object[] ids = changes.stream().map(ch -> ch[0]).toArray();
      retire.setObject(1, now);
      retire.setArray(2, c.createArrayOf("varchar", ids));
      retire.executeUpdate();
      for (Object[] ch : changes) {
        update.setString(1, (String) ch[1]);
        update.setObject(2, ch[2]);
        update.setObject(3, now);
        update.setString(4, (String) ch[0]);
        update.addBatch();
      }
      update.executeBatch();
      c.commit();
    }

    @Override
    public void close() throws SQLException {
      retire.close();
      update.close();
      c.setAutoCommit(true);
    }
  }

  // ---- housekeeping ----

  private static List<String> storeTables(VxData vx) {
    List<String> tables = new ArrayList<>();
    vx.payloadTypes().keySet().forEach(t -> {
      tables.add("vxc_" + t);
      tables.add("vxh_" + t);
    });
    return tables;
  }

  /** Space: the store's study tables vs the baseline's (PostgreSQL), or the two H2 files. */
  private static String sizes(Connection c, Connection bc, boolean pg, Backend.Database db, Backend.Database bl)
      throws SQLException {
    if (pg) {
      String q = "SELECT pg_total_relation_size(?::regclass) + pg_total_relation_size(?::regclass)";
      return String.format(Locale.ROOT, "space, tables with their indexes: vxc_study + vxh_study %s,"
          + " bl_study + bl_study_h %s; whole store schema %s", Stats.mb(scalar(c, q, "vxc_study", "vxh_study")),
          Stats.mb(scalar(bc, q, "bl_study", "bl_study_h")), Stats.mb(scalar(c, "SELECT SUM(pg_total_relation_size("
          + "c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
          + " AND c.relkind IN ('r', 'i', 't')")));
    }
    return "H2 file sizes after a CHECKPOINT: store " + Stats.mb(h2FileSize(db)) + ", baseline " + Stats.mb(h2FileSize(bl))
        + " (the baseline's holds only its patient ids and the study tables)";
  }

  private static long scalar(Connection c, String sql, String... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long h2FileSize(Backend.Database db) {
    String url = db.jdbcUrl();
    String path = url.substring("jdbc:h2:".length(), url.indexOf(';') > 0 ? url.indexOf(';') : url.length());
    if (path.startsWith("file:")) {
      path = path.substring(5);
    }
    java.io.File f = new java.io.File(path + ".mv.db");
    return f.length();
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("sanity check failed: " + what);
    }
  }
}
