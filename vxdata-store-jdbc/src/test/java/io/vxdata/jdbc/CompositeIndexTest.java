package io.vxdata.jdbc;

import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.patient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.NewResource;
import io.vxdata.ResourceUpdate;
import io.vxdata.VxData;
import io.vxdata.schema.PayloadType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A composite index declared with {@code "x-vxdata-index": ["study_date"]} on {@code modality}
 * (docs/behaviour.md §2.2): built on both tables of the type when it is registered, and chosen by
 * each database for a filter on both fields, in the current table and in history. Checked through
 * the plans, not timings.
 */
class CompositeIndexTest {

  enum Backend {
    H2 {
      @Override
      KeyIndexTest.Database fresh() {
        String url = VxDataStore.h2Memory("composite-" + UUID.randomUUID());
        return new KeyIndexTest.Database(StoreOptions.of(url),
            url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
      }
    },
    POSTGRES {
      @Override
      KeyIndexTest.Database fresh() {
        TestPostgres.Database db = TestPostgres.freshDatabase();
        return new KeyIndexTest.Database(db.storeOptions(), db.jdbcUrl());
      }
    };

    abstract KeyIndexTest.Database fresh();
  }

  private static final String FILTER = "\"modality\" = 'MR' AND \"study_date\" BETWEEN DATE '2015-01-01'"
      + " AND DATE '2015-12-31'";

  @ParameterizedTest
  @EnumSource(Backend.class)
  void compositeIndexIsBuiltOnBothTablesAndChosenForAFilterOnItsFields(Backend backend) throws Exception {
    KeyIndexTest.Database db = backend.fresh();
    try (VxData store = db.open(); Connection c = db.connect()) {
      ObjectMapper json = new ObjectMapper();
      ObjectNode schema = (ObjectNode) json.readTree(store.payloadTypes().get("study").schema());
      ((ObjectNode) schema.path("properties").path("modality")).putArray("x-vxdata-index").add("study_date");
      store.registerType(PayloadType.fromJsonSchema("study", schema.toString()));

      List<NewResource> rows = new ArrayList<>(List.of(datasource("ds-1"), patient("p-1", "ds-1")));
      String[] modalities = {"MR", "CT", "US", "XR"};
      for (int i = 0; i < 400; i++) {
        rows.add(NewResource.builder("study", "s-" + i).parent("p-1").set("external_uid", "u-" + i)
            .set("modality", modalities[i % modalities.length])
            .set("study_date", LocalDate.of(2000 + i % 25, 1 + i % 12, 1)).build());
      }
      store.create(rows);
      for (int round = 0; round < 2; round++) {
        List<String> some = new ArrayList<>();
        for (int i = 0; i < 400; i += 2) {
          some.add("s-" + i);
        }
        Map<String, ResourceUpdate> changes = new TreeMap<>();
        for (String id : some) {
          changes.put(id, ResourceUpdate.builder().set("description", "round " + round).build());
        }
        store.update(changes);
      }

      String current = index(c, "vxc_study");
      String history = index(c, "vxh_study");
      assertThat(current).as("composite index of vxc_study").isNotNull();
      assertThat(history).as("composite index of vxh_study").isNotNull();
      assertThat(plan(c, backend, "SELECT identifier FROM vxc_study WHERE NOT is_deleted AND " + FILTER))
          .containsIgnoringCase(current);
      assertThat(plan(c, backend, "SELECT identifier FROM vxh_study WHERE NOT is_deleted AND " + FILTER
          + " AND updated_at <= TIMESTAMP WITH TIME ZONE '2100-01-01 00:00:00+00'"
          + " AND _sys_to > TIMESTAMP WITH TIME ZONE '1970-01-02 00:00:00+00'")).containsIgnoringCase(history);
    }
  }

  /** The index of {@code table} on exactly (modality, study_date, identifier), or null. */
  private static String index(Connection c, String table) throws SQLException {
    Map<String, TreeMap<Integer, String>> columns = new TreeMap<>();
    try (ResultSet rs = c.getMetaData().getIndexInfo(c.getCatalog(), c.getSchema(), table, false, false)) {
      while (rs.next()) {
        if (rs.getString("INDEX_NAME") != null && rs.getString("COLUMN_NAME") != null) {
          columns.computeIfAbsent(rs.getString("INDEX_NAME"), k -> new TreeMap<>())
              .put(rs.getInt("ORDINAL_POSITION"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
      }
    }
    return columns.entrySet().stream()
        .filter(e -> List.copyOf(e.getValue().values()).equals(List.of("modality", "study_date", "identifier")))
        .map(Map.Entry::getKey).findFirst().orElse(null);
  }

  /**
   * The plan of {@code sql}, after fresh statistics. PostgreSQL is told not to scan sequentially: on
   * a few hundred rows a scan is cheapest, and the question is which index serves the filter.
   */
  private static String plan(Connection c, Backend backend, String sql) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (Statement s = c.createStatement()) {
      if (backend == Backend.POSTGRES) {
        s.execute("ANALYZE");
        s.execute("SET enable_seqscan = off");
        s.execute("SET enable_bitmapscan = off");
      } else {
        s.execute("ANALYZE");
      }
      try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
    }
    return plan.toString();
  }
}
