package io.vxdata.bench;

import io.vxdata.NewResource;
import io.vxdata.PatientRegistration;
import io.vxdata.UpdateWhere;
import io.vxdata.VxData;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.query.Filter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes of many resources per call (docs/behaviour.md §15.2, §15.5), two rows:
 *
 * <ul>
 *   <li>batch registration: {@code --writes-rows} patients registered with
 *       {@code VxData.registerPatients} in calls of {@code --batch}, against as many patients created with
 *       {@code VxData.create} in calls of {@code --batch} (identifiers and keys made by the bench), on one
 *       store, under two datasources, the two paths interleaved call by call, the first alternating.
 *       Goal: registration at least 0.8 × create.
 *   <li>bulk update by filter: {@code --writes-rows} studies under each of two patients, all {@code CT}; then
 *       {@code VxData.updateWhere} sets the modality of every study of one patient, against a hand-written
 *       transaction over the same tables for the other patient's studies: {@code INSERT INTO vxh_study ...
 *       SELECT ... FROM vxc_study WHERE ...} and {@code UPDATE vxc_study SET ... WHERE ...} with the same
 *       condition, then a commit. Three rounds (the modality flips CT → PET → CT → PET), the first path
 *       alternating; medians. Goal: VxData at least 0.7 × the hand-written SQL.
 * </ul>
 */
final class BatchWriteScenario implements Scenario {

  static final double REGISTER_GOAL = 0.8;
  static final double UPDATE_GOAL = 0.7;
  private static final int ROUNDS = 3;

  @Override
  public String key() {
    return "writes";
  }

  @Override
  public String name() {
    return "batch writes";
  }

  @Override
  public String describe(BenchOptions o) {
    return String.format(Locale.ROOT, "%,d patients registered in calls of %,d vs created in calls of %,d, interleaved;"
        + " updateWhere of %,d matching studies vs a hand-written INSERT ... SELECT into history + UPDATE, %d rounds,"
        + " first path alternating, medians", o.writesRows(), o.batch(), o.batch(), o.writesRows(), ROUNDS);
  }

  @Override
  public String tableHeader() {
    return String.format("%-12s %-28s %9s %14s %14s %9s  %s", "backend", "write", "rows", "VxData rows/s",
        "ref rows/s", "ratio", "goal");
  }

  @Override
  public Result run(Backend backend, BenchOptions options) throws Exception {
    List<String> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    registration(backend, options, rows, notes);
    bulkUpdate(backend, options, rows, notes);
    return new Result(backend.name(), rows, notes);
  }

  private static String row(Backend backend, String write, int n, double vx, double ref, double goal) {
    double ratio = vx / ref;
    return String.format(Locale.ROOT, "%-12s %-28s %,9d %,14.0f %,14.0f %9.2f  >= %.1f %s", backend.name(), write, n,
        vx, ref, ratio, goal, ratio >= goal ? "met" : "BELOW");
  }

  // ---- registration ----

  private void registration(Backend backend, BenchOptions options, List<String> rows, List<String> notes)
      throws Exception {
    int n = options.writesRows();
    int batch = options.batch();
    Backend.Database db = backend.freshDatabase("writes_register");
    long registerNanos = 0;
    long createNanos = 0;
    try (VxData vx = VxDataStore.open(db.storeOptions())) {
      vx.create(List.of(NewResource.builder("datasource", "ds-reg").set("name", "registered").build(),
          NewResource.builder("datasource", "ds-new").set("name", "created").build()));
      // Untimed warm-up of both paths (JIT), under a third datasource.
      vx.create(List.of(NewResource.builder("datasource", "ds-warm").set("name", "warm-up").build()));
      for (int k = 0; k < 5; k++) {
        vx.registerPatients(registrations("ds-warm", "w" + k, 0, Math.min(batch, 1000)));
        vx.create(patients("ds-warm", "wc" + k, 0, Math.min(batch, 1000)));
      }
      backend.settle(db);
      BenchMain.progress("%s: writes: %,d registrations vs %,d creates", backend.name(), n, n);
      for (int from = 0, k = 0; from < n; from += batch, k++) {
        int to = Math.min(n, from + batch);
        List<PatientRegistration> register = registrations("ds-reg", "r", from, to);
        List<NewResource> create = patients("ds-new", "c", from, to);
        for (int turn = 0; turn < 2; turn++) {
          if ((turn == 0) == (k % 2 == 0)) {
            long t0 = System.nanoTime();
            vx.registerPatients(register);
            registerNanos += System.nanoTime() - t0;
          } else {
            long t0 = System.nanoTime();
            vx.create(create);
            createNanos += System.nanoTime() - t0;
          }
        }
      }
      try (Connection c = db.connect()) {
        long registered = count(c, "SELECT COUNT(*) FROM vxc_patient WHERE parent_identifier = 'ds-reg'");
        long created = count(c, "SELECT COUNT(*) FROM vxc_patient WHERE parent_identifier = 'ds-new'");
        if (registered != n || created != n) {
          throw new IllegalStateException("registered " + registered + " and created " + created + " patients, not " + n);
        }
      }
    }
    double register = n / (registerNanos / 1e9);
    double create = n / (createNanos / 1e9);
    rows.add(row(backend, "register vs create", n, register, create, REGISTER_GOAL));
    notes.add(String.format(Locale.ROOT, "registration: %,d patients in calls of %,d: registerPatients %.2f s,"
        + " create %.2f s (patients with bench-made identifiers and keys; both checked in vxc_patient)", n, batch,
        registerNanos / 1e9, createNanos / 1e9));
  }

  private static List<PatientRegistration> registrations(String datasource, String prefix, int from, int to) {
    List<PatientRegistration> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      out.add(PatientRegistration.of(datasource, prefix + "-mrn-" + i).with("sex", i % 2 == 0 ? "F" : "M")
          .with("birth_year", 1940 + i % 70));
    }
    return out;
  }

  private static List<NewResource> patients(String datasource, String prefix, int from, int to) {
    List<NewResource> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      out.add(NewResource.builder("patient", prefix + "-pt-" + i).parent(datasource)
          .set("external_uid", prefix + "-mrn-" + i).set("sex", i % 2 == 0 ? "F" : "M").set("birth_year", 1940 + i % 70)
          .build());
    }
    return out;
  }

  // ---- bulk update by filter ----

  private void bulkUpdate(Backend backend, BenchOptions options, List<String> rows, List<String> notes)
      throws Exception {
    int n = options.writesRows();
    Backend.Database db = backend.freshDatabase("writes_update");
    long[] vxNanos = new long[ROUNDS];
    long[] sqlNanos = new long[ROUNDS];
    try (VxData vx = VxDataStore.open(db.storeOptions()); Connection c = db.connect()) {
      vx.create(List.of(NewResource.builder("datasource", "ds-1").set("name", "bulk").build()));
      vx.create(patients("ds-1", "u", 0, 2));
      BenchMain.progress("%s: writes: loading %,d studies", backend.name(), 2 * n);
      for (int p = 0; p < 2; p++) {
        for (int from = 0; from < n; from += options.batch()) {
          List<NewResource> studies = new ArrayList<>();
          for (int i = from; i < Math.min(n, from + options.batch()); i++) {
            studies.add(NewResource.builder("study", "st-" + p + "-" + i).parent("u-pt-" + p)
                .set("external_uid", "acc-" + p + "-" + i).set("modality", "CT")
                .set("study_date", "2024-01-" + String.format(Locale.ROOT, "%02d", 1 + i % 28)).build());
          }
          vx.create(studies);
        }
      }
      QueryScenario.maintenance(backend, db, QueryScenario.storeTables(vx), backend.name().equals("postgresql"), true,
          "after the load");
      c.setAutoCommit(false);
      String[] modalities = {"CT", "PET"};
      for (int r = 0; r < ROUNDS; r++) {
        String from = modalities[r % 2];
        String to = modalities[(r + 1) % 2];
        BenchMain.progress("%s: writes: update round %d of %d", backend.name(), r + 1, ROUNDS);
        for (int turn = 0; turn < 2; turn++) {
          if ((turn == 0) == (r % 2 == 0)) {
            long t0 = System.nanoTime();
            int updated = vx.updateWhere(new UpdateWhere("study", Filter.and(Filter.eq("parent_identifier", "u-pt-0"),
                Filter.eq("modality", from)), Map.of("modality", to), n)).count();
            vxNanos[r] = System.nanoTime() - t0;
            check(updated == n, "updateWhere changed " + updated + " studies, not " + n);
          } else {
            long t0 = System.nanoTime();
            int updated = handWritten(c, vx, from, to);
            sqlNanos[r] = System.nanoTime() - t0;
            check(updated == n, "the hand-written UPDATE changed " + updated + " studies, not " + n);
          }
        }
      }
      check(count(c, "SELECT COUNT(*) FROM vxh_study") == 2L * ROUNDS * n, "vxh_study holds "
          + count(c, "SELECT COUNT(*) FROM vxh_study") + " versions, not " + 2L * ROUNDS * n);
      c.commit();
    }
    double vxRate = n / (median(vxNanos) / 1e9);
    double sqlRate = n / (median(sqlNanos) / 1e9);
    rows.add(row(backend, "update-where vs SQL", n, vxRate, sqlRate, UPDATE_GOAL));
    notes.add(String.format(Locale.ROOT, "bulk update: %,d of %,d studies per round; VxData %s s, hand-written %s s"
        + " (rounds in order)", n, 2 * n, seconds(vxNanos), seconds(sqlNanos)));
  }

  /**
   * The reference: what a careful developer writes by hand over the store's tables, in one transaction:
   * the old versions copied into history, the current rows updated in place, with a time after the
   * store's last commit (the store's own writes are not interleaved with it).
   */
  private static int handWritten(Connection c, VxData vx, String from, String to) throws SQLException {
    OffsetDateTime now = OffsetDateTime.ofInstant(vx.lastCommitTime().plus(1, ChronoUnit.MICROS), ZoneOffset.UTC);
    String where = " WHERE parent_identifier = ? AND modality = ? AND NOT is_deleted";
    String columns = columns(c);
    try (PreparedStatement history = c.prepareStatement("INSERT INTO vxh_study (" + columns + ", _sys_to) SELECT "
        + columns + ", ? FROM vxc_study" + where);
        PreparedStatement update = c.prepareStatement("UPDATE vxc_study SET modality = ?, version = version + 1,"
            + " updated_at = ?, updated_by = 'bench'" + where)) {
      history.setObject(1, now);
      history.setString(2, "u-pt-1");
      history.setString(3, from);
      history.executeUpdate();
      update.setString(1, to);
      update.setObject(2, now);
      update.setString(3, "u-pt-1");
      update.setString(4, from);
      int n = update.executeUpdate();
      c.commit();
      return n;
    }
  }

  /** The columns of vxc_study that history keeps (every one but the key marker). */
  private static String columns(Connection c) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM vxc_study WHERE FALSE")) {
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        String name = rs.getMetaData().getColumnName(i).toLowerCase(Locale.ROOT);
        if (!name.equals("_active")) {
          columns.add("\"" + name + "\"");
        }
      }
    }
    return String.join(", ", columns);
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void check(boolean ok, String problem) {
    if (!ok) {
      throw new IllegalStateException(problem);
    }
  }

  private static double median(long[] values) {
    long[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
  }

  private static String seconds(long[] nanos) {
    List<String> out = new ArrayList<>();
    for (long t : nanos) {
      out.add(String.format(Locale.ROOT, "%.2f", t / 1e9));
    }
    return String.join(", ", out);
  }
}
