package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.artefact;
import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static io.vxdata.testkit.Fixtures.patient;
import static io.vxdata.testkit.Fixtures.study;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.AccessLevel;
import io.vxdata.ChangeEntry;
import io.vxdata.ChangeOperation;
import io.vxdata.ChangesPage;
import io.vxdata.ChangesRequest;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.access.Grant;
import io.vxdata.access.Principal;
import io.vxdata.access.Role;
import io.vxdata.query.QueryRequest;
import io.vxdata.schema.BuiltInTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The change feed (docs/behaviour.md §14.2): every version after a token or a time, in commit order,
 * with its operation; pages and tokens; filters by payload type and datasource (a move across
 * datasources in both feeds); access control; bad input; long-polls; and the property that replaying
 * the feed from the start rebuilds the live resources and their parents exactly, while writers run.
 */
public abstract class ChangesConformanceTests extends VxDataTestSupport {

  /** Every entry from {@code request} on, page after page, until a page is done. */
  private static List<ChangeEntry> feed(VxData vx, ChangesRequest request) {
    List<ChangeEntry> out = new ArrayList<>();
    ChangesPage page = vx.changes(request);
    out.addAll(page.changes());
    while (!page.done()) {
      page = vx.changes(request.next(page));
      out.addAll(page.changes());
    }
    return out;
  }

  private List<ChangeEntry> feed() {
    return feed(store, ChangesRequest.fromStart());
  }

  /** An entry as text: identifier, operation, version, parent. */
  private static String show(ChangeEntry e) {
    return e.identifier() + " " + e.operation().wireName() + " v" + e.version() + " <" + e.parentIdentifier() + ">";
  }

  private static List<String> shown(List<ChangeEntry> entries) {
    return entries.stream().map(ChangesConformanceTests::show).toList();
  }

  private static List<String> shownOf(List<ChangeEntry> entries, String identifier) {
    return shown(entries.stream().filter(e -> e.identifier().equals(identifier)).toList());
  }

  private Instant update(String identifier, String field, Object value) {
    return store.update(Map.of(identifier, change(field, value))).committedAt();
  }

  private VxData principal(String id, AccessLevel clearance, String... viewerOf) {
    store.access().createPrincipal(Principal.of(id, "Principal " + id, clearance));
    for (String datasource : viewerOf) {
      store.access().grant(new Grant(datasource, id, Role.VIEWER));
    }
    return store.as(id);
  }

  @Test
  void everyVersionInCommitOrderWithItsOperation() {
    Instant first = create(datasource("ds-1"), datasource("ds-2"), patient("pt-1", "ds-1"));
    Instant scanned = create(artefact("a-1", "pt-1"));
    Instant updated = update("a-1", "role", "raw");
    Instant moved = update("a-1", "parent_identifier", "ds-2");
    Instant movedAndChanged = store.update(Map.of("a-1", io.vxdata.ResourceUpdate.builder()
        .set("parent_identifier", "pt-1").set("role", "mask").build())).committedAt();
    Instant deleted = store.delete(List.of("a-1")).committedAt();
    Instant restored = store.restore(List.of("a-1")).committedAt();
    store.delete(List.of("a-1"));
    Instant recreated = create(artefact("a-1", "ds-1"));

    List<ChangeEntry> all = feed();
    assertThat(shown(all)).containsExactly("ds-1 created v1 <null>", "ds-2 created v1 <null>",
        "pt-1 created v1 <ds-1>", "a-1 created v1 <pt-1>", "a-1 updated v2 <pt-1>", "a-1 moved v3 <ds-2>",
        "a-1 moved v4 <pt-1>", "a-1 deleted v5 <pt-1>", "a-1 restored v6 <pt-1>", "a-1 deleted v7 <pt-1>",
        "a-1 created v8 <ds-1>");
    assertThat(all).extracting(ChangeEntry::transactionTime).containsExactly(first, first, first, scanned, updated,
        moved, movedAndChanged, deleted, restored, all.get(9).transactionTime(), recreated);
    assertThat(all.get(2).payloadType()).isEqualTo(BuiltInTypes.PATIENT);
    assertThat(all.get(10).payloadType()).isEqualTo(BuiltInTypes.ARTEFACT);
  }

  @Test
  void aCascadingDeleteAndItsRestoreListEveryResourceTheyChanged() {
    create(datasource("ds-1"), patient("pt-1", "ds-1"));
    create(study("st-1", "pt-1", "u-1"), study("st-2", "pt-1", "u-2"));
    Instant start = store.lastCommitTime();
    Instant deleted = store.delete(List.of("pt-1")).committedAt();
    Instant restored = store.restore(List.of("pt-1")).committedAt();

    List<ChangeEntry> after = feed(store, ChangesRequest.after(start));
    assertThat(shown(after)).containsExactly("pt-1 deleted v2 <ds-1>", "st-1 deleted v2 <pt-1>",
        "st-2 deleted v2 <pt-1>", "pt-1 restored v3 <ds-1>", "st-1 restored v3 <pt-1>", "st-2 restored v3 <pt-1>");
    assertThat(after).extracting(ChangeEntry::transactionTime)
        .containsExactly(deleted, deleted, deleted, restored, restored, restored);
  }

  @Test
  void pagesEndAnywhereEvenInsideATransactionAndTokensContinueExactly() {
    List<NewResource> batch = new ArrayList<>();
    batch.add(datasource("ds-1"));
    for (int i = 0; i < 7; i++) {
      batch.add(artefact("a-" + i, "ds-1"));
    }
    store.create(batch);
    update("a-3", "role", "raw");
    List<ChangeEntry> whole = store.changes(ChangesRequest.fromStart()).changes();
    assertThat(whole).hasSize(9);

    List<ChangeEntry> paged = new ArrayList<>();
    ChangesRequest request = ChangesRequest.fromStart().withLimit(3);
    ChangesPage page = store.changes(request);
    assertThat(page.limit()).isEqualTo(3);
    int pages = 1;
    paged.addAll(page.changes());
    while (!page.done()) {
      assertThat(page.changes()).hasSize(3);
      page = store.changes(request.next(page));
      paged.addAll(page.changes());
      pages++;
    }
    assertThat(paged).isEqualTo(whole);
    assertThat(pages).isEqualTo(3);
    assertThat(page.asOf()).isEqualTo(store.lastCommitTime());

    // A done page's token returns nothing until the next commit, then only that commit.
    ChangesPage nothing = store.changes(ChangesRequest.since(page.next()));
    assertThat(nothing.changes()).isEmpty();
    assertThat(nothing.done()).isTrue();
    Instant later = update("a-5", "role", "mask");
    ChangesPage next = store.changes(ChangesRequest.since(nothing.next()));
    assertThat(shown(next.changes())).containsExactly("a-5 updated v2 <ds-1>");
    assertThat(next.changes().get(0).transactionTime()).isEqualTo(later);
    assertThat(next.asOf()).isEqualTo(later);
    assertThat(next.done()).isTrue();
    // Entries are in commit order: by time, then identifier.
    assertThat(whole).isSortedAccordingTo(Comparator.comparing(ChangeEntry::transactionTime)
        .thenComparing(ChangeEntry::identifier));
  }

  @Test
  void commitsThatWriteNoResourceMoveTheTokenButAddNoEntry() {
    create(datasource("ds-1"));
    ChangesPage page = store.changes(ChangesRequest.fromStart());
    store.access().createPrincipal(Principal.of("someone", "Someone", AccessLevel.PUBLIC));
    ChangesPage after = store.changes(ChangesRequest.since(page.next()));
    assertThat(after.changes()).isEmpty();
    assertThat(after.done()).isTrue();
    assertThat(after.asOf()).isAfter(page.asOf());
  }

  @Test
  void sinceATimeStartsStrictlyAfterIt() {
    create(datasource("ds-1"));
    Instant second = create(artefact("a-1", "ds-1"));
    update("a-1", "role", "raw");

    assertThat(shown(feed(store, ChangesRequest.after(second)))).containsExactly("a-1 updated v2 <ds-1>");
    assertThat(shown(feed(store, ChangesRequest.after(second.minusNanos(1000)))))
        .containsExactly("a-1 created v1 <ds-1>", "a-1 updated v2 <ds-1>");
    assertThat(feed(store, ChangesRequest.fromStart().withSince("2000-01-01"))).hasSize(3);
    assertThat(feed(store, ChangesRequest.fromStart().withSince("2999-01-01T00:00:00+02:00"))).isEmpty();
  }

  @Test
  void payloadTypeAndDatasourceFilters() {
    create(datasource("ds-a"), datasource("ds-b"), patient("pt-a", "ds-a"), patient("pt-b", "ds-b"));
    create(artefact("a-1", "pt-a"), artefact("a-2", "ds-b"), artefact("a-free", null));
    update("a-1", "parent_identifier", "ds-b");
    update("a-1", "role", "raw");

    assertThat(feed(store, ChangesRequest.fromStart().withPayloadTypes(BuiltInTypes.PATIENT)))
        .extracting(ChangeEntry::identifier).containsExactly("pt-a", "pt-b");
    assertThat(feed(store, ChangesRequest.fromStart().withPayloadTypes(BuiltInTypes.PATIENT, BuiltInTypes.DATASOURCE)))
        .extracting(ChangeEntry::identifier).containsExactly("ds-a", "ds-b", "pt-a", "pt-b");
    // The move is in both datasources' feeds; what follows it only in the new one's.
    assertThat(shown(feed(store, ChangesRequest.fromStart().withDatasource("ds-a")))).containsExactly(
        "ds-a created v1 <null>", "pt-a created v1 <ds-a>", "a-1 created v1 <pt-a>", "a-1 moved v2 <ds-b>");
    assertThat(shown(feed(store, ChangesRequest.fromStart().withDatasource("ds-b")))).containsExactly(
        "ds-b created v1 <null>", "pt-b created v1 <ds-b>", "a-2 created v1 <ds-b>", "a-1 moved v2 <ds-b>",
        "a-1 updated v3 <ds-b>");
    assertThat(shown(feed(store, ChangesRequest.fromStart().withDatasource("ds-b")
        .withPayloadTypes(BuiltInTypes.ARTEFACT)))).containsExactly("a-2 created v1 <ds-b>",
        "a-1 moved v2 <ds-b>", "a-1 updated v3 <ds-b>");
    assertThat(feed(store, ChangesRequest.fromStart().withDatasource("no-such-datasource"))).isEmpty();
  }

  @Test
  void aReCreationUnderAnotherDatasourceIsNotAMoveOutOfTheOldOne() {
    create(datasource("ds-a"), datasource("ds-b"));
    create(artefact("a-1", "ds-a"));
    store.delete(List.of("a-1"));
    create(artefact("a-1", "ds-b"));

    assertThat(shownOf(feed(store, ChangesRequest.fromStart().withDatasource("ds-a")), "a-1"))
        .containsExactly("a-1 created v1 <ds-a>", "a-1 deleted v2 <ds-a>");
    assertThat(shownOf(feed(store, ChangesRequest.fromStart().withDatasource("ds-b")), "a-1"))
        .containsExactly("a-1 created v3 <ds-b>");
  }

  @Test
  void aCallerSeesOnlyTheVersionsItMaySee() {
    create(datasource("ds-a"), datasource("ds-b"));
    create(artefact("a-1", "ds-a"), artefact("b-1", "ds-b"), artefact("a-free", null),
        NewResource.builder(BuiltInTypes.ARTEFACT, "a-secret").parent("ds-a").set("uri", "s3://b/s")
            .accessLevel(AccessLevel.RESTRICTED).build());
    update("a-1", "role", "raw");
    update("a-1", "access_level", "restricted");
    update("a-1", "access_level", "internal");
    update("b-1", "parent_identifier", "ds-a");
    update("b-1", "role", "mask");
    VxData low = principal("low", AccessLevel.INTERNAL, "ds-a");
    VxData onB = principal("on-b", AccessLevel.RESTRICTED, "ds-b");
    VxData both = principal("both", AccessLevel.RESTRICTED, "ds-a", "ds-b");

    List<ChangeEntry> seen = feed(low, ChangesRequest.fromStart());
    assertThat(shown(seen)).containsExactly("ds-a created v1 <null>", "a-1 created v1 <ds-a>",
        "a-1 updated v2 <ds-a>",
        // v3 is above the clearance: v4, whose predecessor is hidden, is where a-1 comes back into view.
        "a-1 created v4 <ds-a>",
        // b-1 came from a datasource the caller holds no grant on: the move is where it appears.
        "b-1 created v2 <ds-a>", "b-1 updated v3 <ds-a>");
    // Pages count only what the caller sees.
    ChangesPage one = low.changes(ChangesRequest.fromStart().withLimit(1));
    assertThat(shown(one.changes())).containsExactly("ds-a created v1 <null>");
    assertThat(shown(low.changes(ChangesRequest.fromStart().withLimit(1).next(one)).changes()))
        .containsExactly("a-1 created v1 <ds-a>");
    // The old datasource's reader does not see the move out (the moved version is under ds-b's rights).
    assertThat(shownOf(feed(onB, ChangesRequest.fromStart()), "b-1")).containsExactly("b-1 created v1 <ds-b>");
    assertThat(shownOf(feed(both, ChangesRequest.fromStart()), "b-1"))
        .containsExactly("b-1 created v1 <ds-b>", "b-1 moved v2 <ds-a>", "b-1 updated v3 <ds-a>");
    // Filtering by a datasource tells nothing of versions the caller may not see there.
    assertThat(feed(low, ChangesRequest.fromStart().withDatasource("ds-b"))).isEmpty();
    assertThat(shown(feed(both, ChangesRequest.fromStart().withDatasource("ds-b"))))
        .containsExactly("ds-b created v1 <null>", "b-1 created v1 <ds-b>", "b-1 moved v2 <ds-a>");
    // A revoked grant hides the past too.
    store.access().revokeGrant("ds-a", "low");
    assertThat(feed(low, ChangesRequest.fromStart())).isEmpty();
  }

  @Test
  void badInputIsRefusedNamingTheField() {
    create(datasource("ds-1"));
    assertField(ChangesRequest.fromStart().withSince("yesterday"), "since");
    assertField(ChangesRequest.fromStart().withSince("2026-05-20T10:00:00"), "since");
    assertField(ChangesRequest.fromStart().withSince("c1_!!"), "since");
    assertField(ChangesRequest.fromStart().withSince("c1_AA"), "since");
    assertField(ChangesRequest.fromStart().withSince(""), "since");
    // A token altered to hold a time and an identifier with a NUL in it.
    byte[] altered = java.nio.ByteBuffer.allocate(10).putLong(1L).put((byte) 'a').put((byte) 0).array();
    assertField(ChangesRequest.fromStart().withSince("c1_"
        + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(altered)), "since");
    assertField(ChangesRequest.fromStart().withLimit(0), "limit");
    assertField(ChangesRequest.fromStart().withLimit(1001), "limit");
    assertField(ChangesRequest.fromStart().withPayloadTypes("no_such_type"), "payload_type");
    assertField(ChangesRequest.fromStart().withDatasource("not an identifier"), "datasource_id");
    assertField(ChangesRequest.fromStart().withWait(Duration.ofSeconds(-1)), "wait");
    assertField(ChangesRequest.fromStart().withWait(ChangesRequest.MAX_WAIT.plusSeconds(1)), "wait");
    assertThat(store.changes(ChangesRequest.fromStart().withLimit(1000)).limit()).isEqualTo(1000);
    assertThat(store.changes(ChangesRequest.fromStart()).limit()).isEqualTo(100);
  }

  private void assertField(ChangesRequest request, String field) {
    assertThatThrownBy(() -> store.changes(request)).as("%s", request).isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).violations())
            .extracting(io.vxdata.Violation::field).contains(field));
  }

  @Test
  void aLongPollAnswersWithTheCommitThatEndsItsWait() throws Exception {
    create(datasource("ds-1"));
    ChangesPage caughtUp = store.changes(ChangesRequest.fromStart());
    ExecutorService poller = Executors.newSingleThreadExecutor();
    try {
      Future<ChangesPage> polled = poller.submit(() -> store.changes(ChangesRequest.since(caughtUp.next())
          .withWait(ChangesRequest.MAX_WAIT)));
      // Whether the commit lands before the poll starts or while it waits, the poll answers with it.
      Instant committed = create(artefact("a-1", "ds-1"));
      ChangesPage page = polled.get();
      assertThat(shown(page.changes())).containsExactly("a-1 created v1 <ds-1>");
      assertThat(page.changes().get(0).transactionTime()).isEqualTo(committed);
    } finally {
      poller.shutdownNow();
    }
    // With nothing new, a short wait ends with an empty page at the same position.
    ChangesPage idle = store.changes(ChangesRequest.since(store.changes(ChangesRequest.fromStart()).next())
        .withWait(Duration.ofMillis(1)));
    assertThat(idle.changes()).isEmpty();
    assertThat(idle.done()).isTrue();
  }

  /**
   * Writers create, update, move, delete (with cascade) and restore while a reader replays the feed
   * from the start into a map of live identifiers to parents; whenever a page is done, the map must
   * equal the live resources read at that page's time.
   */
  @Test
  void replayingTheFeedRebuildsTheLiveResourcesWhileWritersRun() throws Exception {
    create(datasource("ds-0"), datasource("ds-1"), datasource("ds-2"), Fixtures.family("fam-0", "ds-0"),
        Fixtures.family("fam-1", "ds-1"), Fixtures.family("fam-2", "ds-2"));
    int writers = 3;
    int operations = 40;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<CompletableFuture<Void>> running = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      running.add(CompletableFuture.runAsync(() -> write(writer, operations), pool));
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
        .whenComplete((v, e) -> writing.set(false));
    try {
      Map<String, String> live = new HashMap<>();
      java.util.Set<String> links = new java.util.TreeSet<>();
      java.util.Set<ChangeOperation> operationsSeen = java.util.EnumSet.noneOf(ChangeOperation.class);
      ChangesRequest request = ChangesRequest.fromStart().withLimit(25);
      ChangeEntry previous = null;
      int comparisons = 0;
      while (true) {
        // Read whether writers are done before the page: a page done after that has everything.
        boolean finished = !writing.get();
        ChangesPage page = store.changes(request);
        for (ChangeEntry e : page.changes()) {
          if (previous != null) {
            assertThat(e.transactionTime().compareTo(previous.transactionTime()) > 0
                || e.transactionTime().equals(previous.transactionTime()) && inCommitOrder(previous, e))
                .as("%s after %s", e, previous).isTrue();
          }
          assertThat(e.transactionTime()).isBeforeOrEqualTo(page.asOf());
          previous = e;
          operationsSeen.add(e.operation());
          if (e.operation() == ChangeOperation.ATTACHED) {
            assertThat(links.add(e.link().toString())).as("attach of an attached %s", e).isTrue();
          } else if (e.operation() == ChangeOperation.DETACHED) {
            assertThat(links.remove(e.link().toString())).as("detach of a detached %s", e).isTrue();
          } else if (e.operation() == ChangeOperation.DELETED) {
            live.remove(e.identifier());
          } else {
            live.put(e.identifier(), e.parentIdentifier() == null ? "" : e.parentIdentifier());
          }
        }
        if (page.done()) {
          assertThat(new TreeMap<>(live)).as("replayed up to %s", page.asOf()).isEqualTo(liveAt(page.asOf()));
          assertThat(links).as("links replayed up to %s", page.asOf()).isEqualTo(linksAt(live.keySet(), page.asOf()));
          comparisons++;
          if (finished) {
            break;
          }
        }
        request = request.next(page);
      }
      all.get();
      assertThat(comparisons).isGreaterThanOrEqualTo(2);
      assertThat(live).hasSizeGreaterThan(3);
      assertThat(operationsSeen).as("the writers' mix").containsExactlyInAnyOrder(ChangeOperation.values());
    } finally {
      writing.set(false);
      pool.shutdownNow();
    }
  }

  /**
   * Within one commit: versions by identifier, then link changes by relation, source and target
   * (identifiers here are ASCII letters, digits and hyphens, ordered alike everywhere).
   */
  private static boolean inCommitOrder(ChangeEntry before, ChangeEntry after) {
    if (before.isLinkChange() != after.isLinkChange()) {
      return after.isLinkChange();
    }
    if (!after.isLinkChange()) {
      return after.identifier().compareTo(before.identifier()) > 0;
    }
    java.util.Comparator<io.vxdata.relation.Link> order = java.util.Comparator.comparing(
        io.vxdata.relation.Link::relation).thenComparing(io.vxdata.relation.Link::from)
        .thenComparing(io.vxdata.relation.Link::to);
    return order.compare(after.link(), before.link()) > 0;
  }

  /** Every link attached at {@code at}, read with the resources {@code live} then. */
  private java.util.Set<String> linksAt(java.util.Set<String> live, Instant at) {
    java.util.Set<String> links = new java.util.TreeSet<>();
    for (io.vxdata.Resource r : store.read(List.copyOf(live), io.vxdata.ReadOptions.asOf(at).withLinks()).value()) {
      r.links().orElseThrow().forEach(l -> links.add(l.toString()));
    }
    return links;
  }

  /** Every live resource at {@code at}, identifier to parent ({@code ""} for none). */
  private TreeMap<String, String> liveAt(Instant at) {
    TreeMap<String, String> live = new TreeMap<>();
    for (String type : store.payloadTypes().keySet()) {
      store.scan(QueryRequest.of(type).asOf(at).build(),
          r -> live.put(r.identifier(), r.parentIdentifier() == null ? "" : r.parentIdentifier()));
    }
    return live;
  }

  /** One writer's random mix of writes on its own resources; refusals of a chance pick are expected. */
  private void write(int writer, int operations) {
    Random random = new Random(writer * 7919L + 17);
    String prefix = "w" + writer + "-";
    int made = 0;
    for (int i = 0; i < operations; i++) {
      String datasource = "ds-" + random.nextInt(3);
      String some = prefix + random.nextInt(Math.max(made, 1));
      // Odd numbers are patients (see case 0).
      String patient = prefix + (random.nextInt(Math.max(made / 2, 1)) * 2 + 1);
      try {
        switch (made < 3 ? 0 : random.nextInt(9)) {
          case 0 -> {
            String id = prefix + made++;
            store.create(List.of(made % 2 == 0 ? patient(id, datasource) : artefact(id, datasource)));
          }
          case 1 -> {
            String id = prefix + made++;
            store.create(List.of(artefact(id, some)));
          }
          case 2 -> store.update(Map.of(some, change("license", "v" + i)));
          case 3 -> store.update(Map.of(some, change("parent_identifier", datasource)));
          case 4 -> {
            // Deleted and, as often as not, restored at once: restores need a tombstone to act on.
            if (store.delete(List.of(some)).count() > 0 && random.nextBoolean()) {
              store.restore(List.of(some));
            }
          }
          case 5 -> store.restore(List.of(some));
          // A patient joins or leaves a family; deletes and restores above carry its link along.
          case 6 -> store.relations().attach(List.of(Fixtures.member(patient, "fam-" + random.nextInt(3))));
          case 7 -> store.relations().detach(List.of(Fixtures.member(patient, "fam-" + random.nextInt(3))));
          default -> store.create(List.of(study(prefix + made++, some, "u" + i)));
        }
      } catch (ValidationException | NotFoundException refused) {
        // A pick that does not fit the resource's state (a study under an artefact, an update of a
        // deleted one): the feed must not show it, which the replay checks.
      }
    }
  }
}
