package io.vxdata.jdbc.internal;

import static io.vxdata.jdbc.internal.StatementLog.run;
import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.patient;
import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.Answer;
import io.vxdata.Cascade;
import io.vxdata.NewResource;
import io.vxdata.VxData;
import io.vxdata.jdbc.StoreOptions;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.jdbc.internal.StatementLog.Run;
import io.vxdata.query.Filter;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.SortOrder;
import io.vxdata.relation.Link;
import io.vxdata.schema.BuiltInTypes;
import io.vxdata.testkit.Fixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A query page and a count, in the present and in the past, are each one statement on a connection
 * outside any transaction (docs/behaviour.md, "How it runs"): no statement reads the last commit
 * time on its own, and no snapshot transaction is opened (which would show as that statement, and on
 * PostgreSQL as {@code SET TRANSACTION}). The answers themselves are checked by the conformance kit.
 */
class StatementCountTest {

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void pagesAndCountsNowAndInThePastAreOneStatementEach(String database) {
    StoreOptions options = StatementLog.freshDatabase(database);
    try (VxData store = VxDataStore.open(options); VxData other = VxDataStore.open(options)) {
      JdbcVxData vx = (JdbcVxData) store;
      List<NewResource> rows = new ArrayList<>(List.of(datasource("ds-1"),
          NewResource.builder(BuiltInTypes.FAMILY, "fam-1").parent("ds-1").set("name", "F").build()));
      List<Link> links = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        rows.add(patient("p-" + (100 + i), "ds-1"));
        if (i % 2 == 0) {
          links.add(new Link(BuiltInTypes.MEMBER_OF, "p-" + (100 + i), "fam-1"));
        }
      }
      vx.create(rows);
      Instant t0 = vx.relations().attach(links).committedAt();
      vx.update(Map.of("p-100", change("sex", "F"), "p-102", change("sex", "M")));
      vx.delete(List.of("p-104"), Cascade.RESTRICT);

      QueryRequest now = QueryRequest.of("patient").filter(Filter.eq("sex", "U"))
          .sortBy("identifier", SortOrder.ASC).limit(10).build();
      QueryRequest past = now.toBuilder().asOf(t0).build();
      QueryRequest related = QueryRequest.of("patient").filter(Filter.relatedTo(BuiltInTypes.MEMBER_OF, "fam-1"))
          .sortBy("identifier", SortOrder.ASC).limit(100).build();

      Run<QueryPage> page = run(vx, () -> vx.query(now));
      assertThat(page.statements()).hasSize(1);
      assertThat(page.answer().results()).hasSize(10);
      Run<QueryPage> pastPage = run(vx, () -> vx.query(past));
      assertThat(pastPage.statements()).hasSize(1);
      assertThat(pastPage.answer().asOf()).isEqualTo(t0);
      // p-100 and p-102 were still "U" then, p-104 not yet deleted.
      assertThat(Fixtures.identifiers(pastPage.answer().results())).startsWith("p-100", "p-101", "p-102", "p-103",
          "p-104");
      Run<QueryPage> nextPast = run(vx, () -> vx.query(past.toBuilder().cursor(pastPage.answer().nextCursor()).build()));
      assertThat(nextPast.statements()).hasSize(1);
      assertThat(nextPast.answer().asOf()).isEqualTo(t0);

      // An empty page still says when it was read: on H2, whose rows carry that time, a second statement does.
      Instant last = vx.count(now).asOf();
      Run<QueryPage> empty = run(vx, () -> vx.query(QueryRequest.of("patient").filter(Filter.eq("sex", "X")).build()));
      assertThat(empty.answer().results()).isEmpty();
      assertThat(empty.answer().asOf()).isEqualTo(last);
      assertThat(empty.statements()).hasSize(database.equals("h2") ? 2 : 1);

      Run<Answer<Long>> count = run(vx, () -> vx.count(now));
      assertThat(count.statements()).hasSize(1);
      assertThat(count.answer().value()).isEqualTo(27L);
      Run<Answer<Long>> pastCount = run(vx, () -> vx.count(past));
      assertThat(pastCount.statements()).hasSize(1);
      assertThat(pastCount.answer().value()).isEqualTo(30L);
      assertThat(pastCount.answer().asOf()).isEqualTo(t0);

      Run<QueryPage> members = run(vx, () -> vx.query(related));
      assertThat(members.statements()).hasSize(1);
      assertThat(members.answer().results()).hasSize(14); // p-104 was deleted, its link detached
      Run<QueryPage> pastMembers = run(vx, () -> vx.query(related.toBuilder().asOf(t0).build()));
      assertThat(pastMembers.statements()).hasSize(1);
      assertThat(pastMembers.answer().results()).hasSize(15);

      // The next page of a walk after another process's commit: the last commit is read first, then the
      // page at the walk's time; once this process has seen that commit, the page alone.
      Instant pinned = page.answer().asOf();
      other.update(Map.of("p-115", change("sex", "F")));
      QueryRequest continued = now.toBuilder().cursor(page.answer().nextCursor()).build();
      Run<QueryPage> next = run(vx, () -> vx.query(continued));
      assertThat(next.statements()).hasSize(2);
      assertThat(next.answer().asOf()).isEqualTo(pinned);
      assertThat(Fixtures.identifiers(next.answer().results())).contains("p-115");
      Run<QueryPage> again = run(vx, () -> vx.query(continued));
      assertThat(again.statements()).hasSize(1);
      assertThat(again.answer()).isEqualTo(next.answer());
    }
  }
}
