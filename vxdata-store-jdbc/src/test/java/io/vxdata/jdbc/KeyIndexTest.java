package io.vxdata.jdbc;

import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vxdata.AccessLevel;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.ReadOptions;
import io.vxdata.ResourceUpdate;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.access.Grant;
import io.vxdata.access.Principal;
import io.vxdata.access.Role;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The key of docs/behaviour.md §12.3 in the database itself, below the store's own checks, on H2 and PostgreSQL: the
 * unique index over active rows, what a violation of it becomes, and how a store written before
 * keys were enforced gets the index.
 */
class KeyIndexTest {

  /** The databases under test; each opens a store on a fresh database and connects to it directly. */
  enum Backend {
    H2 {
      @Override
      Database fresh() {
        String url = VxDataStore.h2Memory("keys-" + UUID.randomUUID());
        return new Database(StoreOptions.of(url),
            url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
      }
    },
    POSTGRES {
      @Override
      Database fresh() {
        TestPostgres.Database db = TestPostgres.freshDatabase();
        return new Database(db.storeOptions(), db.jdbcUrl());
      }
    };

    abstract Database fresh();
  }

  record Database(StoreOptions options, String directUrl) {

    VxData open() {
      return VxDataStore.open(options);
    }

    Connection connect() throws SQLException {
      return options.user() == null ? DriverManager.getConnection(directUrl)
          : DriverManager.getConnection(directUrl, options.user(), options.password());
    }
  }

  private static NewResource patient(String identifier, String datasource, String externalUid) {
    return NewResource.builder("patient", identifier).parent(datasource).set("external_uid", externalUid).build();
  }

  /** Writes a patient row the way no store would: straight into the current table. */
  private static void insertRow(Connection c, String identifier, String parent, String externalUid, boolean deleted,
      Boolean marker) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO vxc_patient (identifier, parent_identifier,"
        + " access_level, derived_from, is_deleted, version, created_at, updated_at, \"datasource_id\","
        + " \"external_uid\", _active) VALUES (?, ?, 1, ?, ?, 1, ?, ?, ?, ?, ?)")) {
      OffsetDateTime t = OffsetDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
      st.setString(1, identifier);
      st.setString(2, parent);
      st.setArray(3, c.createArrayOf("varchar", new Object[0]));
      st.setBoolean(4, deleted);
      st.setObject(5, t);
      st.setObject(6, t);
      st.setString(7, parent);
      st.setString(8, externalUid);
      st.setObject(9, marker, java.sql.Types.BOOLEAN);
      st.executeUpdate();
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void databaseRefusesASecondActiveHolderOfAKeyButNotATombstone(Backend backend) throws SQLException {
    Database db = backend.fresh();
    try (VxData store = db.open(); Connection c = db.connect()) {
      store.create(List.of(datasource("ds-1"), patient("p-1", "ds-1", "MRN-1")));

      SQLException duplicate = catchThrowableOfType(SQLException.class,
          () -> insertRow(c, "p-2", "ds-1", "MRN-1", false, true));

      assertThat((Throwable) duplicate).as("a second active holder").isNotNull();
      assertThat(duplicate.getSQLState()).isEqualTo("23505");
      assertThat(duplicate.getMessage().toLowerCase()).contains("vxc_patient_key");
      insertRow(c, "p-3", "ds-1", "MRN-1", true, null);
      insertRow(c, "p-4", "ds-2", "MRN-1", false, true);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void uniqueViolationFromTheDatabaseIsAValidationErrorNamingTheField(Backend backend) throws SQLException {
    Database db = backend.fresh();
    try (VxData store = db.open(); Connection c = db.connect()) {
      store.create(List.of(datasource("ds-1")));
      // A tombstone to the store, but marked active: only the index sees the key taken.
      insertRow(c, "p-odd", "ds-1", "MRN-1", true, true);
      var before = store.lastCommitTime();

      assertThatThrownBy(() -> store.create(List.of(patient("p-1", "ds-1", "MRN-1"))))
          .isInstanceOf(ValidationException.class)
          .hasMessageContainingAll("external_uid", "concurrent");

      assertThat(store.lastCommitTime()).isEqualTo(before);
      assertThat(store.read(List.of("p-1"), ReadOptions.latest()).value()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void storeWrittenBeforeKeysGetsTheIndexOnceItsDuplicatesAreResolved(Backend backend) throws SQLException {
    Database db = backend.fresh();
    try (VxData store = db.open()) {
      store.create(List.of(datasource("ds-1"), patient("p-1", "ds-1", "MRN-1"), patient("p-2", "ds-1", "MRN-2")));
    }
    // Make it a store of the earlier version, holding a key twice as that version allowed.
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("DROP INDEX vxc_patient_key");
      s.execute("ALTER TABLE vxc_patient DROP COLUMN _active");
      s.execute("UPDATE vxc_patient SET \"external_uid\" = 'MRN-1' WHERE identifier = 'p-2'");
    }

    try (VxData store = db.open()) {
      assertThatThrownBy(() -> store.resolvePatient("ds-1", "MRN-1"))
          .isInstanceOf(ValidationException.class).hasMessageContainingAll("p-1", "p-2", "external_uid");
      assertThatThrownBy(() -> store.create(List.of(patient("p-3", "ds-1", "MRN-1"))))
          .isInstanceOf(ValidationException.class).hasMessageContainingAll("p-3", "external_uid", "p-1");
      // a principal that cannot see the holders is refused without their names (docs/behaviour.md §13.3)
      store.update(Map.of("p-1", ResourceUpdate.builder().accessLevel(AccessLevel.RESTRICTED).build(),
          "p-2", ResourceUpdate.builder().accessLevel(AccessLevel.RESTRICTED).build()));
      store.access().createPrincipal(Principal.of("low", "Low", AccessLevel.INTERNAL));
      store.access().grant(new Grant("ds-1", "low", Role.EDITOR));
      VxData low = store.as("low");
      assertThatThrownBy(() -> low.registerPatient("ds-1", "MRN-1")).isInstanceOf(ValidationException.class)
          .hasMessageContaining("taken").hasMessageNotContaining("p-1").hasMessageNotContaining("p-2");
      assertThatThrownBy(() -> low.resolvePatient("ds-1", "MRN-1")).isInstanceOf(NotFoundException.class);
      store.update(Map.of("p-2", change("external_uid", "MRN-2")));
    }

    try (VxData store = db.open(); Connection c = db.connect()) {
      assertThat(store.resolvePatient("ds-1", "MRN-1")).isEqualTo("p-1");
      SQLException duplicate = catchThrowableOfType(SQLException.class,
          () -> insertRow(c, "p-9", "ds-1", "MRN-2", false, true));
      assertThat((Throwable) duplicate).as("the index built on reopening").isNotNull();
      assertThat(duplicate.getSQLState()).isEqualTo("23505");
    }
  }
}
