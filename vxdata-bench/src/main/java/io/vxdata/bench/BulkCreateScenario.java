package io.vxdata.bench;

import io.vxdata.NewResource;
import io.vxdata.VxData;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.spi.WriteValidator;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Bulk create: {@code rows} studies under one patient, {@code batch} per call, through
 * {@link VxData#create(List)} and through a hand-written JDBC batch insert of the same rows into a
 * plain table shaped like the store's {@code vxc_study}.
 *
 * <p>Each backend first gets an untimed warm-up run (both paths, on separate fresh databases), then
 * the timed runs on fresh databases, each interleaving the two paths batch by batch (the first path
 * alternating) so that outside load and database housekeeping hit both alike. Only the write calls are timed
 * (binding, executing and committing for the baseline; {@code create} for VxData); building the
 * rows in memory, opening the store and creating tables are not.
 */
final class BulkCreateScenario implements Scenario {

  static final String BASELINE_TABLE = "bench_study";

  @Override
  public String key() {
    return "create";
  }

  @Override
  public String name() {
    return "bulk create";
  }

  @Override
  public String tableHeader() {
    return String.format("%-12s %9s %15s %15s %13s  %s", "backend", "rows", "VxData rows/s", "JDBC rows/s",
        "VxData/JDBC", String.format(Locale.ROOT, "goal >= %.2f", BenchMain.GOAL));
  }

  @Override
  public String describe(BenchOptions o) {
    return String.format("%,d study rows per timed run under one patient, %,d per VxData.create call / JDBC batch"
        + " (commit per batch); untimed warm-up of %,d rows on separate fresh databases first; %s;"
        + " %d timed run(s) on fresh databases, median reported", o.rows(), o.batch(), o.warmupRows(),
        o.order() == BenchOptions.Order.INTERLEAVED
            ? "timed runs interleave the two paths batch by batch, alternating which goes first"
            : "timed runs write every JDBC baseline batch first, then every VxData batch", o.repeat());
  }

  @Override
  public Result run(Backend backend, BenchOptions options) throws Exception {
    if (options.warmupRows() > 0) {
      BenchMain.progress("%s: warm-up, %,d rows per path", backend.name(), options.warmupRows());
      runOnce(backend, options, options.warmupRows(), "warmup", false);
    }
    List<String> notes = new ArrayList<>();
    notes.add(backend.baselinePlacement());
    List<Measurement> runs = new ArrayList<>();
    for (int r = 1; r <= options.repeat(); r++) {
      BenchMain.progress("%s: timed run %d of %d, %,d rows per path", backend.name(), r, options.repeat(),
          options.rows());
      Measurement m = runOnce(backend, options, options.rows(), "timed" + r, options.profile() && r == 1);
      runs.add(m);
      notes.add(String.format(Locale.ROOT, "run %d: JDBC %.2f s = %,.0f rows/s, VxData %.2f s = %,.0f rows/s,"
          + " ratio %.2f (VxData per batch: mean %.1f ms, max %.1f ms)", r, m.jdbcNanos / 1e9,
          options.rows() / (m.jdbcNanos / 1e9), m.vxNanos / 1e9, options.rows() / (m.vxNanos / 1e9),
          (double) m.jdbcNanos / m.vxNanos, m.vxNanos / 1e6 / m.batches, m.vxMaxBatchNanos / 1e6));
    }
    notes.add(runs.get(0).schemaCheck);
    notes.addAll(runs.get(0).profile);
    double vx = median(runs.stream().mapToDouble(m -> options.rows() / (m.vxNanos / 1e9)).toArray());
    double jdbc = median(runs.stream().mapToDouble(m -> options.rows() / (m.jdbcNanos / 1e9)).toArray());
    double ratio = vx / jdbc;
    String row = String.format(Locale.ROOT, "%-12s %,9d %,15.0f %,15.0f %13.2f  %s", backend.name(), options.rows(),
        vx, jdbc, ratio, ratio >= BenchMain.GOAL ? "met" : "BELOW");
    return new Result(backend.name(), List.of(row), notes);
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static final class Measurement {
    long jdbcNanos;
    long vxNanos;
    long vxMaxBatchNanos;
    int batches;
    String schemaCheck = "";
    List<String> profile = List.of();
  }

  private Measurement runOnce(Backend backend, BenchOptions options, int rows, String label, boolean profile)
      throws Exception {
    Measurement m = new Measurement();
    Backend.Database storeDb = backend.freshDatabase(label + "_vxdata");
    Backend.Database baseDb = backend.baselineDatabase(storeDb, label + "_jdbc");
    try (VxData vx = VxDataStore.open(storeDb.storeOptions())) {
      String prefix = label;
      String patient = prefix + "-pt-1";
      vx.create(List.of(
          NewResource.builder("datasource", prefix + "-ds-1").set("name", "Bench datasource").build(),
          NewResource.builder("patient", patient).parent(prefix + "-ds-1")
              .set("datasource_id", prefix + "-ds-1").set("external_uid", "bench-patient-1").build()));

      try (Connection c = baseDb.connect()) {
        createBaselineTable(c, backend.name());
        backend.settle(storeDb);
        if (!baseDb.equals(storeDb)) {
          backend.settle(baseDb);
        }
        System.gc();
        JfrProfile sampler = profile ? JfrProfile.start() : null;
        // Interleaved (default): batch k of both paths, then batch k+1, the first path alternating,
        // so that load from elsewhere on the machine, checkpoints and table growth hit both alike.
        // Sequential: every baseline batch, then every VxData batch.
        boolean interleaved = options.order() == BenchOptions.Order.INTERLEAVED;
        try (BaselineWriter baseline = new BaselineWriter(c, patient)) {
          for (int pass = 0; pass < (interleaved ? 1 : 2); pass++) {
            for (int from = 0, k = 0; from < rows; from += options.batch(), k++) {
              List<StudyRows.Study> studies = StudyRows.range(prefix, from, Math.min(rows, from + options.batch()));
              List<NewResource> resources = StudyRows.asResources(studies, patient);
              boolean baselineNow = interleaved || pass == 0;
              boolean vxNow = interleaved || pass == 1;
              if (baselineNow && (k % 2 == 0 || !interleaved)) {
                m.jdbcNanos += timeBaseline(baseline, studies);
                baselineNow = false;
              }
              if (vxNow) {
                timeVx(vx, resources, m, sampler);
              }
              if (baselineNow) {
                m.jdbcNanos += timeBaseline(baseline, studies);
              }
            }
            if (!interleaved && pass == 0) {
              backend.settle(baseDb);
              System.gc();
            }
          }
        }
        if (sampler != null) {
          m.profile = new ArrayList<>(sampler.stopAndSummarize("the VxData batches of the timed run on "
              + backend.name()));
          m.profile.add(0, validationCost(vx, prefix, patient, rows, options.batch(), m.vxNanos));
        }
        check(count(c, BASELINE_TABLE) == rows, "baseline table holds " + count(c, BASELINE_TABLE) + " rows");
      }

      try (Connection c = storeDb.connect()) {
        check(count(c, "vxc_study") == rows, "vxc_study holds " + count(c, "vxc_study") + " rows");
        if (!label.equals("warmup")) {
          try (Connection b = baseDb.connect()) {
            m.schemaCheck = compareTables(c, b);
          }
        }
      }
    }
    return m;
  }

  private static long timeBaseline(BaselineWriter baseline, List<StudyRows.Study> studies) throws SQLException {
    long t0 = System.nanoTime();
    baseline.insert(studies);
    return System.nanoTime() - t0;
  }

  private static void timeVx(VxData vx, List<NewResource> resources, Measurement m, JfrProfile sampler) {
    if (sampler != null) {
      sampler.enter();
    }
    long t0 = System.nanoTime();
    vx.create(resources);
    long t = System.nanoTime() - t0;
    if (sampler != null) {
      sampler.exit();
    }
    m.vxNanos += t;
    m.vxMaxBatchNanos = Math.max(m.vxMaxBatchNanos, t);
    m.batches++;
  }

  /** The table the baseline writes, as the store's TypeTable creates vxc_study on this backend. */
  static void createBaselineTable(Connection c, String backend) throws SQLException {
    boolean pg = backend.equals("postgresql");
    String id = pg ? "VARCHAR(255) COLLATE \"C\"" : "VARCHAR(255)";
    String text = pg ? "VARCHAR COLLATE \"C\"" : "VARCHAR(1000000)";
    String t = BASELINE_TABLE;
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + t + " ("
          + "identifier " + id + " NOT NULL, "
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
          + "\"description\" " + text + ", "
          + "_active BOOLEAN, "
          + "PRIMARY KEY (identifier))");
      s.execute("CREATE INDEX " + t + "_parent ON " + t + " (parent_identifier, created_at, identifier)");
      s.execute("CREATE INDEX " + t + "_created ON " + t + " (created_at, identifier)");
      s.execute("CREATE INDEX " + t + "_external_uid ON " + t + " (\"external_uid\", identifier)");
      s.execute("CREATE INDEX " + t + "_study_date ON " + t + " (\"study_date\", identifier)");
      // The study key (patient, external uid) unique among active rows, as the store holds it.
      s.execute("CREATE UNIQUE INDEX " + t + "_key ON " + t + " (parent_identifier, \"external_uid\", _active)");
    }
  }

  /** The hand-written path: one prepared INSERT, a JDBC batch and a commit per batch. */
  static final class BaselineWriter implements AutoCloseable {
    private final Connection c;
    private final PreparedStatement ps;
    private final String patient;

    BaselineWriter(Connection c, String patient) throws SQLException {
      this.c = c;
      this.patient = patient;
      c.setAutoCommit(false);
      ps = c.prepareStatement("INSERT INTO " + BASELINE_TABLE + " (identifier, parent_identifier, license,"
          + " access_level, derived_from, is_deleted, version, created_at, updated_at, \"external_uid\","
          + " \"study_date\", \"modality\", \"description\", _active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " TRUE)");
    }

    /** Inserts and commits one batch. */
    void insert(List<StudyRows.Study> batch) throws SQLException {
      OffsetDateTime now = OffsetDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
      for (StudyRows.Study s : batch) {
        ps.setString(1, s.identifier());
        ps.setString(2, patient);
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

  /** What WriteValidator.validateCreates alone costs on batches like the timed ones (no database work). */
  private static String validationCost(VxData vx, String prefix, String patient, int rows, int batchSize,
      long vxNanos) {
    var types = vx.payloadTypes();
    long nanos = 0;
    for (int from = 0; from < rows; from += batchSize) {
      List<NewResource> batch = StudyRows.asResources(
          StudyRows.range(prefix + "v", from, Math.min(rows, from + batchSize)), patient);
      long t0 = System.nanoTime();
      WriteValidator.validateCreates(batch, types);
      nanos += System.nanoTime() - t0;
    }
    return String.format("validation alone (WriteValidator.validateCreates, re-run on the same batches after the"
        + " timed run): %.2f s = %.1f%% of the VxData time", nanos / 1e9, 100.0 * nanos / vxNanos);
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

  /** Compares columns and indexes of vxc_study (store) and the baseline table; returns a report line. */
  private static String compareTables(Connection store, Connection base) throws SQLException {
    Map<String, String> a = columns(store, "vxc_study");
    Map<String, String> b = columns(base, BASELINE_TABLE);
    TreeSet<String> ia = indexes(store, "vxc_study");
    TreeSet<String> ib = indexes(base, BASELINE_TABLE);
    List<String> problems = new ArrayList<>();
    if (!a.equals(b)) {
      problems.add("columns differ: vxc_study " + a + " vs " + BASELINE_TABLE + " " + b);
    }
    if (!ia.equals(ib)) {
      problems.add("indexes differ: vxc_study " + ia + " vs " + BASELINE_TABLE + " " + ib);
    }
    return problems.isEmpty()
        ? "checked: " + BASELINE_TABLE + " has the same " + a.size() + " columns (types, sizes, nullability) and "
            + ia.size() + " indexes " + ia + " as vxc_study"
        : "WARNING, tables not equivalent: " + String.join("; ", problems);
  }

  private static Map<String, String> columns(Connection c, String table) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    DatabaseMetaData md = c.getMetaData();
    try (ResultSet rs = md.getColumns(c.getCatalog(), c.getSchema(), table, null)) {
      while (rs.next()) {
        out.put(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME") + "(" + rs.getInt("COLUMN_SIZE") + ")"
            + (rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls ? " not null" : ""));
      }
    }
    return out;
  }

  /** Each index as its column list, e.g. {@code (external_uid,identifier)}; the primary key marked unique. */
  private static TreeSet<String> indexes(Connection c, String table) throws SQLException {
    Map<String, TreeMap<Integer, String>> byName = new TreeMap<>();
    Map<String, Boolean> unique = new TreeMap<>();
    DatabaseMetaData md = c.getMetaData();
    try (ResultSet rs = md.getIndexInfo(c.getCatalog(), c.getSchema(), table, false, false)) {
      while (rs.next()) {
        String name = rs.getString("INDEX_NAME");
        if (name == null) {
          continue;
        }
        byName.computeIfAbsent(name, k -> new TreeMap<>()).put(rs.getInt("ORDINAL_POSITION"),
            Objects.toString(rs.getString("COLUMN_NAME")).replace("\"", ""));
        unique.put(name, !rs.getBoolean("NON_UNIQUE"));
      }
    }
    TreeSet<String> out = new TreeSet<>();
    byName.forEach((name, cols) -> out.add((unique.get(name) ? "unique" : "") + "(" + String.join(",", cols.values())
        + ")"));
    return out;
  }
}
