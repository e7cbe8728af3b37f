package io.vxdata.jdbc.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vxdata.AsOf;
import io.vxdata.ForbiddenException;
import io.vxdata.NotFoundException;
import io.vxdata.ValidationException;
import io.vxdata.release.Release;
import io.vxdata.release.ReleasePage;
import io.vxdata.release.Releases;
import io.vxdata.spi.Limits;
import io.vxdata.spi.ReleaseNames;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * {@link Releases} over the table {@code vx_release} (see {@code V4__releases.sql}), with the rights
 * of one {@link Caller}; and the one place where a read's {@link AsOf#release(String)} becomes a time
 * ({@link #resolve}).
 */
final class JdbcReleases implements Releases {

  /** The fingerprint the cursors of the list carry: there is only one list. */
  private static final String LIST = Cursors.fingerprint(JsonNodeFactory.instance.textNode("releases"));

  private final Transactions transactions;
  private final Cursors cursors;
  /** Name → time of releases read so far; never moved or deleted, so never stale. Absence is not kept. */
  private final Map<String, Instant> times;
  private final Caller caller;

  JdbcReleases(Transactions transactions, Cursors cursors) {
    this(transactions, cursors, new ConcurrentHashMap<>(), Caller.SYSTEM);
  }

  private JdbcReleases(Transactions transactions, Cursors cursors, Map<String, Instant> times, Caller caller) {
    this.transactions = transactions;
    this.cursors = cursors;
    this.times = times;
    this.caller = caller;
  }

  /** The same releases, with {@code who}'s rights. */
  JdbcReleases as(Caller who) {
    return new JdbcReleases(transactions, cursors, times, who);
  }

  /**
   * {@code asOf} with a release replaced by the release's time; the other kinds as they are.
   *
   * @throws ValidationException naming {@code release} if there is no such release
   */
  AsOf resolve(AsOf asOf) {
    Optional<String> name = asOf.release();
    if (name.isEmpty()) {
      return asOf;
    }
    Instant at = times.get(name.get());
    if (at == null) {
      at = transactions.withHandle(h -> find(h, name.get())).map(Release::transactionTime)
          .orElseThrow(() -> ValidationException.of(null, "release", "no release '%s'", name.get()));
      times.put(name.get(), at);
    }
    return AsOf.at(at);
  }

  @Override
  public Release create(String name, AsOf at, String description) {
    ReleaseNames.check(name, "name");
    if (at == null || at.release().isPresent()) {
      throw ValidationException.of(null, "as_of", "a release names a time: give a date-time, or none for the last commit");
    }
    if (description != null && description.length() > MAX_DESCRIPTION) {
      throw ValidationException.of(null, "description", "must be at most %d characters, not %d", MAX_DESCRIPTION,
          description.length());
    }
    return transactions.change(caller, "create_release", (h, lastTx, tx) -> {
      if (!Rights.load(h, caller).admin()) {
        throw new ForbiddenException("principal '%s' may not create releases: that needs an admin",
            caller.principalId());
      }
      Instant time = at.instant().orElse(lastTx);
      if (time.isAfter(lastTx)) {
        // Only a time at or before the last commit has a final answer (docs/behaviour.md §4).
        throw ValidationException.of(null, "as_of", "%s is after the last commit (%s); a release names a past time",
            time, lastTx);
      }
      if (find(h, name).isPresent()) {
        throw ValidationException.of(null, "name", "release '%s' exists already; a release is never moved", name);
      }
      Release release = new Release(name, time, description, caller.principalId(), tx);
      h.createUpdate("INSERT INTO vx_release (name, tx_time, description, created_by, created_at)"
              + " VALUES (?, ?, ?, ?, ?)")
          .bind(0, Sql.text(name)).bind(1, Sql.time(time)).bind(2, Sql.text(description))
          .bind(3, Sql.text(release.createdBy())).bind(4, Sql.time(tx))
          .execute();
      return Transactions.Changed.one(release);
    });
  }

  @Override
  public Release get(String name) {
    ReleaseNames.check(name, "name");
    return transactions.withHandle(h -> {
      Rights.load(h, caller); // refuses a disabled principal
      return find(h, name);
    }).orElseThrow(() -> NotFoundException.of(null, "no release '%s'", name));
  }

  @Override
  public ReleasePage list(Integer limit, String cursor) {
    int size = Limits.pageSize(limit);
    Cursors.Position after = cursor == null ? null : cursors.decodeText(cursor, LIST);
    List<Release> page = transactions.withHandle(h -> {
      Rights.load(h, caller);
      String where = after == null ? "" : " WHERE tx_time < ? OR (tx_time = ? AND name > ?)";
      var q = h.createQuery(SELECT + where + " ORDER BY tx_time DESC, name ASC")
          .setMaxRows(size + 1);
      if (after != null) {
        q.bind(0, Sql.time(after.pinnedAt())).bind(1, Sql.time(after.pinnedAt()))
            .bind(2, Sql.text((String) after.lastKey().get(0)));
      }
      return q.map((rs, ctx) -> release(rs)).list();
    });
    List<Release> releases = new ArrayList<>(page.subList(0, Math.min(size, page.size())));
    String next = null;
    if (page.size() > size) {
      Release last = releases.get(size - 1);
      next = cursors.encode(LIST, last.transactionTime(), List.of(last.name()));
    }
    return new ReleasePage(releases, next, size);
  }

  private static final String SELECT = "SELECT name, tx_time, description, created_by, created_at FROM vx_release";

  private static Optional<Release> find(Handle h, String name) {
    return h.createQuery(SELECT + " WHERE name = ?").bind(0, Sql.text(name))
        .map((rs, ctx) -> release(rs)).findOne();
  }

  private static Release release(ResultSet rs) throws SQLException {
    return new Release(rs.getString(1), TypeTable.instant(rs, 2), rs.getString(3), rs.getString(4),
        TypeTable.instant(rs, 5));
  }
}
