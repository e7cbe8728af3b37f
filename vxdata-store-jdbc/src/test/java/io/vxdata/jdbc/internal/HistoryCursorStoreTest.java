package io.vxdata.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.HistoryPage;
import io.vxdata.HistoryRequest;
import io.vxdata.VxData;
import io.vxdata.jdbc.TestPostgres;
import io.vxdata.relation.Link;
import io.vxdata.schema.BuiltInTypes;
import io.vxdata.testkit.Fixtures;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the conformance kit cannot make of a history's pages (docs/behaviour.md §14.1): a cursor issued
 * before link changes were in histories holds only a version number, and still continues after that
 * version, with the link changes older than it.
 */
class HistoryCursorStoreTest {

  @Test
  void aCursorOfAVersionNumberAloneStillContinuesAfterIt() throws Exception {
    TestPostgres.Database database = TestPostgres.freshDatabase();
    try (VxData vx = database.open()) {
      vx.create(List.of(Fixtures.datasource("ds-1"), Fixtures.patient("pt-1", "ds-1"),
          io.vxdata.NewResource.builder(BuiltInTypes.FAMILY, "fam-1").parent("ds-1").set("name", "F").build()));
      vx.relations().attach(List.of(new Link(BuiltInTypes.MEMBER_OF, "pt-1", "fam-1")));
      vx.update(Map.of("pt-1", Fixtures.change("sex", "F")));
      HistoryPage whole = vx.history("pt-1", HistoryRequest.latest());
      assertThat(whole.versions()).hasSize(2);
      assertThat(whole.links()).hasSize(1);

      String secret;
      try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
          ResultSet rs = c.createStatement().executeQuery("SELECT cursor_secret FROM vx_meta WHERE id = 1")) {
        rs.next();
        secret = rs.getString(1);
      }
      String old = new Cursors(secret).encode(History.fingerprint("pt-1"), whole.asOf(), List.of(2L));
      HistoryPage rest = vx.history("pt-1", HistoryRequest.latest().withCursor(old));
      assertThat(rest.links()).isEqualTo(whole.links());
      assertThat(rest.versions()).isEqualTo(whole.versions().subList(1, 2));
      assertThat(rest.nextCursor()).isNull();
    }
  }
}
