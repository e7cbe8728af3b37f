package io.vxdata.jdbc.internal;

import io.vxdata.ChangeEntry;
import io.vxdata.ChangeOperation;
import io.vxdata.ChangesPage;
import io.vxdata.ValidationException;
import io.vxdata.spi.Identifiers;
import io.vxdata.spi.Instants;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jdbi.v3.core.argument.Argument;

/**
 * The change feed (docs/behaviour.md §14.2): every version written after a position, in commit
 * order — by {@code updated_at}, then identifier, a key no two versions share, since a transaction
 * writes at most one version of an identifier.
 *
 * <p>Every version is one row, in the current or the history table of the type it was written under,
 * and both tables have an index on {@code (updated_at, identifier)}: a page is one statement, a
 * {@code UNION ALL} of keyset range seeks of both tables of every type (two per table when the page
 * continues inside a transaction), each stopped after a page. The operation is
 * worked out in the same statement from the row and, for an update, its predecessor (the same
 * identifier's previous version, in the same type's history: only a create changes the type), found
 * by a primary-key probe.
 *
 * <p>Pages end at the snapshot's last commit time: a later commit has a later time, so no version
 * can turn up behind a position a reader has passed. The token is the last entry's time and
 * identifier, or the last commit time on a page that reached it; it holds nothing but data, so every
 * process accepts it, after restarts too.
 */
final class Changes {

  /** Where a page starts: after {@code time}, and when {@code identifier} is set, after that identifier at it. */
  record Position(Instant time, String identifier) {}

  /** Tokens start with this, which no time does (years start with a digit). */
  private static final String TOKEN_PREFIX = "c1_";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private static final ChangeOperation[] OPERATIONS = {ChangeOperation.CREATED, ChangeOperation.UPDATED,
      ChangeOperation.DELETED, ChangeOperation.RESTORED, ChangeOperation.MOVED};

  private final Snapshot snapshot;
  private final Dialect dialect;

  Changes(Snapshot snapshot, Dialect dialect) {
    this.snapshot = snapshot;
    this.dialect = dialect;
  }

  /**
   * The position {@code since} names: a token, or a time to start strictly after; null for the start.
   *
   * @throws ValidationException naming {@code since} when it is neither
   */
  static Position position(String since) {
    if (since == null) {
      return null;
    }
    if (!since.startsWith(TOKEN_PREFIX)) {
      if (since.isEmpty() || !Character.isDigit(since.charAt(0))) {
        throw ValidationException.of(null, "since", "is neither a token of the change feed nor a date-time "
            + "with offset or a date");
      }
      return new Position(Instants.parse(since, "since"), null);
    }
    try {
      ByteBuffer bytes = ByteBuffer.wrap(DECODER.decode(since.substring(TOKEN_PREFIX.length())));
      long micros = bytes.getLong();
      Instant time = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
          Math.floorMod(micros, 1_000_000L) * 1_000L);
      String identifier = bytes.hasRemaining()
          ? StandardCharsets.UTF_8.newDecoder().decode(bytes).toString() : null;
      if (identifier != null && !Identifiers.isValid(identifier)) {
        // Only an altered token holds one; it would reach SQL as a parameter (a NUL fails there).
        throw new IllegalArgumentException("not an identifier");
      }
      return new Position(Instants.check(time, "since"), identifier);
    } catch (ValidationException e) {
      throw e;
    } catch (RuntimeException | java.nio.charset.CharacterCodingException e) {
      throw ValidationException.of(null, "since", "is not a token of the change feed, or was altered");
    }
  }

  /** The token of {@code position}. */
  static String token(Position position) {
    byte[] id = position.identifier() == null ? new byte[0] : position.identifier().getBytes(StandardCharsets.UTF_8);
    ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES + id.length);
    // Microseconds by hand: ChronoUnit.MICROS.between counts nanoseconds first, which overflow after 2262.
    Instant t = position.time();
    bytes.putLong(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000L)).put(id);
    return TOKEN_PREFIX + ENCODER.encodeToString(bytes.array());
  }

  /**
   * One page of the versions after {@code after} (all when null) at or before the snapshot's time, of
   * {@code types}, under {@code datasource} when set, that the reader may see.
   */
  ChangesPage page(Position after, int limit, List<TypeTable> types, String datasource) {
    Instant at = snapshot.at();
    List<ChangeEntry> rows = types.isEmpty() ? List.of() : rows(after, limit + 1, types, datasource);
    boolean done = rows.size() <= limit;
    List<ChangeEntry> entries = done ? rows : rows.subList(0, limit);
    Position next;
    if (!done) {
      ChangeEntry last = entries.get(limit - 1);
      next = new Position(last.transactionTime(), last.identifier());
    } else if (after != null && after.time().isAfter(at)) {
      next = after;
    } else {
      // Everything up to the last commit has been seen, whatever of it the reader may not see.
      next = new Position(at, null);
    }
    return new ChangesPage(entries, token(next), done, limit, at);
  }

  private List<ChangeEntry> rows(Position after, int rows, List<TypeTable> types, String datasource) {
    List<Argument> args = new ArrayList<>();
    List<String> branches = new ArrayList<>();
    for (TypeTable table : types) {
      for (String source : List.of(table.current(), table.history())) {
        if (after != null && after.identifier() != null) {
          // The rest of the transaction the last page ended in, then what came after it: two range
          // seeks of (updated_at, identifier), so a page inside a large transaction starts where the
          // last one stopped instead of filtering the part already returned.
          branches.add(branch(table, source, "r.updated_at = ? AND r.identifier > " + dialect.identifierParameter(),
              List.of(Sql.time(after.time()), Sql.text(after.identifier())), rows, datasource, args));
          branches.add(branch(table, source, "r.updated_at > ?", List.of(Sql.time(after.time())), rows, datasource,
              args));
        } else {
          branches.add(branch(table, source, after == null ? null : "r.updated_at > ?",
              after == null ? List.of() : List.of(Sql.time(after.time())), rows, datasource, args));
        }
      }
    }
    String text = String.join(" UNION ALL ", branches) + " ORDER BY updated_at, identifier LIMIT ?";
    args.add((i, st, ctx) -> st.setInt(i, rows));
    return Sql.bindAll(snapshot.handle().createQuery(text), args)
        .map((rs, ctx) -> new ChangeEntry(TypeTable.instant(rs, 1), rs.getString(2), rs.getString(5),
            OPERATIONS[rs.getInt(6)], rs.getLong(3), rs.getString(4)))
        .list();
  }

  /**
   * One branch: up to {@code rows} versions of {@code source} (a table of {@code table}'s type) that
   * meet {@code position}, at or before the snapshot's time, visible, under {@code datasource} when
   * set, in commit order; appends its arguments to {@code args}.
   */
  private String branch(TypeTable table, String source, String position, List<Argument> positionArgs, int rows,
      String datasource, List<Argument> args) {
    Visibility visibility = snapshot.visibility();
    // The predecessor counts only when the reader may see it: an operation or a datasource read off a
    // version it may not see would tell of that version.
    List<Argument> operationArgs = new ArrayList<>();
    String predecessorRule = visibility.rule(operationArgs);
    String predecessor = " FROM " + table.history() + " p WHERE p.identifier = r.identifier"
        + " AND p.version = r.version - 1" + (predecessorRule == null ? "" : " AND " + predecessorRule);
    StringBuilder sql = new StringBuilder("SELECT r.updated_at, r.identifier, r.version, r.parent_identifier, '")
        .append(table.name()).append("' AS vx_type, CASE WHEN r.created_at = r.updated_at THEN 0")
        .append(" WHEN r.is_deleted THEN 2 ELSE COALESCE((SELECT CASE WHEN p.is_deleted THEN 3")
        .append(" WHEN p.parent_identifier IS NOT DISTINCT FROM r.parent_identifier THEN 1 ELSE 4 END")
        .append(predecessor).append("), 0) END AS vx_op FROM ").append(source).append(" r WHERE r.updated_at <= ?");
    args.addAll(operationArgs);
    args.add(Sql.time(snapshot.at()));
    if (position != null) {
      sql.append(" AND ").append(position);
      args.addAll(positionArgs);
    }
    String rule = visibility.rule(args);
    if (rule != null) {
      sql.append(" AND ").append(rule);
    }
    if (datasource != null) {
      // Under the datasource, or moved out of it: a move across datasources is in both feeds.
      List<Argument> movedArgs = new ArrayList<>();
      String movedRule = visibility.rule(movedArgs);
      sql.append(" AND (r.").append(TypeTable.ROOT).append(" = ? OR (r.created_at <> r.updated_at AND EXISTS (SELECT 1")
          .append(" FROM ").append(table.history()).append(" p WHERE p.identifier = r.identifier")
          .append(" AND p.version = r.version - 1 AND p.").append(TypeTable.ROOT).append(" = ?")
          .append(movedRule == null ? "" : " AND " + movedRule).append(")))");
      args.add(Sql.text(datasource));
      args.add(Sql.text(datasource));
      args.addAll(movedArgs);
    }
    args.add((i, st, ctx) -> st.setInt(i, rows));
    return "(" + sql + " ORDER BY r.updated_at, r.identifier LIMIT ?)";
  }
}
