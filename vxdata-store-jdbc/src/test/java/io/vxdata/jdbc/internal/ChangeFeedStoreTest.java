package io.vxdata.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.ChangeEntry;
import io.vxdata.ChangesPage;
import io.vxdata.ChangesRequest;
import io.vxdata.VxData;
import io.vxdata.jdbc.TestPostgres;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.testkit.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the conformance kit cannot see of the change feed (docs/behaviour.md §14.2): its statements
 * seek the {@code (updated_at, identifier)} indexes of both tables; a long-poll known to be waiting
 * wakes on a commit of its own process and of another one; tokens hold across a restart and between
 * processes.
 */
class ChangeFeedStoreTest {

  private static VxData open(String database) {
    return database.equals("h2") ? VxDataStore.open(VxDataStore.h2Memory("feed-" + UUID.randomUUID()))
        : TestPostgres.openFreshStore();
  }

  private static List<String> identifiers(ChangesPage page) {
    return page.changes().stream().map(ChangeEntry::identifier).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aPageSeeksTheUpdatedIndexesOfBothTables(String database) {
    try (VxData vx = open(database)) {
      vx.create(List.of(Fixtures.artefact("a-1", null), Fixtures.artefact("a-2", null)));
      vx.update(Map.of("a-1", Fixtures.change("role", "raw")));
      assertThat(identifiers(vx.changes(ChangesRequest.fromStart()))).containsExactly("a-1", "a-2", "a-1");
      JdbcVxData jdbc = (JdbcVxData) vx;
      String time = "TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00'";
      for (String table : List.of("vxc_artefact", "vxh_artefact")) {
        for (String position : List.of("r.updated_at = " + time + " AND r.identifier > 'a-1'",
            "r.updated_at > " + time)) {
          // A branch as Changes writes it: a keyset seek, and the predecessor's primary-key probe.
          String plan = jdbc.explainForTest("SELECT r.updated_at, r.identifier, (SELECT p.is_deleted FROM"
              + " vxh_artefact p WHERE p.identifier = r.identifier AND p.version = r.version - 1) FROM " + table
              + " r WHERE r.updated_at <= TIMESTAMP WITH TIME ZONE '2027-01-01 00:00:00+00' AND " + position
              + " ORDER BY r.updated_at, r.identifier LIMIT 101");
          System.out.println(database + " plan of " + table + ":\n" + plan);
          String lower = plan.toLowerCase();
          assertThat(lower).contains(table + "_updated");
          if (database.equals("h2")) {
            assertThat(lower).contains("primary_key");
          } else {
            assertThat(lower).contains("vxh_artefact_pkey");
          }
        }
      }
    }
  }

  /**
   * A page of the feed over some thousands of links, from a time and from a token inside a commit of
   * many link changes, as the system and as a principal (whose page probes both ends of each link):
   * the link branches seek the time indexes of {@code V8__link_times.sql}, never a scan of the table.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aPageOfLinkChangesSeeksTheLinkTimeIndexes(String database) throws Exception {
    TestPostgres.Database pg = database.equals("postgres") ? TestPostgres.freshDatabase() : null;
    try (VxData vx = pg != null ? pg.open() : open(database)) {
      vx.create(List.of(Fixtures.datasource("ds-1")));
      List<io.vxdata.NewResource> families = new java.util.ArrayList<>();
      for (int f = 0; f < 20; f++) {
        families.add(io.vxdata.NewResource.builder(io.vxdata.schema.BuiltInTypes.FAMILY, "fam-" + f).parent("ds-1")
            .set("name", "F" + f).build());
      }
      vx.create(families);
      List<java.time.Instant> attached = new java.util.ArrayList<>();
      List<io.vxdata.relation.Link> firstBatch = new java.util.ArrayList<>();
      for (int batch = 0; batch < 4; batch++) {
        List<io.vxdata.NewResource> patients = new java.util.ArrayList<>();
        List<io.vxdata.relation.Link> links = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
          String id = "pt-" + batch + "-" + i;
          patients.add(Fixtures.patient(id, "ds-1"));
          links.add(new io.vxdata.relation.Link(io.vxdata.schema.BuiltInTypes.MEMBER_OF, id, "fam-" + i % 20));
        }
        vx.create(patients);
        attached.add(vx.relations().attach(links).committedAt());
        if (batch == 0) {
          firstBatch.addAll(links);
        }
      }
      vx.relations().detach(firstBatch.subList(0, 500));
      if (pg != null) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
          c.createStatement().execute("ANALYZE");
        }
      }
      vx.access().createPrincipal(io.vxdata.access.Principal.of("alice", "Alice", io.vxdata.AccessLevel.RESTRICTED));
      vx.access().grant(new io.vxdata.access.Grant("ds-1", "alice", io.vxdata.access.Role.VIEWER));
      ChangesPage inside = vx.changes(ChangesRequest.after(attached.get(1).minusNanos(1000)).withLimit(10));
      assertThat(inside.changes()).allSatisfy(e -> assertThat(e.isLinkChange()).isTrue());
      for (VxData view : List.of(vx, vx.as("alice"))) {
        for (ChangesRequest request : List.of(ChangesRequest.after(attached.get(2)).withLimit(100),
            ChangesRequest.since(inside.next()).withLimit(100))) {
          String plan = ((JdbcVxData) view).explainChangesForTest(request);
          System.out.println(database + " plan of a page of links (" + (view == vx ? "system" : "alice") + ", "
              + request.since() + "):\n" + plan);
          String lower = plan.toLowerCase();
          assertThat(lower).contains("vx_link_attached").contains("vx_link_detached");
          if (pg != null) {
            assertThat(lower).doesNotContain("seq scan on vx_link");
          } else {
            assertThat(lower).doesNotContain("vx_link.tablescan").doesNotContain("vx_link_tablescan");
          }
          assertThat(view.changes(request).changes()).hasSize(100);
        }
      }
    }
  }

  @Test
  void aWaitingPollWakesOnACommitOfItsOwnProcess() throws Exception {
    try (VxData vx = open("h2")) {
      vx.create(List.of(Fixtures.datasource("ds-1")));
      ChangesPage caughtUp = vx.changes(ChangesRequest.fromStart());
      assertThat(identifiers(pollWhile(vx, caughtUp.next(),
          () -> vx.create(List.of(Fixtures.artefact("a-1", "ds-1")))))).containsExactly("a-1");
    }
  }

  @Test
  void aWaitingPollWakesOnACommitOfAnotherProcessAndTokensPassBetweenThem() throws Exception {
    TestPostgres.Database database = TestPostgres.freshDatabase();
    try (VxData one = database.open(); VxData other = database.open()) {
      other.create(List.of(Fixtures.datasource("ds-1")));
      ChangesPage caughtUp = other.changes(ChangesRequest.fromStart());
      assertThat(identifiers(one.changes(ChangesRequest.fromStart()))).containsExactly("ds-1");
      assertThat(identifiers(pollWhile(one, caughtUp.next(),
          () -> other.create(List.of(Fixtures.artefact("a-1", "ds-1")))))).containsExactly("a-1");
    }
  }

  @Test
  void aTokenHoldsAcrossARestart(@TempDir Path directory) {
    String token;
    try (VxData vx = VxDataStore.open(VxDataStore.h2File(directory))) {
      vx.create(List.of(Fixtures.datasource("ds-1"), Fixtures.artefact("a-1", "ds-1"), Fixtures.artefact("a-2", "ds-1")));
      ChangesPage first = vx.changes(ChangesRequest.fromStart().withLimit(2));
      assertThat(identifiers(first)).containsExactly("a-1", "a-2");
      token = first.next();
    }
    try (VxData vx = VxDataStore.open(VxDataStore.h2File(directory))) {
      vx.create(List.of(Fixtures.artefact("a-3", "ds-1")));
      assertThat(identifiers(vx.changes(ChangesRequest.since(token)))).containsExactly("ds-1", "a-3");
    }
  }

  /**
   * Long-polls {@code vx} after {@code token} on another thread and runs {@code commit} once that poll
   * waits; returns what the poll answered.
   */
  private static ChangesPage pollWhile(VxData vx, String token, Runnable commit) throws Exception {
    ExecutorService poller = Executors.newSingleThreadExecutor();
    try {
      Future<ChangesPage> polled = poller.submit(() -> vx.changes(ChangesRequest.since(token)
          .withWait(ChangesRequest.MAX_WAIT)));
      awaitWaiting((JdbcVxData) vx, polled);
      commit.run();
      return polled.get();
    } finally {
      poller.shutdownNow();
    }
  }

  /**
   * Returns once a thread of {@code vx} waits for a commit (or the poll ended, which its assertions
   * then catch): a spin on a counter, not a timed sleep.
   */
  private static void awaitWaiting(JdbcVxData vx, Future<?> poll) {
    while (vx.waitingForCommits() == 0 && !poll.isDone()) {
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
