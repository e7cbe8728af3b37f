package io.vxdata.jdbc.internal;

import static io.vxdata.testkit.Fixtures.datasource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.StoreException;
import io.vxdata.VxData;
import io.vxdata.jdbc.StoreOptions;
import io.vxdata.jdbc.TestPostgres;
import io.vxdata.jdbc.VxDataStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Opening a database that already has every migration of this build skips Flyway; one that lacks a
 * migration, or whose history differs from this build's scripts, goes through Flyway, which migrates or
 * refuses as it always did.
 */
class MigrationsTest {

  private record Database(StoreOptions options, String url) {
    Connection connect() throws SQLException {
      return DriverManager.getConnection(url);
    }
  }

  private static Database fresh(String database) {
    if (database.equals("h2")) {
      String url = VxDataStore.h2Memory("migrations-" + UUID.randomUUID());
      return new Database(StoreOptions.of(url), url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
    }
    TestPostgres.Database db = TestPostgres.emptyDatabase();
    return new Database(db.storeOptions(), db.jdbcUrl());
  }

  /** A database a store was opened on once, then changed by {@code statements} (each but DDL changing one row). */
  private static Database migratedThen(String database, String... statements) throws SQLException {
    Database db = fresh(database);
    VxDataStore.open(db.options()).close();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
        assertThat(s.getUpdateCount()).as(sql).isEqualTo(sql.startsWith("DROP") || sql.startsWith("ALTER") ? 0 : 1);
      }
    }
    return db;
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void anUpToDateDatabaseOpensWithoutFlyway(String database) {
    Database db = fresh(database);
    try (VxData first = VxDataStore.open(db.options())) {
      first.create(List.of(datasource("ds-1")));
    }
    int runs = Migrations.flywayRunsForTest();
    try (VxData again = VxDataStore.open(db.options())) {
      assertThat(Migrations.flywayRunsForTest()).isEqualTo(runs);
      assertThat(again.read(List.of("ds-1")).value()).hasSize(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void aDatabaseMissingAMigrationIsMigratedByFlyway(String database) throws SQLException {
    Database db = migratedThen(database, "ALTER TABLE vx_meta DROP COLUMN retypes",
        "DELETE FROM vx_schema_history WHERE version = '10'");
    int runs = Migrations.flywayRunsForTest();
    try (VxData again = VxDataStore.open(db.options())) {
      assertThat(Migrations.flywayRunsForTest()).isEqualTo(runs + 1);
    }
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      assertThat(s.executeQuery("SELECT retypes FROM vx_meta").next()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void aHistoryWhoseChecksumDiffersFromTheScriptIsRefusedByFlyway(String database) throws SQLException {
    Database db = migratedThen(database, "UPDATE vx_schema_history SET checksum = checksum + 1 WHERE version = '1'");
    assertThatThrownBy(() -> VxDataStore.open(db.options()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("checksum mismatch");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void aFailedMigrationInTheHistoryIsRefusedByFlyway(String database) throws SQLException {
    Database db = migratedThen(database, "UPDATE vx_schema_history SET success = FALSE WHERE version = '8'");
    int runs = Migrations.flywayRunsForTest();
    assertThatThrownBy(() -> VxDataStore.open(db.options())).isInstanceOf(StoreException.class);
    assertThat(Migrations.flywayRunsForTest()).isEqualTo(runs + 1);
  }
}
