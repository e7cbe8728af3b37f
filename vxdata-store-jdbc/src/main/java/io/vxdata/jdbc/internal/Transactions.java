package io.vxdata.jdbc.internal;

import io.vxdata.Answer;
import io.vxdata.AsOf;
import io.vxdata.VxDataException;
import io.vxdata.Violation;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;

/**
 * Where every statement of the store runs: writes in transactions stamped with one transaction
 * time, reads in snapshots at one time or as one statement at the last commit, each with the
 * catalog of what it reads. Database failures leave here translated (see {@link SqlErrors}).
 *
 * <p><b>Ordering writers.</b> Every write runs in one database transaction that first locks the
 * single row of {@code vx_meta} ({@code SELECT ... FOR UPDATE}; in this process a fair lock is
 * taken first so threads queue in Java rather than in the database). Under that lock it reads the
 * last transaction time, picks {@code max(clock, last + 1µs)}, stamps every new version with it
 * and stores it as the new last time before committing. Commits are therefore totally ordered and
 * their times strictly increase, across threads and across processes sharing a database. A reader
 * at time {@code t <= lastCommitTime()} can never see a later commit, since any such commit has a
 * time greater than {@code t}: the answer is final.
 */
final class Transactions {

  /** What a write's body returned and the time it committed at (docs/behaviour.md §12.4). */
  record Committed<R>(R value, Instant at) {}

  /**
   * What a change other than a resource write (a payload type, a principal, a token, a grant) did,
   * for the transaction log: its answer, how many rows it changed (0: nothing, and no commit is
   * logged) and the datasources it concerns (their owners see it in the log).
   */
  record Changed<R>(R value, int count, Set<String> datasources) {

    static <R> Changed<R> one(R value, String... datasources) {
      return new Changed<>(value, 1, Set.of(datasources));
    }

    static <R> Changed<R> nothing(R value) {
      return new Changed<>(value, 0, Set.of());
    }
  }

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Clock clock;
  private final Catalogs catalogs;
  private final ReentrantLock writeLock = new ReentrantLock(true);
  private final CommitSignal commits = new CommitSignal();
  /**
   * The latest commit time this process has seen. A read at an earlier time needs history, so it
   * does not try the current tables first.
   */
  private final AtomicReference<Instant> lastSeenCommit = new AtomicReference<>(Instant.EPOCH);
  private final IdentifierTypes identifierTypes = new IdentifierTypes();

  Transactions(Jdbi jdbi, Dialect dialect, Clock clock, Catalogs catalogs) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.clock = clock;
    this.catalogs = catalogs;
  }

  /**
   * Runs one write: takes the write lock, picks the transaction time, runs {@code body} and, if it
   * wrote anything, records the time as the last commit time. Any exception rolls back everything.
   * A write that wrote nothing reports the last commit time read under the lock: no commit can
   * slip in between, so it is exactly the state the write saw.
   */
  <R> Committed<R> write(Function<WriteTransaction, R> body) {
    return write(Caller.SYSTEM, "write", body);
  }

  /**
   * {@link #write(Function)} for {@code caller}, whose rights the write checks, recording the commit
   * in the transaction log as {@code operation} (docs/behaviour.md §13.6).
   */
  <R> Committed<R> write(Caller caller, String operation, Function<WriteTransaction, R> body) {
    writeLock.lock();
    AtomicReference<WriteTransaction> attempt = new AtomicReference<>();
    try {
      Committed<R> committed = jdbi.inTransaction(h -> {
        dialect.beginWrite(h);
        Meta meta = Meta.lock(h);
        Catalog types = catalogs.of(h, meta);
        Instant tx = nextTime(meta);
        WriteTransaction w = new WriteTransaction(h, types, tx, caller);
        attempt.set(w);
        R result = body.apply(w);
        if (!w.wroteAnything()) {
          return new Committed<>(result, meta.lastTx());
        }
        h.createUpdate("UPDATE vx_meta SET last_tx = ? WHERE id = 1").bind(0, Sql.time(tx)).execute();
        log(h, tx, caller, operation, w.writtenCount(), w.touchedDatasources());
        // Ahead of the commit is harmless: a read at an earlier time then goes straight to history.
        sawCommit(tx);
        return new Committed<>(result, tx);
      });
      commits.committed();
      return committed;
    } catch (JdbiException e) {
      WriteTransaction failed = attempt.get();
      throw failed != null && SqlErrors.violatesKeyIndex(e, catalogs.current())
          ? SqlErrors.keyConflict(e, holders(failed)) : SqlErrors.translate(e);
    } finally {
      writeLock.unlock();
    }
  }

  /** The next transaction time after {@code meta}'s: the clock's, or 1 µs after the last if that is later. */
  private Instant nextTime(Meta meta) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    return now.isAfter(meta.lastTx()) ? now : meta.lastTx().plus(1, ChronoUnit.MICROS);
  }

  /**
   * Runs a change that writes no resource version (registering a payload type, administering
   * principals, tokens and grants) as a commit of its own (docs/behaviour.md §13.6): under the writers' lock, it
   * takes the next transaction time, advances the last commit time to it and is logged with
   * {@code operation}, when {@code body} changed anything. Any exception rolls back everything.
   */
  <R> R change(Caller caller, String operation, Function<Handle, Changed<R>> body) {
    return change(caller, operation, (h, lastTx, tx) -> body.apply(h));
  }

  /** What a {@link #change(Caller, String, ChangeBody)} runs: it knows the last commit and its own time. */
  interface ChangeBody<R> {
    Changed<R> apply(Handle h, Instant lastTx, Instant tx);
  }

  /**
   * {@link #change(Caller, String, Function)} for a change that needs the last commit time (read under
   * the writers' lock, so no commit slips in) and the time it will commit at, if it changes anything.
   */
  <R> R change(Caller caller, String operation, ChangeBody<R> body) {
    writeLock.lock();
    try {
      R value = jdbi.inTransaction(h -> {
        Meta meta = Meta.lock(h);
        Instant tx = nextTime(meta);
        Changed<R> changed = body.apply(h, meta.lastTx(), tx);
        if (changed.count() > 0) {
          h.createUpdate("UPDATE vx_meta SET last_tx = ? WHERE id = 1").bind(0, Sql.time(tx)).execute();
          log(h, tx, caller, operation, changed.count(), new TreeSet<>(changed.datasources()));
          sawCommit(tx);
        }
        return changed.value();
      });
      commits.committed();
      return value;
    } catch (JdbiException e) {
      throw SqlErrors.translate(e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Records a commit in the transaction log, with the datasources it touched (docs/behaviour.md §13.6). */
  private static void log(Handle h, Instant tx, Caller caller, String operation, int count, Set<String> touched) {
    h.createUpdate("INSERT INTO vx_transaction (tx_time, principal_id, operation, row_count, request_id)"
            + " VALUES (?, ?, ?, ?, ?)")
        .bind(0, Sql.time(tx)).bind(1, Sql.text(caller.principalId())).bind(2, Sql.text(operation))
        .bind(3, count).bind(4, Sql.text(caller.requestId()))
        .execute();
    var batch = h.prepareBatch("INSERT INTO vx_transaction_datasource (datasource_id, tx_time) VALUES (?, ?)");
    for (String datasource : touched) {
      batch.bind(0, Sql.text(datasource)).bind(1, Sql.time(tx)).add();
    }
    if (batch.size() > 0) {
      batch.execute();
    }
  }

  /** Who holds the keys a failed write claimed, read after its rollback; none if that fails too. */
  private List<Violation> holders(WriteTransaction failed) {
    try {
      return withHandle(failed::keyViolations);
    } catch (VxDataException unreadable) {
      return List.of();
    }
  }

  /**
   * Runs {@code body} in a transaction that holds the writers' locks, like a write, but without a
   * transaction time: for changes to the tables themselves.
   */
  void exclusively(Consumer<Handle> body) {
    writeLock.lock();
    try {
      jdbi.useTransaction(h -> {
        Meta.lock(h);
        body.accept(h);
      });
    } catch (JdbiException e) {
      throw SqlErrors.translate(e);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Answers a read of one statement alone when that answers it, else in a snapshot at {@code asOf}.
   * Most reads are at the last commit, and a page or count in the past is one statement too: alone, it
   * costs one round trip instead of a transaction of four.
   *
   * <ul>
   *   <li>At the last commit, or a time no earlier than the last commit this process saw: the statement
   *       reads the current tables at {@link Visibility#LAST_COMMIT} and that commit's time. It answers
   *       when that commit is no later than {@code asOf} (a later time pins the last commit, as
   *       {@link #inSnapshot} does).
   *   <li>At a time before a commit this process saw (a read in the past, or the next page of a walk
   *       after a commit): the statement takes the versions written at or before that time, from the
   *       current and history tables, and reads the last commit time alongside. Versions valid at a
   *       time never change once a commit at or after it is visible (every later commit has a later
   *       time), so it answers when the last commit it read is not before {@code asOf}.
   * </ul>
   *
   * Either way the statement also reads the catalog version, and answers only when the catalog is
   * the one the request was checked against.
   */
  <R> Answer<R> atLastCommitOrInSnapshot(Instant asOf, Catalog types, Caller caller,
      Function<Reading, Reading.Result<R>> statement) {
    Instant requested = asOf == null ? null : asOf.truncatedTo(ChronoUnit.MICROS);
    if (requested == null || !requested.isBefore(lastSeenCommit.get())) {
      Reading.Result<R> read = alone(types, Visibility.lastCommit(caller), statement);
      if (read.typesVersion() == types.version() && (requested == null || !read.at().isAfter(requested))) {
        return new Answer<>(read.value(), read.at());
      }
    }
    if (requested != null && requested.isBefore(lastSeenCommit.get())) {
      Reading.Result<R> read = alone(types, Visibility.at(requested, false, caller), statement);
      if (read.typesVersion() == types.version() && !read.lastCommit().isBefore(requested)) {
        return new Answer<>(read.value(), requested);
      }
    }
    return inSnapshot(requested, caller, s -> new Answer<>(statement.apply(s.reading()).value(), s.at()));
  }

  /** Runs {@code statement} alone on a connection of its own, outside a transaction. */
  private <R> Reading.Result<R> alone(Catalog types, Visibility visibility,
      Function<Reading, Reading.Result<R>> statement) {
    Reading.Result<R> read = withHandle(h -> statement.apply(new Reading(h, types, visibility, true)));
    sawCommit(read.lastCommit());
    return read;
  }

  /** Answers {@code body} over a snapshot at {@code asOf}, with the time the snapshot reads at. */
  <R> Answer<R> answerInSnapshot(AsOf asOf, Caller caller, Function<Snapshot, R> body) {
    return answer(asOf, caller, false, body);
  }

  /**
   * As {@link #answerInSnapshot}, for a {@code body} whose statements read rows by their keys (identifiers,
   * parents): the dialect may plan them for that ({@link Dialect#inReadSnapshot}).
   */
  <R> Answer<R> answerByKeys(AsOf asOf, Caller caller, Function<Snapshot, R> body) {
    return answer(asOf, caller, true, body);
  }

  private <R> Answer<R> answer(AsOf asOf, Caller caller, boolean byKeys, Function<Snapshot, R> body) {
    if (asOf.release().isPresent()) {
      throw new IllegalArgumentException("a release reaches here resolved to its time (JdbcReleases.resolve)");
    }
    return inSnapshot(asOf.instant().orElse(null), caller, byKeys, s -> new Answer<>(body.apply(s), s.at()));
  }

  /**
   * Runs {@code body} over a snapshot at {@code asOf}, or at the last commit time when it is null;
   * the catalog is refreshed first if another process registered a type.
   */
  <R> R inSnapshot(Instant asOf, Caller caller, Function<Snapshot, R> body) {
    return inSnapshot(asOf, caller, false, body);
  }

  private <R> R inSnapshot(Instant asOf, Caller caller, boolean byKeys, Function<Snapshot, R> body) {
    try {
      return dialect.inReadSnapshot(jdbi, byKeys, h -> {
        Meta meta = Meta.read(h);
        sawCommit(meta.lastTx());
        Catalog types = catalogs.of(h, meta);
        Instant at = readTime(asOf, meta.lastTx());
        // At the last commit the current tables, read in this snapshot, are the answer.
        return body.apply(new Snapshot(h, types, Visibility.at(at, at.equals(meta.lastTx()), caller), identifierTypes,
            meta));
      });
    } catch (JdbiException e) {
      throw SqlErrors.translate(e);
    }
  }

  /**
   * Runs {@code body} at {@code asOf} (the last commit when null or later) on one connection, outside
   * a transaction. Only for reads whose every statement takes the versions written at or before that
   * time by their {@code updated_at}, in both tables: such versions never change (an update moves the
   * old row to history as it was), so statements run one after another agree whatever commits in
   * between, and the transaction's round trips of {@link #inSnapshot} are saved. The visibility never
   * claims the current tables alone hold the state: a commit may land between two statements.
   */
  <R> R atFixedTime(Instant asOf, Caller caller, Function<Snapshot, R> body) {
    return withHandle(h -> {
      Meta meta = Meta.read(h);
      sawCommit(meta.lastTx());
      Instant at = readTime(asOf, meta.lastTx());
      return body.apply(new Snapshot(h, catalogs.of(h, meta), Visibility.at(at, false, caller), identifierTypes, meta));
    });
  }

  /**
   * The time a read asked for {@code asOf} reads at: the last commit when null. A time after the last
   * commit reads the latest state, and says so: a cursor pinned to a future time would let later
   * commits into a walk already under way.
   */
  private static Instant readTime(Instant asOf, Instant lastTx) {
    Instant requested = asOf == null ? lastTx : asOf.truncatedTo(ChronoUnit.MICROS);
    return requested.isAfter(lastTx) ? lastTx : requested;
  }

  /** See {@link JdbcVxData#logStatementsForTest}. */
  void logStatementsForTest(SqlLogger logger) {
    jdbi.getConfig(SqlStatements.class).setSqlLogger(logger);
  }

  /** Signals the commits of this process, after they are visible to readers. */
  CommitSignal commits() {
    return commits;
  }

  Dialect dialect() {
    return dialect;
  }

  Instant lastCommitTime() {
    return withHandle(h -> Meta.read(h).lastTx());
  }

  /** Runs {@code body} in a database transaction of its own, without the writers' lock. */
  <R> R inTransaction(Function<Handle, R> body) {
    try {
      return jdbi.inTransaction(body::apply);
    } catch (JdbiException e) {
      throw SqlErrors.translate(e);
    }
  }

  /** Runs {@code body} on a connection of its own, outside any transaction. */
  <R> R withHandle(Function<Handle, R> body) {
    try {
      return jdbi.withHandle(body::apply);
    } catch (JdbiException e) {
      throw SqlErrors.translate(e);
    }
  }

  private void sawCommit(Instant t) {
    lastSeenCommit.accumulateAndGet(t, (a, b) -> a.isAfter(b) ? a : b);
  }
}
