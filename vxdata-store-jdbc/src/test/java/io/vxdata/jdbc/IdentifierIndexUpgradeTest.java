package io.vxdata.jdbc;

import static io.vxdata.testkit.Fixtures.artefact;
import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.identifiers;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.HistoryEntry;
import io.vxdata.ReadOptions;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
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

/**
 * A store written before the identifier index (migration V9) opens with today's code: the migration fills
 * the index from every type's current and history tables, so history, reads of many identifiers, the
 * climb to the ancestors and the checks of a create find every life, including one under another type.
 *
 * <p>The old store is made by writing with today's code and then taking away what V9 and V10 add (the
 * table, {@code vx_meta.retypes} and their rows in Flyway's history): the type tables are the same before
 * and after them.
 */
class IdentifierIndexUpgradeTest {

  @TempDir
  Path directory;

  private interface Connector {
    Connection connect() throws SQLException;
  }

  @Test
  void anH2FileStoreFromBeforeTheIndexUpgrades() throws SQLException {
    String url = VxDataStore.h2File(directory);
    upgrade(StoreOptions.of(url), () -> DriverManager.getConnection(url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"));
  }

  @Test
  void aPostgresStoreFromBeforeTheIndexUpgrades() throws SQLException {
    TestPostgres.Database db = TestPostgres.emptyDatabase();
    upgrade(db.storeOptions(), db::connect);
  }

  private void upgrade(StoreOptions options, Connector connector) throws SQLException {
    Instant asArtefact;
    Instant asDatasource;
    try (VxData old = VxDataStore.open(options)) {
      old.create(List.of(datasource("ds-1"), patient("pt-1", "ds-1"), study("st-1", "pt-1", "u-1")));
      old.update(Map.of("st-1", change("modality", "MR")));
      asArtefact = old.create(List.of(artefact("x-1", "ds-1"))).committedAt();
      old.delete(List.of("x-1"));
      asDatasource = old.create(List.of(datasource("x-1"))).committedAt();
    }
    try (Connection c = connector.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE vx_identifier");
      s.execute("ALTER TABLE vx_meta DROP COLUMN retypes");
      assertThat(s.executeUpdate("DELETE FROM \"vx_schema_history\" WHERE \"version\" IN ('9', '10')")).isEqualTo(2);
    }

    try (VxData vx = VxDataStore.open(options)) {
      // both lives of x-1, the older under another type, in its history
      List<HistoryEntry> h = vx.history("x-1").versions();
      assertThat(h).extracting(HistoryEntry::version).containsExactly(3L, 2L, 1L);
      assertThat(h).extracting(e -> e.resource().payloadType())
          .containsExactly(BuiltInTypes.DATASOURCE, BuiltInTypes.ARTEFACT, BuiltInTypes.ARTEFACT);
      assertThat(vx.history("st-1").versions()).extracting(HistoryEntry::version).containsExactly(2L, 1L);
      // reads of many identifiers of several types, now and at the first life
      assertThat(identifiers(vx.read(List.of("st-1", "x-1", "pt-1", "ds-1")).value()))
          .containsExactly("st-1", "x-1", "pt-1", "ds-1");
      assertThat(vx.read(List.of("x-1", "st-1"), ReadOptions.asOf(asArtefact)).value().get(0).payloadType())
          .isEqualTo(BuiltInTypes.ARTEFACT);
      assertThat(vx.read(List.of("x-1"), ReadOptions.asOf(asDatasource)).value().get(0).payloadType())
          .isEqualTo(BuiltInTypes.DATASOURCE);
      assertThat(vx.parents("st-1").value()).containsExactly("pt-1", "ds-1");
      // a create still finds what holds an identifier, in whichever type
      assertThatThrownBy(() -> vx.create(List.of(artefact("st-1", "ds-1"))))
          .isInstanceOf(ValidationException.class).hasMessageContaining("already an active study");
      // and writes after the upgrade keep the index: a third life, back under the first type
      vx.delete(List.of("x-1"));
      vx.create(List.of(artefact("x-1", "ds-1")));
      assertThat(vx.history("x-1").versions()).extracting(e -> e.resource().payloadType())
          .containsExactly(BuiltInTypes.ARTEFACT, BuiltInTypes.DATASOURCE, BuiltInTypes.DATASOURCE,
              BuiltInTypes.ARTEFACT, BuiltInTypes.ARTEFACT);
    }
    // one row per identifier and type it has had, whatever the number of lives
    try (Connection c = connector.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT identifier, payload_type FROM vx_identifier ORDER BY identifier,"
            + " payload_type")) {
      List<String> pairs = new ArrayList<>();
      while (rs.next()) {
        pairs.add(rs.getString(1) + ":" + rs.getString(2));
      }
      assertThat(pairs).containsExactly("ds-1:datasource", "pt-1:patient", "st-1:study", "x-1:artefact",
          "x-1:datasource");
    }
  }
}
