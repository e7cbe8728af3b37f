package io.vxdata.bench;

import io.vxdata.bench.QueryScenario.Pair;
import io.vxdata.bench.QueryScenario.Timing;
import io.vxdata.query.QueryPage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Times two paths of one query against each other the way the query scenarios do: untimed warm-up,
 * then interleaved timed repetitions (the first path alternating), medians; a watchdog cancels a
 * query running past {@code --query-timeout}. Also the JDBC helpers both query scenarios run their
 * baselines with. Shared by {@link QueryScenario} and {@link AccessScenario}.
 */
final class PathTimer implements AutoCloseable {

  private final BenchOptions options;
  private final Watchdog watchdog;
  /** Keys of the queries that took over 10 s or were cancelled: explained without ANALYZE. */
  private final Set<String> slow = new HashSet<>();

  PathTimer(Backend.Database db, boolean pg, BenchOptions options) {
    this.options = options;
    this.watchdog = new Watchdog(db, pg, options.queryTimeoutSeconds() * 1000L);
  }

  /** Whether the query of {@code key} ran too long to be repeated or analysed. */
  boolean slow(String key) {
    return slow.contains(key);
  }

  /** The call's result, or {@code null} if it was cancelled for running too long. */
  <T> T run(Callable<T> call) throws Exception {
    return watchdog.run(call);
  }

  @Override
  public void close() {
    watchdog.close();
  }

  // ---- timing ----

  /**
   * Runs both paths {@code --query-warmup} times untimed (the first run also compares their results),
   * then {@code --query-reps} times each, interleaved, the first path alternating. A query slower than
   * 2 s gets at most 3 timed runs; one slower than 10 s is timed by its first run alone; one running
   * past {@code --query-timeout} is cancelled and reported as such.
   */
  Pair compare(String key, Callable<List<String>> vx, Callable<List<String>> sql) throws Exception {
    long s0 = System.nanoTime();
    List<String> a = watchdog.run(vx);
    long s1 = System.nanoTime();
    List<String> b = watchdog.run(sql);
    long s2 = System.nanoTime();
    boolean vxOut = a == null;
    boolean sqlOut = b == null;
    boolean same = vxOut || sqlOut || a.equals(b);
    String diff = same ? "" : "VxData " + head(a) + " vs SQL " + head(b);
    long slowest = Math.max(s1 - s0, s2 - s1);
    if (vxOut || sqlOut || slowest > 10_000_000_000L) {
      slow.add(key);
      return new Pair(single(s1 - s0, vxOut), single(s2 - s1, sqlOut), same, diff);
    }
    int reps = options.queryReps();
    int warmup = options.queryWarmup() - 1;
    if (slowest > 2_000_000_000L) {
      reps = Math.min(reps, 3);
      warmup = 0;
    }
    long[][] t = interleave(nonEmpty(vx), nonEmpty(sql), warmup, reps);
    return new Pair(timing(t[0]), timing(t[1]), same, diff);
  }

  /**
   * Untimed warm-up of both paths, then {@code reps} timed runs of each, the first path alternating.
   *
   * @return the nanoseconds of each run: {first's, second's}
   */
  static long[][] interleave(Callable<?> first, Callable<?> second, int warmup, int reps) throws Exception {
    for (int w = 0; w < warmup; w++) {
      first.call();
      second.call();
    }
    System.gc();
    long[] tf = new long[reps];
    long[] ts = new long[reps];
    for (int r = 0; r < reps; r++) {
      if (r % 2 == 0) {
        tf[r] = time(first);
        ts[r] = time(second);
      } else {
        ts[r] = time(second);
        tf[r] = time(first);
      }
    }
    return new long[][] {tf, ts};
  }

  /** Nanoseconds of one call. */
  static long time(Callable<?> call) throws Exception {
    long t = System.nanoTime();
    call.call();
    return System.nanoTime() - t;
  }

  private static Timing single(long nanos, boolean timedOut) {
    return new Timing(nanos / 1e6, nanos / 1e6, nanos / 1e6, 1, timedOut);
  }

  /** The path, failing when it returns nothing (a timed query must do some work). */
  private static Callable<List<String>> nonEmpty(Callable<List<String>> path) {
    return () -> {
      List<String> result = path.call();
      if (result.isEmpty()) {
        throw new IllegalStateException("a timed query returned nothing");
      }
      return result;
    };
  }

  private static Timing timing(long[] nanos) {
    long[] v = nanos.clone();
    Arrays.sort(v);
    return new Timing(Stats.medianMs(v), v[0] / 1e6, v[v.length - 1] / 1e6, v.length, false);
  }

  /**
   * Cancels whatever the benchmark's sessions are running once a call has taken longer than the
   * timeout (the store gives no handle on its statements, so this asks the database, from a
   * connection of its own).
   */
  static final class Watchdog implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "query-watchdog");
      t.setDaemon(true);
      return t;
    });
    private final Backend.Database db;
    private final boolean pg;
    private final long timeoutMs;
    private volatile boolean fired;

    Watchdog(Backend.Database db, boolean pg, long timeoutMs) {
      this.db = db;
      this.pg = pg;
      this.timeoutMs = timeoutMs;
    }

    /** The call's result, or {@code null} if it was cancelled for running too long. */
    <T> T run(Callable<T> call) throws Exception {
      fired = false;
      ScheduledFuture<?> alarm = timer.schedule(this::cancelAll, timeoutMs, TimeUnit.MILLISECONDS);
      try {
        return call.call();
      } catch (Exception e) {
        if (fired) {
          return null;
        }
        throw e;
      } finally {
        alarm.cancel(false);
      }
    }

    private void cancelAll() {
      fired = true;
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        if (pg) {
          s.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
              + " AND pid <> pg_backend_pid() AND state = 'active' AND backend_type = 'client backend'");
        } else {
          List<Long> sessions = new ArrayList<>();
          try (ResultSet rs = s.executeQuery("SELECT SESSION_ID FROM INFORMATION_SCHEMA.SESSIONS"
              + " WHERE EXECUTING_STATEMENT IS NOT NULL AND SESSION_ID <> SESSION_ID()")) {
            while (rs.next()) {
              sessions.add(rs.getLong(1));
            }
          }
          for (long id : sessions) {
            s.execute("CALL CANCEL_SESSION(" + id + ")");
          }
        }
      } catch (SQLException e) {
        System.err.println("warning: could not cancel a query past the timeout: " + e.getMessage());
      }
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }

  private static String head(List<String> ids) {
    return ids.size() + " rows " + ids.subList(0, Math.min(3, ids.size())) + "...";
  }

  // ---- the two paths ----

  static List<String> ids(QueryPage page) {
    List<String> out = new ArrayList<>(page.results().size());
    page.results().forEach(r -> out.add(r.identifier()));
    return out;
  }

  /** Runs a page statement, reads every column of every row, returns the first LIMIT identifiers. */
  static List<String> rows(Connection c, String sql, List<Object> params) throws SQLException {
    List<String> ids = new ArrayList<>(QueryScenario.LIMIT + 1);
    try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String id = StudyCorpus.readRow(rs);
        if (id != null && ids.size() < QueryScenario.LIMIT) { // null: the store's commit row
          ids.add(id);
        }
      }
    }
    return ids;
  }

  static long scalar(Connection c, String sql, List<Object> params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < params.size(); i++) {
      Object p = params.get(i);
      if (p instanceof String s) {
        ps.setString(i + 1, s);
      } else if (p instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else if (p instanceof java.sql.Array a) {
        ps.setArray(i + 1, a);
      } else {
        ps.setObject(i + 1, p);
      }
    }
    return ps;
  }

}
