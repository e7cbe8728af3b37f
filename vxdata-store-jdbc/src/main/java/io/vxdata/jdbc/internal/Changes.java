package io.vxdata.jdbc.internal;

import io.vxdata.ChangeEntry;
import io.vxdata.ChangeOperation;
import io.vxdata.ChangesPage;
import io.vxdata.ValidationException;
import io.vxdata.spi.Identifiers;
import io.vxdata.spi.Instants;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import io.vxdata.relation.Link;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.Query;

/**
 * The change feed (docs/behaviour.md §14.2): every version written and every link attached or detached
 * (docs/behaviour.md §15.1) after a position, in commit order — by time, then versions before link
 * changes, versions by identifier (a transaction writes at most one version of an identifier) and
 * link changes by relation, source and target (see {@link LinkChanges}): a key no two entries share.
 *
 * <p>Every version is one row, in the current or the history table of the type it was written under,
 * and both tables have an index on {@code (updated_at, identifier)}; every link change is a row of
 * {@code vx_link} by its {@code valid_from} or its {@code valid_to}, each indexed with the link. A page
 * is one statement, a {@code UNION ALL} of keyset range seeks of both tables of every type and of
 * the link table for each kind of link change and pair of types (two per source when the page
 * continues inside a transaction), each stopped after a page. The operation of a version is
 * worked out in the same statement from the row and, for an update, its predecessor (the same
 * identifier's previous version, in the same type's history: only a create changes the type), found
 * by a primary-key probe.
 *
 * <p>Pages end at the snapshot's last commit time: a later commit has a later time, so no entry
 * can turn up behind a position a reader has passed. The token is the last entry's time and key,
 * or the last commit time on a page that reached it; it holds nothing but data, so every
 * process accepts it, after restarts too.
 */
final class Changes {

  /**
   * Where a page starts: after {@code time}; when {@code identifier} is set, after that identifier's
   * version at it; when {@code link} is set, after that link's change at it (and every version at it).
   */
  record Position(Instant time, String identifier, Link link) {

    /** After everything at {@code time}. */
    Position(Instant time) {
      this(time, null, null);
    }
  }

  /** Tokens of old: time, then the identifier of a version when there is one. */
  private static final String TOKEN_V1 = "c1_";
  /** Tokens now: time, then a kind byte and the key of a version (0) or a link change (1), if any. */
  private static final String TOKEN_PREFIX = "c2_";
  private static final byte VERSION_KEY = 0;
  private static final byte LINK_KEY = 1;
  private static final Pattern RELATION = Pattern.compile("[a-z][a-z0-9_]{0,49}");
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** The operations by the code a statement gives them (vx_op). */
  private static final ChangeOperation[] OPERATIONS = {ChangeOperation.CREATED, ChangeOperation.UPDATED,
      ChangeOperation.DELETED, ChangeOperation.RESTORED, ChangeOperation.MOVED, ChangeOperation.ATTACHED,
      ChangeOperation.DETACHED};

  private final Snapshot snapshot;
  private final Dialect dialect;

  Changes(Snapshot snapshot, Dialect dialect) {
    this.snapshot = snapshot;
    this.dialect = dialect;
  }

  /**
   * The position {@code since} names: a token (of this version or the one before), or a time to start
   * strictly after; null for the start.
   *
   * @throws ValidationException naming {@code since} when it is neither
   */
  static Position position(String since) {
    if (since == null) {
      return null;
    }
    boolean v1 = since.startsWith(TOKEN_V1);
    if (!v1 && !since.startsWith(TOKEN_PREFIX)) {
      if (since.isEmpty() || !Character.isDigit(since.charAt(0))) {
        throw ValidationException.of(null, "since", "is neither a token of the change feed nor a date-time "
            + "with offset or a date");
      }
      return new Position(Instants.parse(since, "since"));
    }
    try {
      ByteBuffer bytes = ByteBuffer.wrap(DECODER.decode(since.substring(TOKEN_PREFIX.length())));
      long micros = bytes.getLong();
      Instant time = Instants.check(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
          Math.floorMod(micros, 1_000_000L) * 1_000L), "since");
      if (!bytes.hasRemaining()) {
        return new Position(time);
      }
      byte kind = v1 ? VERSION_KEY : bytes.get();
      if (kind == VERSION_KEY) {
        return new Position(time, identifier(utf8(bytes)), null);
      }
      if (kind != LINK_KEY) {
        throw new IllegalArgumentException("unknown kind");
      }
      String relation = text(bytes);
      if (!RELATION.matcher(relation).matches()) {
        throw new IllegalArgumentException("not a relation");
      }
      Link link = new Link(relation, identifier(text(bytes)), identifier(text(bytes)));
      if (bytes.hasRemaining()) {
        throw new IllegalArgumentException("trailing bytes");
      }
      return new Position(time, null, link);
    } catch (ValidationException e) {
      throw e;
    } catch (RuntimeException | CharacterCodingException e) {
      throw invalidToken();
    }
  }

  /** Strict UTF-8: an altered token fails instead of reading replacement characters. */
  private static String utf8(ByteBuffer bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder().decode(bytes).toString();
  }

  private static ValidationException invalidToken() {
    return ValidationException.of(null, "since", "is not a token of the change feed, or was altered");
  }

  /** {@code text} when it is an identifier: only an altered token holds another (a NUL would fail in SQL). */
  private static String identifier(String text) {
    if (!Identifiers.isValid(text)) {
      throw new IllegalArgumentException("not an identifier");
    }
    return text;
  }

  /** A text of a token: its length in UTF-8 bytes (two bytes), then the bytes. */
  private static String text(ByteBuffer bytes) throws CharacterCodingException {
    int length = Short.toUnsignedInt(bytes.getShort());
    ByteBuffer slice = bytes.slice().limit(length);
    bytes.position(bytes.position() + length);
    return utf8(slice);
  }

  /** The token of {@code position}. */
  static String token(Position position) {
    ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES + 1 + 3 * Short.BYTES + 3 * 4 * 255);
    // Microseconds by hand: ChronoUnit.MICROS.between counts nanoseconds first, which overflow after 2262.
    Instant t = position.time();
    bytes.putLong(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000L));
    if (position.identifier() != null) {
      bytes.put(VERSION_KEY).put(position.identifier().getBytes(StandardCharsets.UTF_8));
    } else if (position.link() != null) {
      bytes.put(LINK_KEY);
      for (String text : List.of(position.link().relation(), position.link().from(), position.link().to())) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        bytes.putShort((short) utf8.length).put(utf8);
      }
    }
    return TOKEN_PREFIX + ENCODER.encodeToString(Arrays.copyOf(bytes.array(), bytes.position()));
  }

  /**
   * One page of the entries after {@code after} (all when null) at or before the snapshot's time: the
   * versions of {@code types} and the link changes of relations from or to one of them, under
   * {@code datasource} when set (for a link, either end), that the reader may see.
   */
  ChangesPage page(Position after, int limit, List<TypeTable> types, String datasource) {
    Instant at = snapshot.at();
    List<ChangeEntry> rows = types.isEmpty() ? List.of() : rows(after, limit + 1, types, datasource);
    boolean done = rows.size() <= limit;
    List<ChangeEntry> entries = done ? rows : rows.subList(0, limit);
    Position next;
    if (!done) {
      ChangeEntry last = entries.get(limit - 1);
      next = new Position(last.transactionTime(), last.identifier(), last.link());
    } else if (after != null && after.time().isAfter(at)) {
      next = after;
    } else {
      // Everything up to the last commit has been seen, whatever of it the reader may not see.
      next = new Position(at);
    }
    return new ChangesPage(entries, token(next), done, limit, at);
  }

  private List<ChangeEntry> rows(Position after, int rows, List<TypeTable> types, String datasource) {
    return statement("", after, rows, types, datasource)
        .map((rs, ctx) -> {
          Instant t = TypeTable.instant(rs, 1);
          ChangeOperation op = OPERATIONS[rs.getInt(7)];
          return op.isLinkChange()
              ? ChangeEntry.ofLink(t, op, new Link(rs.getString(8), rs.getString(9), rs.getString(10)))
              : ChangeEntry.ofVersion(t, rs.getString(3), rs.getString(6), op, rs.getLong(4), rs.getString(5));
        })
        .list();
  }

  /** The plan of the statement of a page like {@link #page}'s, for tests that check it seeks indexes. */
  String explain(Position after, int limit, List<TypeTable> types, String datasource) {
    return String.join("\n", statement(dialect == Dialect.POSTGRESQL ? "EXPLAIN ANALYZE " : "EXPLAIN ", after,
        limit + 1, types, datasource).mapTo(String.class).list());
  }

  private Query statement(String prefix, Position after, int rows, List<TypeTable> types, String datasource) {
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
    LinkChanges links = new LinkChanges(snapshot);
    java.util.Set<String> names = new java.util.HashSet<>();
    types.forEach(t -> names.add(t.name()));
    for (LinkChanges.Group group : links.groups(
        r -> names.contains(r.sourceType()) || names.contains(r.targetType()))) {
      // A branch per relation: the index on (relation, time, source_id, target_id) gives its changes in
      // the feed's order, from where a position stands.
      for (String relation : group.relations()) {
        for (LinkChanges.Kind kind : LinkChanges.Kind.values()) {
          String time = "l." + kind.time;
          if (after == null) {
            branches.add(linkBranch(links, kind, group, relation, null, List.of(), rows, datasource, args));
            continue;
          }
          if (after.identifier() != null) {
            // The link changes of the transaction the last page ended in, which come after its versions.
            branches.add(linkBranch(links, kind, group, relation, time + " = ?", List.of(Sql.time(after.time())), rows,
                datasource, args));
          } else if (after.link() != null) {
            Link l = after.link();
            // The rest of that transaction: of this relation after the link, or all of it when the
            // relation sorts after the link's (the database compares, as the page's order does).
            branches.add(relation.equals(l.relation())
                ? linkBranch(links, kind, group, relation, time + " = ? AND (l.source_id, l.target_id) > (?, ?)",
                    List.of(Sql.time(after.time()), Sql.text(l.from()), Sql.text(l.to())), rows, datasource, args)
                : linkBranch(links, kind, group, relation, time + " = ? AND l.relation > ?",
                    List.of(Sql.time(after.time()), Sql.text(l.relation())), rows, datasource, args));
          }
          branches.add(linkBranch(links, kind, group, relation, time + " > ?", List.of(Sql.time(after.time())), rows,
              datasource, args));
        }
      }
    }
    String text = String.join(" UNION ALL ", branches)
        + " ORDER BY vx_t, vx_kind, vx_id, vx_rel, vx_src, vx_tgt LIMIT ?";
    args.add((i, st, ctx) -> st.setInt(i, rows));
    return Sql.bindAll(snapshot.handle().createQuery(prefix + text), args);
  }

  /**
   * One branch of link changes of {@code kind} to links of {@code relation} (of {@code group}) that
   * meet {@code position}, in the feed's order, at most {@code rows}; appends its arguments to {@code args}.
   */
  private String linkBranch(LinkChanges links, LinkChanges.Kind kind, LinkChanges.Group group, String relation,
      String position, List<Argument> positionArgs, int rows, String datasource, List<Argument> args) {
    String time = "l." + kind.time;
    StringBuilder sql = new StringBuilder("SELECT ").append(time).append(" AS vx_t, 1 AS vx_kind,")
        .append(" CAST(NULL AS VARCHAR(255)) AS vx_id, CAST(NULL AS BIGINT) AS version,")
        .append(" CAST(NULL AS VARCHAR(255)) AS parent_identifier, CAST(NULL AS VARCHAR(50)) AS vx_type, ")
        .append(List.of(OPERATIONS).indexOf(kind.operation))
        .append(" AS vx_op, l.relation AS vx_rel, l.source_id AS vx_src, l.target_id AS vx_tgt FROM vx_link l WHERE ")
        .append(links.where(kind, group, List.of(relation), datasource, args));
    if (position != null) {
      sql.append(" AND ").append(position);
      args.addAll(positionArgs);
    }
    args.add((i, st, ctx) -> st.setInt(i, rows));
    return "(" + sql + " ORDER BY " + time + ", l.source_id, l.target_id LIMIT ?)";
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
    StringBuilder sql = new StringBuilder("SELECT r.updated_at AS vx_t, 0 AS vx_kind, r.identifier AS vx_id,")
        .append(" r.version, r.parent_identifier, CAST('").append(table.name())
        .append("' AS VARCHAR(50)) AS vx_type, CASE WHEN r.created_at = r.updated_at THEN 0")
        .append(" WHEN r.is_deleted THEN 2 ELSE COALESCE((SELECT CASE WHEN p.is_deleted THEN 3")
        .append(" WHEN p.parent_identifier IS NOT DISTINCT FROM r.parent_identifier THEN 1 ELSE 4 END")
        .append(predecessor).append("), 0) END AS vx_op, CAST(NULL AS VARCHAR(50)) AS vx_rel,")
        .append(" CAST(NULL AS VARCHAR(255)) AS vx_src, CAST(NULL AS VARCHAR(255)) AS vx_tgt FROM ").append(source)
        .append(" r WHERE r.updated_at <= ?");
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
