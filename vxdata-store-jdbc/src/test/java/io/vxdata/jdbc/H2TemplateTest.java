package io.vxdata.jdbc;

import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.jdbc.PostgresTemplateTest.collect;
import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.VxData;
import io.vxdata.query.QueryRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copies of the templates that {@link TestH2#openFreshFileStore} and
 * {@link TestH2#openFreshMemoryStore} open are what a store opened on an empty database creates, and
 * stay apart from each other.
 */
class H2TemplateTest {

  private interface Connector {
    Connection connect() throws SQLException;
  }

  @TempDir
  Path dir;

  @Test
  void aCopyOfTheTemplateIsWhatOpeningAnEmptyDirectoryCreates() throws SQLException {
    Path migrated = dir.resolve("migrated");
    VxDataStore.open(VxDataStore.h2File(migrated)).close();
    Path copy = dir.resolve("copy");
    TestH2.openFreshFileStore(copy).close();

    Path another = dir.resolve("another");
    TestH2.openFreshFileStore(another).close();
    sameShapeOwnSecrets(() -> TestH2.connect(migrated), () -> TestH2.connect(copy), () -> TestH2.connect(another));
  }

  @Test
  void anInMemoryCopyOfTheTemplateIsWhatOpeningAnEmptyDatabaseCreates() throws SQLException {
    String migrated = VxDataStore.h2Memory("migrated-" + UUID.randomUUID());
    VxDataStore.open(migrated).close();
    StoreOptions copy = TestH2.freshMemoryOptions();
    VxDataStore.open(copy).close();
    StoreOptions another = TestH2.freshMemoryOptions();
    sameShapeOwnSecrets(() -> TestH2.connect(migrated), () -> TestH2.connect(copy.jdbcUrl()),
        () -> TestH2.connect(another.jdbcUrl()));
  }

  @Test
  void writesToOneInMemoryCopyAreNotSeenByTheNext() {
    try (VxData store = TestH2.openFreshMemoryStore()) {
      store.create(List.of(datasource("ds-1")));
      assertThat(store.count(QueryRequest.of("datasource").build()).value()).isEqualTo(1);
    }
    try (VxData next = TestH2.openFreshMemoryStore()) {
      assertThat(next.count(QueryRequest.of("datasource").build()).value()).isZero();
      assertThat(next.lastCommitTime()).isEqualTo(Instant.EPOCH);
      assertThat(next.payloadTypes()).containsKeys("datasource", "patient", "study", "artefact");
    }
  }

  /** Two copies have the migrated database's shape, and each a cursor secret of its own. */
  private static void sameShapeOwnSecrets(Connector migrated, Connector copy, Connector another) throws SQLException {
    List<String> expected = shape(migrated);
    assertThat(expected).as("the shape of a migrated database").anyMatch(line -> line.contains("vxc_patient"));
    assertThat(shape(copy)).isEqualTo(expected);
    assertThat(shape(another)).isEqualTo(expected);
    assertThat(secret(copy)).as("each copy signs cursors with a secret of its own").isNotEqualTo(secret(migrated))
        .hasSize(64);
    assertThat(secret(another)).isNotEqualTo(secret(copy));
  }

  @Test
  void openingAStoreOnACopyChangesNothingAndSeesTheBuiltInTypes() throws SQLException {
    Path copy = dir.resolve("copy");
    TestH2.freshFileOptions(copy);
    List<String> before = shape(() -> TestH2.connect(copy));

    try (VxData store = TestH2.openFreshFileStore(copy)) {
      assertThat(store.payloadTypes()).containsKeys("datasource", "patient", "study", "artefact");
      assertThat(store.lastCommitTime()).isEqualTo(Instant.EPOCH);
    }

    assertThat(shape(() -> TestH2.connect(copy))).isEqualTo(before);
  }

  @Test
  void writesToOneCopyAreNotSeenByTheNextAndAReopenKeepsThem() {
    Path first = dir.resolve("first");
    try (VxData store = TestH2.openFreshFileStore(first)) {
      store.create(List.of(datasource("ds-1")));
    }
    try (VxData again = TestH2.openFreshFileStore(first)) {
      assertThat(again.count(QueryRequest.of("datasource").build()).value()).as("the same directory again").isEqualTo(1);
    }
    try (VxData next = TestH2.openFreshFileStore(dir.resolve("next"))) {
      assertThat(next.count(QueryRequest.of("datasource").build()).value()).isZero();
      assertThat(next.lastCommitTime()).isEqualTo(Instant.EPOCH);
    }
  }

  /** Tables, columns, constraints, indexes and the catalog rows of a database. */
  private static List<String> shape(Connector database) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection c = database.connect(); Statement s = c.createStatement()) {
      collect(s, lines, "SELECT table_name, column_name, data_type, is_nullable, column_default, ordinal_position"
          + " FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 6");
      collect(s, lines, "SELECT table_name, constraint_name, constraint_type FROM information_schema.table_constraints"
          + " WHERE table_schema = 'public' ORDER BY 1, 2");
      // The names H2 makes up for the indexes of keys and constraints differ in a copy made from a script;
      // the store never names those, only its own.
      collect(s, lines, "SELECT table_name, CASE WHEN index_name LIKE 'PRIMARY_KEY_%' OR index_name LIKE"
          + " 'CONSTRAINT_%' THEN '(named by H2)' ELSE index_name END n, index_type_name FROM information_schema.indexes"
          + " WHERE table_schema = 'public' ORDER BY 1, 2, 3");
      collect(s, lines, "SELECT name, schema_json FROM vx_type ORDER BY 1");
      collect(s, lines, "SELECT version, script, checksum, success FROM vx_schema_history"
          + " ORDER BY installed_rank");
      collect(s, lines, "SELECT id, last_tx, types_version, retypes FROM vx_meta");
    }
    return lines;
  }

  private static String secret(Connector database) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection c = database.connect(); Statement s = c.createStatement()) {
      collect(s, lines, "SELECT cursor_secret FROM vx_meta");
    }
    return lines.get(0);
  }
}
