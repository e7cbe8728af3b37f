package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.family;
import static io.vxdata.testkit.Fixtures.member;
import static io.vxdata.testkit.Fixtures.patient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.AccessLevel;
import io.vxdata.ChangeEntry;
import io.vxdata.ChangesPage;
import io.vxdata.ChangesRequest;
import io.vxdata.HistoryEntry;
import io.vxdata.HistoryPage;
import io.vxdata.HistoryRequest;
import io.vxdata.NewResource;
import io.vxdata.ReadOptions;
import io.vxdata.Resource;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.VxData;
import io.vxdata.access.Grant;
import io.vxdata.access.Principal;
import io.vxdata.access.Role;
import io.vxdata.query.QueryRequest;
import io.vxdata.relation.Link;
import io.vxdata.relation.LinkChange;
import io.vxdata.schema.BuiltInTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Link changes (docs/behaviour.md §15.1) in the change feed (§14.2) and in histories (§14.1): attach,
 * detach and attach again, the detaches of a delete and the attaches of a restore, in commit order
 * (versions first, then links by relation, source and target); a replay of the feed rebuilds the
 * links; pages of one link change each inside one transaction; tokens of before link changes; and
 * nothing of a link whose end the caller cannot see.
 */
public abstract class LinkChangesConformanceTests extends VxDataTestSupport {

  private static final String MEMBER_OF = BuiltInTypes.MEMBER_OF;

  private Instant attach(Link... links) {
    return store.relations().attach(List.of(links)).committedAt();
  }

  private Instant detach(Link... links) {
    return store.relations().detach(List.of(links)).committedAt();
  }

  /** The whole feed of {@code view} after {@code since} (a token or time; null for the start), pages of {@code limit}. */
  private static List<ChangeEntry> feed(VxData view, ChangesRequest request) {
    List<ChangeEntry> all = new ArrayList<>();
    while (true) {
      ChangesPage page = view.changes(request);
      all.addAll(page.changes());
      if (page.done()) {
        return all;
      }
      request = request.next(page);
    }
  }

  private List<ChangeEntry> feedAfter(Instant time) {
    return feed(store, ChangesRequest.after(time));
  }

  /** An entry as text: {@code "t<n> attached member_of pt-1 fam-1"} or {@code "t<n> deleted pt-1 v2"}. */
  private static String describe(ChangeEntry e, List<Instant> times) {
    String when = "t" + times.indexOf(e.transactionTime());
    return e.isLinkChange()
        ? when + " " + e.operation().wireName() + " " + e.link().relation() + " " + e.link().from() + " " + e.link().to()
        : when + " " + e.operation().wireName() + " " + e.identifier() + " v" + e.version();
  }

  private static List<String> describe(List<ChangeEntry> entries, List<Instant> times) {
    return entries.stream().map(e -> describe(e, times)).toList();
  }

  /** One event of a history, newest first: a version or a link change, as text. */
  private static List<String> historyEvents(VxData view, String identifier, int limit, List<Instant> times) {
    List<String> events = new ArrayList<>();
    HistoryRequest request = HistoryRequest.latest().withLimit(limit);
    while (true) {
      HistoryPage page = view.history(identifier, request);
      assertThat(page.versions().size() + page.links().size()).as("events on a page").isLessThanOrEqualTo(limit);
      events.addAll(merged(page, times));
      if (page.nextCursor() == null) {
        return events;
      }
      request = request.next(page);
    }
  }

  /** A page's versions and link changes newest first, link changes first at one time. */
  private static List<String> merged(HistoryPage page, List<Instant> times) {
    List<String> events = new ArrayList<>();
    int v = 0;
    int l = 0;
    while (v < page.versions().size() || l < page.links().size()) {
      if (l < page.links().size() && (v == page.versions().size()
          || !page.links().get(l).transactionTime().isBefore(page.versions().get(v).validFrom()))) {
        LinkChange c = page.links().get(l++);
        events.add("t" + times.indexOf(c.transactionTime()) + " " + c.operation().wireName() + " "
            + c.link().from() + " " + c.link().to());
      } else {
        HistoryEntry e = page.versions().get(v++);
        events.add("t" + times.indexOf(e.validFrom()) + " v" + e.version());
      }
    }
    return events;
  }

  private VxData principal(String id, String... datasources) {
    store.access().createPrincipal(Principal.of(id, "Principal " + id, AccessLevel.RESTRICTED));
    for (String datasource : datasources) {
      store.access().grant(new Grant(datasource, id, Role.VIEWER));
    }
    return store.as(id);
  }

  @Test
  void attachDetachAndAttachAgainAppearInTheFeedAndInHistories() {
    Instant t0 = create(datasource("ds-1"), patient("pt-1", "ds-1"), patient("pt-2", "ds-1"), family("fam-1", "ds-1"));
    Instant t1 = attach(member("pt-2", "fam-1"), member("pt-1", "fam-1"));
    Instant t2 = detach(member("pt-1", "fam-1"));
    Instant t3 = attach(member("pt-1", "fam-1"));
    List<Instant> times = List.of(t0, t1, t2, t3);

    assertThat(describe(feedAfter(t0), times)).containsExactly(
        "t1 attached member_of pt-1 fam-1",
        "t1 attached member_of pt-2 fam-1",
        "t2 detached member_of pt-1 fam-1",
        "t3 attached member_of pt-1 fam-1");

    assertThat(historyEvents(store, "pt-1", 100, times)).containsExactly(
        "t3 attached pt-1 fam-1", "t2 detached pt-1 fam-1", "t1 attached pt-1 fam-1", "t0 v1");
    assertThat(historyEvents(store, "fam-1", 100, times)).containsExactly(
        "t3 attached pt-1 fam-1", "t2 detached pt-1 fam-1", "t1 attached pt-2 fam-1", "t1 attached pt-1 fam-1",
        "t0 v1");
    assertThat(historyEvents(store, "pt-2", 100, times)).containsExactly("t1 attached pt-2 fam-1", "t0 v1");

    HistoryPage page = store.history("pt-1", HistoryRequest.latest());
    assertThat(page.links()).extracting(LinkChange::by).doesNotContainNull();
    assertThat(page.links().get(0).link()).isEqualTo(member("pt-1", "fam-1"));

    // As of before the re-attach, the history ends at the detach.
    assertThat(merged(store.history("pt-1", HistoryRequest.asOf(t2)), times)).containsExactly(
        "t2 detached pt-1 fam-1", "t1 attached pt-1 fam-1", "t0 v1");
  }

  @Test
  void aDeleteDetachesAndARestoreAttachesAgainAfterTheVersionsOfItsCommit() {
    Instant t0 = create(datasource("ds-1"), patient("pt-1", "ds-1"), family("fam-1", "ds-1"));
    Instant t1 = attach(member("pt-1", "fam-1"));
    Instant t2 = store.delete(List.of("pt-1")).committedAt();
    Instant t3 = store.restore(List.of("pt-1")).committedAt();
    List<Instant> times = List.of(t0, t1, t2, t3);

    assertThat(describe(feedAfter(t0), times)).containsExactly(
        "t1 attached member_of pt-1 fam-1",
        "t2 deleted pt-1 v2",
        "t2 detached member_of pt-1 fam-1",
        "t3 restored pt-1 v3",
        "t3 attached member_of pt-1 fam-1");
    List<String> expected = List.of("t3 attached pt-1 fam-1", "t3 v3", "t2 detached pt-1 fam-1", "t2 v2",
        "t1 attached pt-1 fam-1", "t0 v1");
    assertThat(historyEvents(store, "pt-1", 100, times)).isEqualTo(expected);
    // One event a page: the cursor steps between a link change and the version of the same commit.
    assertThat(historyEvents(store, "pt-1", 1, times)).isEqualTo(expected);
    assertThat(historyEvents(store, "pt-1", 2, times)).isEqualTo(expected);
    assertThat(historyEvents(store, "fam-1", 1, times)).containsExactly(
        "t3 attached pt-1 fam-1", "t2 detached pt-1 fam-1", "t1 attached pt-1 fam-1", "t0 v1");
  }

  @Test
  void replayingTheFeedFromTheStartRebuildsTheLinks() {
    create(datasource("ds-1"), datasource("ds-2"), family("fam-1", "ds-1"), family("fam-2", "ds-2"));
    for (int i = 0; i < 8; i++) {
      create(patient("pt-" + i, i % 2 == 0 ? "ds-1" : "ds-2"));
    }
    attach(member("pt-0", "fam-1"), member("pt-1", "fam-1"), member("pt-2", "fam-2"), member("pt-3", "fam-2"));
    detach(member("pt-1", "fam-1"));
    attach(member("pt-1", "fam-2"), member("pt-4", "fam-1"));
    store.delete(List.of("fam-2"));
    attach(member("pt-5", "fam-1"));
    store.restore(List.of("fam-2"));
    store.delete(List.of("pt-0"));
    store.delete(List.of("ds-2"));
    store.restore(List.of("ds-2"));
    detach(member("pt-4", "fam-1"));

    Set<Link> replayed = new HashSet<>();
    Set<String> live = new TreeSet<>();
    for (ChangeEntry e : feed(store, ChangesRequest.fromStart().withLimit(3))) {
      switch (e.operation()) {
        case ATTACHED -> assertThat(replayed.add(e.link())).as("attach of an attached %s", e.link()).isTrue();
        case DETACHED -> assertThat(replayed.remove(e.link())).as("detach of a detached %s", e.link()).isTrue();
        case DELETED -> live.remove(e.identifier());
        default -> live.add(e.identifier());
      }
    }
    assertThat(new TreeSet<>(replayed.stream().map(Link::toString).toList()))
        .isEqualTo(new TreeSet<>(linksNow(live).stream().map(Link::toString).toList()))
        .isNotEmpty();
  }

  /** Every link attached now, read with the live resources. */
  private Set<Link> linksNow(Set<String> live) {
    Set<Link> links = new HashSet<>();
    for (Resource r : store.read(List.copyOf(live), ReadOptions.latest().withLinks()).value()) {
      links.addAll(r.links().orElseThrow());
    }
    return links;
  }

  @Test
  void pagesOfOneEntryThroughACommitOfManyLinkChangesNeitherSkipNorRepeat() {
    List<NewResource> patients = new ArrayList<>();
    List<Link> links = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      patients.add(patient("pt-" + (char) ('a' + (i * 5) % 12), "ds-1"));
      links.add(member("pt-" + (char) ('a' + (i * 5) % 12), "fam-1"));
    }
    Instant t0 = create(datasource("ds-1"), family("fam-1", "ds-1"));
    store.create(patients);
    Instant t1 = attach(links.toArray(Link[]::new));
    // One commit: the family's tombstone, then twelve detaches.
    Instant t2 = store.delete(List.of("fam-1")).committedAt();
    List<Instant> times = List.of(t0, t1, t2);

    List<ChangeEntry> whole = feed(store, ChangesRequest.after(t0).withLimit(1000));
    assertThat(whole).hasSize(12 + 12 + 1 + 12);
    List<ChangeEntry> single = feed(store, ChangesRequest.after(t0).withLimit(1));
    assertThat(describe(single, times)).isEqualTo(describe(whole, times));
    List<String> lastCommit = describe(whole.subList(whole.size() - 13, whole.size()), times);
    assertThat(lastCommit.get(0)).isEqualTo("t2 deleted fam-1 v2");
    List<String> detaches = new ArrayList<>();
    for (char c = 'a'; c < 'a' + 12; c++) {
      detaches.add("t2 detached member_of pt-" + c + " fam-1");
    }
    assertThat(lastCommit.subList(1, 13)).as("by relation, source, target").isEqualTo(detaches);

    List<String> history = historyEvents(store, "fam-1", 1000, times);
    assertThat(history).hasSize(12 + 12 + 2).doesNotHaveDuplicates();
    assertThat(historyEvents(store, "fam-1", 1, times)).isEqualTo(history);
    assertThat(historyEvents(store, "fam-1", 5, times)).isEqualTo(history);
  }

  @Test
  void aTokenOfBeforeLinkChangesStillPositionsAmongTheVersions() {
    create(datasource("ds-1"), patient("pt-1", "ds-1"), family("fam-1", "ds-1"));
    attach(member("pt-1", "fam-1"));
    Instant t2 = store.delete(List.of("fam-1")).committedAt();
    List<Instant> times = List.of(t2);

    // After the family's tombstone at t2: the detach of that commit, and nothing before.
    assertThat(describe(feed(store, ChangesRequest.since(oldToken(t2, "fam-1"))), times))
        .containsExactly("t0 detached member_of pt-1 fam-1");
    // After the whole of t2: nothing.
    assertThat(feed(store, ChangesRequest.since(oldToken(t2, null)))).isEmpty();
    // A token of now at t2, the version's position, continues the same way.
    ChangesPage upToVersion = store.changes(ChangesRequest.after(t2.minusNanos(1000)).withLimit(1));
    assertThat(describe(upToVersion.changes(), times)).containsExactly("t0 deleted fam-1 v2");
    assertThat(describe(feed(store, ChangesRequest.since(upToVersion.next())), times))
        .containsExactly("t0 detached member_of pt-1 fam-1");
  }

  /** A token as issued before link changes were in the feed: {@code c1_}, the time, then an identifier if any. */
  private static String oldToken(Instant time, String identifier) {
    byte[] id = identifier == null ? new byte[0] : identifier.getBytes(StandardCharsets.UTF_8);
    long micros = time.getEpochSecond() * 1_000_000L + time.getNano() / 1_000L;
    return "c1_" + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(ByteBuffer.allocate(8 + id.length).putLong(micros).put(id).array());
  }

  @Test
  void aMalformedTokenIsRefusedNamingSince() {
    create(datasource("ds-1"));
    long micros = 1_000_000L;
    assertSince(ByteBuffer.allocate(9).putLong(micros).put((byte) 7).array()); // no such kind
    assertSince(ByteBuffer.allocate(11).putLong(micros).put((byte) 1).putShort((short) 40).array()); // cut short
    assertSince(link(micros, "Not A Relation", "pt-1", "fam-1", 0));
    assertSince(link(micros, MEMBER_OF, "pt\u00001", "fam-1", 0));
    assertSince(link(micros, MEMBER_OF, "pt-1", "fam-1", 1)); // trailing bytes
    assertSince(ByteBuffer.allocate(10).putLong(micros).put((byte) 0).put((byte) 0).array()); // a NUL identifier
    assertThatSince("c2_!!");
    // The same layout, well formed, is accepted.
    assertThat(store.changes(ChangesRequest.since("c2_" + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(link(micros, MEMBER_OF, "pt-1", "fam-1", 0)))).done()).isTrue();
  }

  private static byte[] link(long micros, String relation, String from, String to, int trailing) {
    ByteBuffer b = ByteBuffer.allocate(9 + 6 + relation.length() + from.length() + to.length() + trailing)
        .putLong(micros).put((byte) 1);
    for (String s : List.of(relation, from, to)) {
      b.putShort((short) s.length()).put(s.getBytes(StandardCharsets.UTF_8));
    }
    return b.array();
  }

  private void assertSince(byte[] token) {
    assertThatSince("c2_" + Base64.getUrlEncoder().withoutPadding().encodeToString(token));
  }

  private void assertThatSince(String token) {
    assertThatThrownBy(() -> store.changes(ChangesRequest.since(token))).as("%s", token)
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).violations()).extracting(Violation::field)
            .contains("since"));
  }

  @Test
  void aLinkWhoseEndTheCallerCannotSeeIsNotInTheFeedNorInHistories() {
    Instant t0 = create(datasource("ds-a"), datasource("ds-b"), patient("pt-a", "ds-a"), patient("pt-a2", "ds-a"),
        family("fam-a", "ds-a"), family("fam-b", "ds-b"));
    Instant t1 = attach(member("pt-a", "fam-a"), member("pt-a2", "fam-b"));
    Instant t2 = store.delete(List.of("fam-b")).committedAt();
    List<Instant> times = List.of(t0, t1, t2);
    VxData alice = principal("alice", "ds-a");

    assertThat(describe(feed(alice, ChangesRequest.after(t0)), times)).containsExactly(
        "t1 attached member_of pt-a fam-a");
    assertThat(historyEvents(alice, "pt-a2", 100, times)).containsExactly("t0 v1");
    assertThat(historyEvents(alice, "pt-a", 100, times)).containsExactly("t1 attached pt-a fam-a", "t0 v1");
    assertThat(describe(feed(store, ChangesRequest.after(t0)), times)).containsExactly(
        "t1 attached member_of pt-a fam-a", "t1 attached member_of pt-a2 fam-b", "t2 deleted fam-b v2",
        "t2 detached member_of pt-a2 fam-b");

    // Filters: a link is of its relation's two types, and under the datasources of both ends.
    assertThat(describe(feed(store, ChangesRequest.after(t0).withDatasource("ds-b")), times)).containsExactly(
        "t1 attached member_of pt-a2 fam-b", "t2 deleted fam-b v2", "t2 detached member_of pt-a2 fam-b");
    assertThat(describe(feed(store, ChangesRequest.after(t0).withPayloadTypes(BuiltInTypes.FAMILY)), times))
        .containsExactly("t1 attached member_of pt-a fam-a", "t1 attached member_of pt-a2 fam-b",
            "t2 deleted fam-b v2", "t2 detached member_of pt-a2 fam-b");
    assertThat(feed(store, ChangesRequest.after(t0).withPayloadTypes(BuiltInTypes.DATASOURCE))).isEmpty();
    assertThat(describe(feed(alice, ChangesRequest.after(t0).withDatasource("ds-b")), times)).isEmpty();
  }

  @Test
  void theLinksOfAPatientCountInItsHistoryWithItsVersions() {
    create(datasource("ds-1"), patient("pt-1", "ds-1"), family("fam-1", "ds-1"));
    attach(member("pt-1", "fam-1"));
    HistoryPage first = store.history("pt-1", HistoryRequest.latest().withLimit(1));
    assertThat(first.links()).hasSize(1);
    assertThat(first.versions()).isEmpty();
    assertThat(first.nextCursor()).isNotNull();
    HistoryPage second = store.history("pt-1", HistoryRequest.latest().withLimit(1).next(first));
    assertThat(second.versions()).extracting(HistoryEntry::version).containsExactly(1L);
    assertThat(second.links()).isEmpty();
    assertThat(second.nextCursor()).isNull();
    assertThat(store.query(QueryRequest.of(BuiltInTypes.PATIENT).build()).results()).hasSize(1);
  }
}
