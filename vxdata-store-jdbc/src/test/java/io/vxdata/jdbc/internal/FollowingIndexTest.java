package io.vxdata.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.HistoryRequest;
import io.vxdata.VxData;
import io.vxdata.jdbc.TestPostgres;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.testkit.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What following the catalog reads is index-backed: the history statements (docs/behaviour.md §14.1)
 * seek the primary keys of both tables, and {@code updated_since} (§14.3) the current table's
 * {@code (updated_at, identifier)} index, on both databases.
 */
class FollowingIndexTest {

  private static VxData open(String database) {
    return database.equals("h2") ? VxDataStore.open(VxDataStore.h2Memory("plan-" + UUID.randomUUID()))
        : TestPostgres.openFreshStore();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void updatedSinceSeeksTheUpdatedIndex(String database) {
    try (VxData vx = open(database)) {
      vx.create(List.of(Fixtures.artefact("a-1", null), Fixtures.artefact("a-2", null)));
      String plan = ((JdbcVxData) vx).explainForTest("SELECT identifier FROM vxc_artefact WHERE NOT is_deleted"
          + " AND updated_at > TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00' ORDER BY updated_at, identifier LIMIT 10");
      System.out.println(database + " plan:\n" + plan);
      assertThat(plan.toLowerCase()).contains("vxc_artefact_updated");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aPageOfHistorySeeksThePrimaryKeys(String database) throws Exception {
    try (VxData vx = open(database)) {
      vx.create(List.of(Fixtures.artefact("a-1", null), Fixtures.artefact("a-2", null)));
      for (int i = 0; i < 5; i++) {
        vx.update(Map.of("a-1", Fixtures.change("size_bytes", (long) i)));
      }
      assertThat(vx.history("a-1", HistoryRequest.latest().withLimit(2)).versions()).hasSize(2);
      JdbcVxData jdbc = (JdbcVxData) vx;
      String plan = jdbc.explainForTest("SELECT identifier, version FROM vxc_artefact WHERE identifier = 'a-1'"
          + " AND version < 5 UNION ALL (SELECT identifier, version FROM vxh_artefact WHERE identifier = 'a-1'"
          + " AND version < 5 ORDER BY version DESC LIMIT 3) ORDER BY version DESC LIMIT 3");
      System.out.println(database + " plan:\n" + plan);
      String lower = plan.toLowerCase();
      if (database.equals("h2")) {
        assertThat(lower).contains("primary_key").doesNotContain("tablescan");
      } else {
        assertThat(lower).contains("vxh_artefact_pkey").contains("vxc_artefact_pkey");
      }
    }
  }
}
