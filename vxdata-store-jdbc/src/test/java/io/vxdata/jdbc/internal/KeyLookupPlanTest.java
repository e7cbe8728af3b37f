package io.vxdata.jdbc.internal;

import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vxdata.NewResource;
import io.vxdata.VxData;
import io.vxdata.jdbc.TestPostgres;
import io.vxdata.schema.BuiltInTypes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL a lookup by a set of keys seeks an index for its keys even while the table has no
 * statistics, as a table growing under an ingest has none until autovacuum analyzes it
 * ({@link Dialect#keyedRows}). Planned as a write plans it, with 1,000 keys. Without statistics,
 * {@code external_uid = ANY(?)} looked like half the table, and the key check of a create walked the
 * primary key of every study.
 */
class KeyLookupPlanTest {

  private static final int STUDIES = 5_000;

  @Test
  void keyLookupsSeekAnIndexOnATableWithoutStatistics() throws SQLException {
    TestPostgres.Database db = TestPostgres.freshDatabase();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
        rs.next();
        assumeTrue(rs.getBoolean(1), "SKIPPED: clearing a table's statistics needs a superuser, and the test"
            + " PostgreSQL's user is not one (VXDATA_TEST_PG_URL)");
      }
      // So that nothing analyzes the table while the test looks at it.
      s.execute("ALTER TABLE vxc_study SET (autovacuum_enabled = false)");
    }
    try (VxData store = db.open()) {
      List<NewResource> rows = new ArrayList<>(List.of(datasource("ds-1"), patient("pt-1", "ds-1")));
      for (int i = 0; i < STUDIES; i++) {
        rows.add(study("st-" + i, "pt-1", "uid-" + i));
      }
      store.create(rows);
    }
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM pg_statistic WHERE starelid = 'vxc_study'::regclass");
      s.execute("UPDATE pg_class SET reltuples = -1 WHERE oid = 'vxc_study'::regclass");
    }
    List<String> uids = new ArrayList<>();
    List<String> patients = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      uids.add("uid-" + (i * 3));
      patients.add("pt-" + i);
    }
    String keyCheck;
    String children;
    try (Handle h = Jdbi.create(db::connect).open()) {
      h.execute(Dialect.POSTGRESQL.connectionInitSql());
      h.begin();
      Dialect.POSTGRESQL.beginWrite(h);
      keyCheck = plan(h, "SELECT identifier FROM " + Dialect.POSTGRESQL.keyedRows("vxc_study",
          TypeTable.quote(BuiltInTypes.EXTERNAL_UID)) + " AND NOT is_deleted ORDER BY identifier", uids);
      children = plan(h, "SELECT identifier FROM " + Dialect.POSTGRESQL.keyedRows("vxc_study", "parent_identifier")
          + " AND NOT is_deleted", patients);
      h.rollback();
    }
    assertThat(keyCheck).contains("Index Cond: ((external_uid)::text = ").doesNotContain("Seq Scan on vxc_study")
        .doesNotContain("vxc_study_pkey");
    assertThat(children).contains("Index Cond: ((parent_identifier)::text = ").doesNotContain("Seq Scan on vxc_study");
  }

  private static String plan(Handle h, String sql, List<String> keys) {
    return String.join("\n", h.createQuery("EXPLAIN " + sql).bind(0, Sql.keys(keys)).mapTo(String.class).list());
  }
}
