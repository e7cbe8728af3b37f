package io.vxdata.jdbc;

import static io.vxdata.testkit.Fixtures.datasource;
import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.VxData;
import io.vxdata.query.QueryRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The copies of the template database that {@link TestPostgres#freshDatabase()} hands out are what a
 * store opened on an empty database creates, and stay apart from each other.
 */
class PostgresTemplateTest {

  @Test
  void aCopyOfTheTemplateIsWhatOpeningAnEmptyDatabaseCreates() throws SQLException {
    TestPostgres.Database migrated = TestPostgres.emptyDatabase();
    migrated.open().close();
    TestPostgres.Database copy = TestPostgres.freshDatabase();

    List<String> expected = shape(migrated);
    assertThat(expected).as("the shape of a migrated database").anyMatch(line -> line.contains("vxc_patient_key"));
    assertThat(shape(copy)).isEqualTo(expected);
    assertThat(secret(copy)).as("each copy signs cursors with a secret of its own").isNotEqualTo(secret(migrated))
        .hasSize(64);
  }

  @Test
  void openingAStoreOnACopyChangesNothingAndSeesTheBuiltInTypes() throws SQLException {
    TestPostgres.Database copy = TestPostgres.freshDatabase();
    List<String> before = shape(copy);

    try (VxData store = copy.open()) {
      assertThat(store.payloadTypes()).containsKeys("datasource", "patient", "study", "artefact");
      assertThat(store.lastCommitTime()).isEqualTo(Instant.EPOCH);
    }

    assertThat(shape(copy)).isEqualTo(before);
  }

  @Test
  void writesToOneCopyAreNotSeenByTheNext() {
    try (VxData first = TestPostgres.openFreshStore()) {
      first.create(List.of(datasource("ds-1")));
      assertThat(first.count(QueryRequest.of("datasource").build()).value()).isEqualTo(1);
    }
    try (VxData next = TestPostgres.openFreshStore()) {
      assertThat(next.count(QueryRequest.of("datasource").build()).value()).isZero();
      assertThat(next.lastCommitTime()).isEqualTo(Instant.EPOCH);
    }
  }

  @Test
  void databasesNoSessionUsesAreDroppedAndOneInUseIsKept() throws SQLException {
    TestPostgres.Database held = TestPostgres.freshDatabase();
    try (VxData store = held.open()) {
      store.create(List.of(datasource("ds-held")));
      List<String> later = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        later.add(TestPostgres.freshDatabase().name());
      }
      List<String> present = new ArrayList<>();
      try (Connection c = held.connect(); Statement s = c.createStatement()) {
        collect(s, present, "SELECT datname FROM pg_database");
      }
      assertThat(present).as("the database a store is open on").contains(held.name());
      int kept = TestPostgres.KEPT_DATABASES;
      assertThat(present).as("the newest copies").containsAll(later.subList(later.size() - kept, later.size()));
      assertThat(present).as("copies no session used, made before the newest %d", kept)
          .doesNotContainAnyElementsOf(later.subList(0, later.size() - kept));
      assertThat(store.read(List.of("ds-held")).value()).hasSize(1);
    }
  }

  /** Tables, columns, constraints, indexes and the catalog rows of a database's store. */
  private static List<String> shape(TestPostgres.Database db) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      String schema = "'public'";
      collect(s, lines, "SELECT table_name, column_name, data_type, is_nullable, column_default, ordinal_position"
          + " FROM information_schema.columns WHERE table_schema = " + schema + " ORDER BY 1, 6");
      collect(s, lines, "SELECT t.relname, k.conname, k.contype, pg_get_constraintdef(k.oid) FROM pg_constraint k"
          + " JOIN pg_class t ON t.oid = k.conrelid WHERE k.connamespace = " + schema + "::regnamespace ORDER BY 1, 2");
      collect(s, lines, "SELECT indexname, replace(indexdef, " + schema + " || '.', '') FROM pg_indexes"
          + " WHERE schemaname = " + schema + " ORDER BY 1");
      collect(s, lines, "SELECT name, schema_json FROM vx_type ORDER BY name");
      collect(s, lines, "SELECT version, script, checksum, success FROM vx_schema_history ORDER BY installed_rank");
      collect(s, lines, "SELECT id, last_tx, types_version, retypes FROM vx_meta");
    }
    return lines;
  }

  private static String secret(TestPostgres.Database db) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      collect(s, lines, "SELECT cursor_secret FROM vx_meta");
    }
    return lines.get(0);
  }

  /** Adds each row {@code sql} answers to {@code lines}, its columns joined by " | " (also for H2's template test). */
  static void collect(Statement s, List<String> lines, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder line = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          line.append(i > 1 ? " | " : "").append(rs.getString(i));
        }
        lines.add(line.toString());
      }
    }
  }

  private static Connection connect(TestPostgres.Database db) throws SQLException {
    return db.connect();
  }
}
