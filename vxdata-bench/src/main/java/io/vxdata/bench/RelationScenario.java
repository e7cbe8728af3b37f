package io.vxdata.bench;

import io.vxdata.NewResource;
import io.vxdata.VxData;
import io.vxdata.bench.QueryScenario.Pair;
import io.vxdata.bench.QueryScenario.Row;
import io.vxdata.bench.QueryScenario.Timing;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.query.Filter;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.SortOrder;
import io.vxdata.relation.Link;
import io.vxdata.schema.BuiltInTypes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A query with a {@code related} condition (docs/behaviour.md §15.1): the members of each of 1,000
 * families among 100,000 patients (100 each, attached with {@code member_of}), one query per family
 * through {@code VxData.query} (patients related to the family, by identifier, one page of up to 1,000),
 * against a hand-written JDBC statement per family joining the attached links to the patients' current
 * table and reading the same columns. Timed with {@link PathTimer} (interleaved, first path alternating,
 * medians; both paths must return the same members in the same order).
 */
final class RelationScenario implements Scenario {

  static final int PATIENTS = 100_000;
  static final int FAMILIES = 1_000;
  static final double GOAL = 1.5;
  /** Families per timed call: blocks short enough to be repeated and their medians taken. */
  static final int BLOCK = 100;

  @Override
  public String key() {
    return "relations";
  }

  @Override
  public String name() {
    return "related query";
  }

  @Override
  public String describe(BenchOptions o) {
    return String.format(Locale.ROOT, "%,d patients in %,d families (member_of); the members of every family, one"
        + " query each, through VxData.query with a related condition against a hand-written JDBC join of vx_link and"
        + " vxc_patient; after one untimed pass of each path over every family, blocks of %d families, %d untimed +"
        + " %d timed repetitions per block and path, interleaved; the sum of the blocks' medians, ms",
        PATIENTS, FAMILIES, BLOCK, o.queryWarmup(), o.queryReps());
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
    Backend.Database db = QueryScenario.queryDatabase(backend, "relations", notes);
    try (VxData vx = VxDataStore.open(db.storeOptions()); Connection c = db.connect();
        PathTimer timer = new PathTimer(db, pg, options)) {
      BenchMain.progress("%s: relations: loading", backend.name());
      long t0 = System.nanoTime();
      load(vx, options.batch());
      notes.add(String.format(Locale.ROOT, "loaded %,d patients, %,d families and %,d links through VxData in %.1f s",
          PATIENTS, FAMILIES, PATIENTS, (System.nanoTime() - t0) / 1e9));
      List<String> tables = new ArrayList<>(List.of("vxc_patient", "vxc_family", "vx_link"));
      notes.add(QueryScenario.maintenance(backend, db, tables, pg, true, "after the load"));
      String sql = "SELECT p.* FROM vx_link l JOIN vxc_patient p ON p.identifier = l.source_id"
          + " WHERE l.relation = ? AND l.target_id = ? AND l.valid_to IS NULL AND NOT p.is_deleted"
          + " ORDER BY p.identifier LIMIT 1001";
      notes.add("hand-written query per family: " + sql);

      BenchMain.progress("%s: relations: timing", backend.name());
      // Both paths once over every family, untimed: each timed block then starts warm.
      viaVxData(vx, 0, FAMILIES);
      viaSql(c, sql, 0, FAMILIES);
      double vxMs = 0;
      double sqlMs = 0;
      boolean same = true;
      String firstDifference = null;
      int reps = Integer.MAX_VALUE;
      for (int from = 0; from < FAMILIES; from += BLOCK) {
        int start = from;
        Pair block = timer.compare("members-" + from, () -> viaVxData(vx, start, start + BLOCK),
            () -> viaSql(c, sql, start, start + BLOCK));
        vxMs += block.vx().medianMs();
        sqlMs += block.sql().medianMs();
        reps = Math.min(reps, Math.min(block.vx().reps(), block.sql().reps()));
        if (!block.same() && same) {
          same = false;
          firstDifference = block.firstDifference();
        }
      }
      Timing vxTotal = new Timing(vxMs, vxMs, vxMs, reps, false);
      Timing sqlTotal = new Timing(sqlMs, sqlMs, sqlMs, reps, false);
      table.add(new Row("members of 1,000 families among 100,000 patients", vxTotal, "JDBC join per family",
          sqlTotal, GOAL, same, null).format(backend.name()));
      notes.add(String.format(Locale.ROOT, "sum over %d blocks of %d families of each block's median (%d timed runs per"
          + " block and path): VxData %.1f ms = %.3f ms per family; JDBC %.1f ms = %.3f ms per family",
          FAMILIES / BLOCK, BLOCK, reps, vxMs, vxMs / FAMILIES, sqlMs, sqlMs / FAMILIES));
      if (!same) {
        notes.add("MISMATCH: " + firstDifference);
      }
    }
    return new Result(backend.name(), table, notes);
  }

  private static String family(int f) {
    return String.format(Locale.ROOT, "fam-%04d", f);
  }

  /** One datasource, the families, the patients (patient i in family i mod 1,000), and their links. */
  private static void load(VxData vx, int batch) {
    vx.create(List.of(NewResource.builder(BuiltInTypes.DATASOURCE, "ds-rel").set("name", "Relations").build()));
    List<NewResource> families = new ArrayList<>();
    for (int f = 0; f < FAMILIES; f++) {
      families.add(NewResource.builder(BuiltInTypes.FAMILY, family(f)).parent("ds-rel").set("name", "F" + f).build());
    }
    vx.create(families);
    for (int from = 0; from < PATIENTS; from += batch) {
      List<NewResource> patients = new ArrayList<>();
      List<Link> links = new ArrayList<>();
      for (int i = from; i < Math.min(PATIENTS, from + batch); i++) {
        String id = String.format(Locale.ROOT, "pt-%06d", i);
        patients.add(NewResource.builder(BuiltInTypes.PATIENT, id).parent("ds-rel").set("external_uid", "u" + i)
            .set("sex", i % 2 == 0 ? "F" : "M").set("birth_year", 1930L + i % 90).build());
        links.add(new Link(BuiltInTypes.MEMBER_OF, id, family(i % FAMILIES)));
      }
      vx.create(patients);
      vx.relations().attach(links);
    }
  }

  /** The members of families {@code from} to {@code to} (exclusive) through VxData, family by family. */
  private static List<String> viaVxData(VxData vx, int from, int to) {
    List<String> out = new ArrayList<>();
    for (int f = from; f < to; f++) {
      out.addAll(PathTimer.ids(vx.query(QueryRequest.of(BuiltInTypes.PATIENT)
          .filter(Filter.relatedTo(BuiltInTypes.MEMBER_OF, family(f))).sortBy("identifier", SortOrder.ASC)
          .limit(1000).build())));
    }
    return out;
  }

  /** The members of families {@code from} to {@code to} (exclusive) through the hand-written join, reading every column. */
  private static List<String> viaSql(Connection c, String sql, int from, int to) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int f = from; f < to; f++) {
        ps.setString(1, BuiltInTypes.MEMBER_OF);
        ps.setString(2, family(f));
        try (ResultSet rs = ps.executeQuery()) {
          ResultSetMetaData meta = rs.getMetaData();
          while (rs.next()) {
            for (int col = 1; col <= meta.getColumnCount(); col++) {
              rs.getObject(col);
            }
            out.add(rs.getString("identifier"));
          }
        }
      }
    }
    return out;
  }
}
