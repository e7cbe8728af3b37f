package io.vxdata.jdbc;

import static io.vxdata.testkit.Fixtures.artefact;
import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.identifiers;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.AccessLevel;
import io.vxdata.AsOf;
import io.vxdata.DatasourceStats;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.ReadOptions;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.VxData;
import io.vxdata.access.Grant;
import io.vxdata.access.Principal;
import io.vxdata.access.Role;
import io.vxdata.query.QueryRequest;
import io.vxdata.schema.BuiltInTypes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A store written before access control (only migration V1 applied, type tables without
 * {@code created_by}, {@code updated_by} and {@code _root}) opens with today's code: migrations V2 and V3
 * run, every version says {@code system} wrote it, the root column is filled from the tree, and the
 * rules of docs/behaviour.md §13 hold on it at once, for reads and writes, now and in the past.
 *
 * <p>The old store is made by writing with today's code and then taking away exactly what V2 and V3
 * add (their tables, the three columns and the root index, and their rows in Flyway's history), which
 * leaves the schema the code before access control created: its migration V1 is unchanged and its
 * type tables differ only by those columns.
 */
class AccessUpgradeTest {

  @TempDir
  Path directory;

  @Test
  void anH2FileStoreFromBeforeAccessControlUpgrades() throws SQLException {
    String url = VxDataStore.h2File(directory);
    // The store's own connections fold names to lower case; a plain one must too, to find its tables.
    upgrade(StoreOptions.of(url), () -> DriverManager.getConnection(url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"));
  }

  @Test
  void aPostgresStoreFromBeforeAccessControlUpgrades() throws SQLException {
    TestPostgres.Database db = TestPostgres.emptyDatabase();
    upgrade(db.storeOptions(), db::connect);
  }

  @ParameterizedTest
  @ValueSource(strings = {"created_by", "can_edit"})
  void aPayloadFieldNamedLikeAReservedNameStopsTheUpgradeWithItsName(String field) throws SQLException {
    TestPostgres.Database db = TestPostgres.emptyDatabase();
    Connector connector = db::connect;
    VxDataStore.open(db.storeOptions()).close();
    makePreAccess(connector);
    // What a type registered before access control with such a field left: a payload column.
    try (Connection c = connector.connect(); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE vxc_artefact ADD COLUMN \"" + field + "\" VARCHAR(100)");
    }
    assertThatThrownBy(() -> VxDataStore.open(db.storeOptions()))
        .hasMessageContainingAll("artefact", field, "reserves");
    // the failed migration is not recorded (PostgreSQL rolls it back whole), so the next open tries again
    try (Connection c = connector.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM \"vx_schema_history\" WHERE \"version\" = '3'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  private interface Connector {
    Connection connect() throws SQLException;
  }

  private static List<String> readIds(VxData vx, Instant asOf, String... ids) {
    ReadOptions options = asOf == null ? ReadOptions.latest() : ReadOptions.asOf(asOf);
    return identifiers(vx.read(List.of(ids), options.withoutChildren()).value());
  }

  private void upgrade(StoreOptions options, Connector connector) throws SQLException {
    Instant beforeMove;
    // What a pipeline wrote before access control: a tree, history, a move across datasources, a tombstone.
    try (VxData old = VxDataStore.open(options)) {
      old.create(List.of(datasource("ds-a"), datasource("ds-b")));
      old.create(List.of(patient("pt-1", "ds-a"), patient("pt-2", "ds-b"), patient("pt-3", "ds-a")));
      old.create(List.of(study("st-1", "pt-1", "u1"),
          NewResource.builder(BuiltInTypes.STUDY, "st-2").parent("pt-2").set("external_uid", "u2")
              .accessLevel(AccessLevel.RESTRICTED).build()));
      old.create(List.of(artefact("art-1", "st-1"), artefact("art-free", null)));
      old.update(Map.of("pt-1", change("sex", "F")));
      old.delete(List.of("pt-3"));
      beforeMove = old.lastCommitTime();
      old.update(Map.of("pt-1", ResourceUpdate.builder().parent("ds-b").build()));
    }
    makePreAccess(connector);

    try (VxData vx = VxDataStore.open(options)) {
      // everything is still there, written by 'system', now and in history
      assertThat(readIds(vx, null, "ds-a", "ds-b", "pt-1", "pt-2", "pt-3", "st-1", "st-2", "art-1", "art-free"))
          .containsExactly("ds-a", "ds-b", "pt-1", "pt-2", "st-1", "st-2", "art-1", "art-free");
      Resource pt1 = vx.read(List.of("pt-1")).value().get(0);
      assertThat(pt1.createdBy()).isEqualTo("system");
      assertThat(pt1.updatedBy()).isEqualTo("system");
      assertThat(pt1.parentIdentifier()).isEqualTo("ds-b");
      Resource then = vx.read(List.of("pt-1"), ReadOptions.asOf(beforeMove)).value().get(0);
      assertThat(then.parentIdentifier()).isEqualTo("ds-a");
      assertThat(then.updatedBy()).isEqualTo("system");

      vx.access().createPrincipal(Principal.of("viewer-a", "A", AccessLevel.RESTRICTED));
      vx.access().createPrincipal(Principal.of("viewer-b", "B", AccessLevel.INTERNAL));
      vx.access().createPrincipal(Principal.of("editor-b", "E", AccessLevel.INTERNAL));
      vx.access().grant(new Grant("ds-a", "viewer-a", Role.VIEWER));
      vx.access().grant(new Grant("ds-b", "viewer-b", Role.VIEWER));
      vx.access().grant(new Grant("ds-b", "editor-b", Role.EDITOR));
      VxData a = vx.as("viewer-a");
      VxData b = vx.as("viewer-b");
      String[] all = {"ds-a", "ds-b", "pt-1", "pt-2", "st-1", "st-2", "art-1", "art-free"};

      // the root column follows the tree as it is now: the moved subtree is under ds-b
      assertThat(readIds(a, null, all)).containsExactly("ds-a");
      assertThat(readIds(b, null, all)).containsExactly("ds-b", "pt-1", "pt-2", "st-1", "art-1");
      assertThat(b.count(QueryRequest.of(BuiltInTypes.STUDY).build()).value()).isEqualTo(1);
      assertThat(b.parents("art-1").value()).containsExactly("st-1", "pt-1", "ds-b");
      assertThatThrownBy(() -> a.parents("art-1")).isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> b.parents("art-free")).isInstanceOf(NotFoundException.class);
      List<DatasourceStats> stats = b.datasourceStats(AsOf.latest()).value();
      assertThat(stats).extracting(DatasourceStats::datasourceId).containsExactly("ds-b");
      assertThat(stats.get(0).patients()).isEqualTo(2);
      assertThat(stats.get(0).studies()).isEqualTo(1);
      assertThat(stats.get(0).artefacts()).isEqualTo(1);
      // history rows from before the upgrade take their identifier's root of today (docs/behaviour.md §13.2)
      assertThat(readIds(b, beforeMove, all)).containsExactly("ds-b", "pt-1", "pt-2", "st-1", "art-1");
      assertThat(readIds(a, beforeMove, all)).containsExactly("ds-a");

      // writes after the upgrade: checked, audited, and the root kept up to date on moves
      VxData editor = vx.as("editor-b");
      assertThat(editor.update(Map.of("st-1", change("modality", "MR"))).count()).isEqualTo(1);
      Resource st1 = vx.read(List.of("st-1")).value().get(0);
      assertThat(st1.createdBy()).isEqualTo("system");
      assertThat(st1.updatedBy()).isEqualTo("editor-b");
      assertThatThrownBy(() -> editor.update(Map.of("pt-3", change("sex", "M"))))
          .isInstanceOf(NotFoundException.class);
      vx.update(Map.of("pt-1", ResourceUpdate.builder().parent("ds-a").build()));
      assertThat(readIds(a, null, all)).containsExactly("ds-a", "pt-1", "st-1", "art-1");
      assertThat(readIds(b, null, all)).containsExactly("ds-b", "pt-2");
      // the tombstone got its root too: ds-a's owner may bring it back
      vx.access().grant(new Grant("ds-a", "viewer-a", Role.OWNER));
      assertThat(a.restore(List.of("pt-3")).count()).isEqualTo(1);
      assertThat(readIds(a, null, "pt-3")).containsExactly("pt-3");
    }
  }

  /**
   * Takes away what migrations V2 and V3 added, and the later V4 (releases), V5 (export jobs), V6
   * (relations), V7 (export job leases), V9 (the identifier index) and V10 (its count of re-typings),
   * leaving the store as the code before access control left it.
   */
  private static void makePreAccess(Connector connector) throws SQLException {
    try (Connection c = connector.connect(); Statement s = c.createStatement()) {
      List<String> types = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT name FROM vx_type ORDER BY name")) {
        while (rs.next()) {
          types.add(rs.getString(1));
        }
      }
      assertThat(types).contains(BuiltInTypes.DATASOURCE, BuiltInTypes.PATIENT, BuiltInTypes.STUDY,
          BuiltInTypes.ARTEFACT);
      for (String type : types) {
        s.execute("DROP INDEX IF EXISTS vxc_" + type + "_root");
        for (String table : List.of("vxc_" + type, "vxh_" + type)) {
          for (String column : List.of("created_by", "updated_by", "_root")) {
            s.execute("ALTER TABLE " + table + " DROP COLUMN " + column);
          }
        }
      }
      for (String table : List.of("vx_principal", "vx_grant", "vx_token", "vx_transaction",
          "vx_transaction_datasource", "vx_release", "vx_export_job", "vx_relation", "vx_link", "vx_identifier")) {
        s.execute("DROP TABLE " + table);
      }
      // V8's indexes are on vx_link, dropped above.
      s.execute("ALTER TABLE vx_meta DROP COLUMN retypes");
      int removed = s.executeUpdate(
          "DELETE FROM \"vx_schema_history\" WHERE \"version\" IN ('2', '3', '4', '5', '6', '7', '8', '9', '10')");
      assertThat(removed).isEqualTo(9);
      try (ResultSet rs = s.executeQuery("SELECT \"version\" FROM \"vx_schema_history\" WHERE \"version\" IS NOT NULL")) {
        List<String> versions = new ArrayList<>();
        while (rs.next()) {
          versions.add(rs.getString(1));
        }
        assertThat(versions).containsExactly("1");
      }
    }
  }
}
