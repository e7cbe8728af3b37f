package io.vxdata.testkit;

import static io.vxdata.testkit.Fixtures.change;
import static io.vxdata.testkit.Fixtures.datasource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.AccessLevel;
import io.vxdata.Resource;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.WriteResult;
import io.vxdata.access.IssuedToken;
import io.vxdata.access.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Transaction times under a clock the test drives (docs/behaviour.md §3, §4, §12.4): whatever the clock says,
 * standing still or moving backwards, successive commits get strictly increasing times, and a read
 * as of each returned time sees exactly the writes up to it. Tokens expire by the same clock (§13.5). For
 * backends that take a {@link Clock} for their transaction times; subclass it with {@link #newStore(Clock)}.
 */
public abstract class ClockConformanceTests extends VxDataTestSupport {

  /** Where the clock stands when each test starts: far from the real time, so an ignored clock shows. */
  protected static final Instant START = Instant.parse("2031-03-04T05:06:07.000008Z");

  /** The clock the store under test reads its transaction times from. */
  protected final DrivenClock clock = new DrivenClock(START);

  /**
   * Opens a store over an empty database (built-in payload types only) that takes its transaction
   * times from {@code clock}.
   */
  protected abstract VxData newStore(Clock clock);

  @Override
  protected final VxData newStore() {
    return newStore(clock);
  }

  /**
   * Five writes of different kinds, each run when the clock stands where {@code times} says; returns
   * the states they leave, each with the time its write returned.
   */
  private List<State> writeFiveTimes(Supplier<Instant> times) {
    List<State> states = new ArrayList<>();
    clock.set(times.get());
    states.add(new State(store.create(List.of(datasource("ds-1"))), 1, null, false));
    clock.set(times.get());
    states.add(new State(store.update(Map.of("ds-1", change("site", "Ghent"))), 2, "Ghent", false));
    clock.set(times.get());
    states.add(new State(store.create(List.of(datasource("ds-2"))), 2, "Ghent", true));
    clock.set(times.get());
    states.add(new State(store.update(Map.of("ds-1", change("site", "Leuven"))), 3, "Leuven", true));
    clock.set(times.get());
    states.add(new State(store.delete(List.of("ds-2")), 3, "Leuven", false));
    return states;
  }

  /** What a read sees after one write: {@code ds-1}'s version and site, and whether {@code ds-2} is active. */
  private record State(WriteResult write, int ds1Version, String ds1Site, boolean ds2Active) {}

  @Test
  void aClockMovingForwardGivesItsOwnTimes() {
    Instant first = START;
    Instant second = START.plus(3, ChronoUnit.SECONDS);

    clock.set(first);
    WriteResult created = store.create(List.of(datasource("ds-1")));
    clock.set(second);
    WriteResult updated = store.update(Map.of("ds-1", change("site", "Ghent")));

    assertThat(created.committedAt()).isEqualTo(first);
    assertThat(updated.committedAt()).isEqualTo(second);
    assertThat(readOne("ds-1")).satisfies(ds -> {
      assertThat(ds.createdAt()).isEqualTo(first);
      assertThat(ds.updatedAt()).isEqualTo(second);
    });
    assertThat(store.lastCommitTime()).isEqualTo(second);
  }

  @Test
  void aFixedClockStillGivesStrictlyIncreasingTimes() {
    List<State> states = writeFiveTimes(() -> START);

    assertStrictlyIncreasingFrom(states, START);
    assertReadsAsOfEachTimeSeeExactlyTheWritesUpToIt(states);
  }

  @Test
  void aClockMovingBackwardsStillGivesStrictlyIncreasingTimes() {
    List<Instant> readings = List.of(START, START.minus(1, ChronoUnit.MICROS), START.minus(1, ChronoUnit.HOURS),
        Instant.parse("1999-12-31T23:59:59Z"), START.minus(1, ChronoUnit.DAYS));
    var next = readings.iterator();

    List<State> states = writeFiveTimes(next::next);

    assertStrictlyIncreasingFrom(states, START);
    assertReadsAsOfEachTimeSeeExactlyTheWritesUpToIt(states);
  }

  @Test
  void afterGoingBackTheClockIsFollowedAgainOnceItPassesTheLastCommit() {
    clock.set(START);
    Instant first = store.create(List.of(datasource("ds-1"))).committedAt();
    clock.set(START.minus(1, ChronoUnit.DAYS));
    Instant second = store.create(List.of(datasource("ds-2"))).committedAt();
    Instant later = START.plus(1, ChronoUnit.MINUTES);
    clock.set(later);
    Instant third = store.create(List.of(datasource("ds-3"))).committedAt();

    assertThat(first).isEqualTo(START);
    assertThat(second).isAfter(first);
    assertThat(third).isEqualTo(later);
    assertThat(readable(second, "ds-1", "ds-2", "ds-3")).containsExactly("ds-1", "ds-2");
  }

  @Test
  void aWriteThatChangesNothingKeepsTheLastTimeWhateverTheClockSays() {
    clock.set(START);
    Instant created = store.create(List.of(datasource("ds-1"))).committedAt();
    clock.set(START.plus(1, ChronoUnit.HOURS));

    WriteResult unchanged = store.update(Map.of("ds-1", change("name", "Datasource ds-1")));

    assertThat(unchanged.count()).isZero();
    assertThat(unchanged.committedAt()).isEqualTo(created);
    assertThat(store.lastCommitTime()).isEqualTo(created);
  }

  @Test
  void aTokenAuthenticatesUntilItsExpiryByTheStoresClock() {
    clock.set(START);
    store.access().createPrincipal(Principal.of("gina", "Gina", AccessLevel.INTERNAL));
    Instant expiry = START.plus(1, ChronoUnit.HOURS);
    IssuedToken own = store.as("gina").access().issueToken("gina", expiry);
    assertThat(own.expiresAt()).isEqualTo(expiry);

    clock.set(expiry.minus(1, ChronoUnit.MICROS));
    assertThat(store.access().authenticate(own.secret())).map(Principal::id).contains("gina");
    assertThatThrownBy(() -> store.access().issueToken("gina", expiry.minus(1, ChronoUnit.MICROS)))
        .as("an expiry not after the store's now").isInstanceOf(ValidationException.class);
    clock.set(expiry);
    assertThat(store.access().authenticate(own.secret())).as("at its expiry").isEmpty();
    clock.set(START.plus(1, ChronoUnit.DAYS));
    assertThat(store.access().authenticate(own.secret())).isEmpty();
  }

  private void assertStrictlyIncreasingFrom(List<State> states, Instant first) {
    List<Instant> times = states.stream().map(s -> s.write().committedAt()).toList();
    assertThat(times.get(0)).as("the first commit's time").isEqualTo(first);
    for (int i = 1; i < times.size(); i++) {
      assertThat(times.get(i)).as("commit %d after commit %d", i + 1, i).isAfter(times.get(i - 1));
    }
    assertThat(states).allSatisfy(s -> assertThat(s.write().count()).isEqualTo(1));
    assertThat(store.lastCommitTime()).isEqualTo(times.get(times.size() - 1));
    // The stored versions carry the times the writes returned.
    Resource ds1 = readOne("ds-1");
    assertThat(ds1.createdAt()).isEqualTo(times.get(0));
    assertThat(ds1.updatedAt()).isEqualTo(times.get(3));
    assertThat(readOne("ds-2", times.get(2)).createdAt()).isEqualTo(times.get(2));
  }

  private void assertReadsAsOfEachTimeSeeExactlyTheWritesUpToIt(List<State> states) {
    Instant beforeAll = states.get(0).write().committedAt().minus(1, ChronoUnit.MICROS);
    assertThat(readable(beforeAll, "ds-1", "ds-2")).as("before the first commit").isEmpty();
    for (int i = 0; i < states.size(); i++) {
      State state = states.get(i);
      Instant at = state.write().committedAt();
      assertSees(at, state, "as of commit " + (i + 1));
      if (i > 0) {
        // Just before this commit, the previous state: nothing of this write is visible yet.
        assertSees(at.minus(1, ChronoUnit.MICROS), states.get(i - 1), "just before commit " + (i + 1));
      }
    }
  }

  private void assertSees(Instant at, State state, String when) {
    Resource ds1 = readOne("ds-1", at);
    assertThat(ds1.version()).as("ds-1 version %s", when).isEqualTo(state.ds1Version());
    assertThat(ds1.get("site")).as("ds-1 site %s", when).isEqualTo(state.ds1Site());
    assertThat(readable(at, "ds-2")).as("ds-2 %s", when)
        .isEqualTo(state.ds2Active() ? List.of("ds-2") : List.of());
  }
}
