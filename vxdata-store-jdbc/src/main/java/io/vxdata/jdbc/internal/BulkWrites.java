package io.vxdata.jdbc.internal;

import io.vxdata.AccessLevel;
import io.vxdata.Cascade;
import io.vxdata.DeleteWhere;
import io.vxdata.Fields;
import io.vxdata.ForbiddenException;
import io.vxdata.ResourceUpdate;
import io.vxdata.UpdateWhere;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.query.Filter;
import io.vxdata.query.QueryRequest;
import io.vxdata.schema.BuiltInTypes;
import io.vxdata.schema.PayloadField;
import io.vxdata.spi.QueryValidator;
import io.vxdata.spi.WriteValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.argument.Argument;

/**
 * Writes by filter (docs/behaviour.md §15.5), planned and written in SQL inside one {@link WriteTransaction}:
 * the matching rows are counted, checked against the caller's rights and versioned by statements
 * over the current table ({@code INSERT ... SELECT} into history, then {@code UPDATE ... WHERE}),
 * never read into memory. The match is the query's own condition ({@link QuerySql#matching}) with the
 * caller's visibility, so what a caller cannot see is neither counted nor touched.
 */
final class BulkWrites {

  /** Metadata a write by filter may set besides payload fields; the rest would move, relink or retire rows. */
  private static final Set<String> SETTABLE_METADATA = Set.of(Fields.LICENSE, Fields.ACCESS_LEVEL);

  private final Dialect dialect;

  BulkWrites(Dialect dialect) {
    this.dialect = dialect;
  }

  /** The checked parts of a request: its table, and the matching condition on its current table. */
  private record Match(TypeTable table, String condition, List<Argument> args) {

    /** The condition's arguments, fresh for one more statement. */
    List<Argument> bind() {
      return new ArrayList<>(args);
    }
  }

  private Match match(WriteTransaction w, String payloadType, Filter filter) {
    if (payloadType == null) {
      throw ValidationException.of(null, Fields.PAYLOAD_TYPE, "is required");
    }
    TypeTable table = w.catalog().table(payloadType);
    if (table == null) {
      throw ValidationException.of(null, Fields.PAYLOAD_TYPE, "unknown payload type '%s'; registered: %s", payloadType,
          new TreeSet<>(w.catalog().tables().keySet()));
    }
    if (filter == null || filter instanceof Filter.And and && and.filters().isEmpty()) {
      throw ValidationException.of(null, "filter", "is required and may not be empty: a write by filter names the"
          + " resources it changes (to change them all, say so with a condition such as is_deleted = false)");
    }
    QueryValidator.ValidQuery query = QueryValidator.validate(QueryRequest.of(payloadType).filter(filter).build(),
        table.type());
    List<Argument> args = new ArrayList<>();
    String condition = new QuerySql(query, table, w.catalog(), dialect, Visibility.lastCommit(w.caller()), false)
        .matching(args);
    return new Match(table, condition, args);
  }

  private static void checkLimit(long expectAtMost) {
    if (expectAtMost < 0) {
      throw ValidationException.of(null, "expect_at_most", "must be 0 or more, not %d", expectAtMost);
    }
  }

  private long count(WriteTransaction w, TypeTable table, String condition, List<Argument> args) {
    return Sql.bindAll(w.handle().createQuery("SELECT COUNT(*) FROM " + table.current() + " WHERE " + condition), args)
        .mapTo(Long.class).one();
  }

  /** Refuses the write when the filter matches more visible resources than the request allows. */
  private void checkCount(WriteTransaction w, Match m, long expectAtMost) {
    long matched = count(w, m.table(), m.condition(), m.bind());
    if (matched > expectAtMost) {
      throw ValidationException.of(null, "expect_at_most", "the filter matches %d %s resources, more than"
          + " expect_at_most (%d); nothing was written", matched, m.table().name(), expectAtMost);
    }
  }

  /**
   * Refuses the write when a row of {@code table} meeting {@code condition} is one the caller may not
   * change (docs/behaviour.md §13.4): rows it may see but not edit, or, for a cascade, rows below it cannot see.
   */
  private void checkEditable(WriteTransaction w, TypeTable table, String condition, List<Argument> args, String what) {
    if (w.caller().kind() != Caller.Kind.PRINCIPAL) {
      return;
    }
    List<Argument> all = new ArrayList<>(args);
    Visibility view = Visibility.lastCommit(w.caller());
    String notEditable = view.editFlag(all) + " = 0";
    long refused = count(w, table, condition + " AND " + notEditable, all);
    if (refused > 0) {
      throw new ForbiddenException("principal '%s' may not change %d %s %s: that needs editor on their datasource"
          + " and a clearance of at least their access level; nothing was written", w.caller().principalId(), refused,
          table.name() + (refused == 1 ? "" : "s"), what);
    }
  }

  // ---- update ----

  int updateWhere(WriteTransaction w, UpdateWhere request) {
    checkLimit(request.expectAtMost());
    Match m = match(w, request.payloadType(), request.filter());
    TypeTable table = m.table();
    if (request.set().isEmpty()) {
      throw ValidationException.of(null, "set", "names no field: give the fields to set");
    }
    List<Violation> violations = new ArrayList<>();
    for (String field : request.set().keySet()) {
      boolean key = table.keyed() && (field.equals(BuiltInTypes.EXTERNAL_UID) || field.equals(BuiltInTypes.DATASOURCE_ID));
      if (key || Fields.RESERVED.contains(field) && !SETTABLE_METADATA.contains(field)) {
        violations.add(new Violation(null, "set." + field, key
            ? "is part of a " + table.name() + "'s key, unique per resource: it cannot be set by filter"
            : "cannot be set by filter (only payload fields, license and access_level)"));
      }
    }
    WriteValidator.throwIfAny(violations);
    ResourceUpdate.Builder builder = ResourceUpdate.builder();
    request.set().forEach(builder::set);
    ResourceUpdate update = builder.build();
    WriteValidator.ValidUpdate valid = WriteValidator.validateUpdate("", update, table.type(), violations);
    if (!violations.isEmpty()) {
      throw new ValidationException(violations.stream()
          .map(v -> new Violation(null, v.field() == null ? "set" : "set." + v.field(), v.message())).toList());
    }
    checkCount(w, m, request.expectAtMost());
    // The assignments, and the condition that a row differs from them: a row that already holds the
    // values gets no version (docs/behaviour.md §3.3).
    List<String> assignments = new ArrayList<>();
    List<Argument> assignmentArgs = new ArrayList<>();
    List<String> same = new ArrayList<>();
    List<Argument> sameArgs = new ArrayList<>();
    for (Map.Entry<String, Object> e : valid.metadata().entrySet()) {
      Argument value = e.getKey().equals(Fields.ACCESS_LEVEL) ? level((AccessLevel) e.getValue())
          : TypeTable.scalar(io.vxdata.schema.FieldType.STRING, e.getValue());
      assignments.add(e.getKey() + " = ?");
      assignmentArgs.add(value);
      same.add(e.getKey() + " IS NOT DISTINCT FROM ?");
      sameArgs.add(value);
    }
    for (Map.Entry<String, Object> e : valid.payload().entrySet()) {
      PayloadField field = table.type().field(e.getKey()).orElseThrow();
      Argument value = table.field(field, e.getValue());
      assignments.add(TypeTable.quote(field.name()) + " = ?");
      assignmentArgs.add(value);
      same.add(TypeTable.quote(field.name()) + " IS NOT DISTINCT FROM ?");
      sameArgs.add(value);
    }
    String changing = m.condition() + " AND NOT (" + String.join(" AND ", same) + ")";
    List<Argument> changingArgs = m.bind();
    changingArgs.addAll(sameArgs);
    checkEditable(w, table, changing, changingArgs, "that the filter matches");
    if (valid.metadata().get(Fields.ACCESS_LEVEL) instanceof AccessLevel raised && !w.caller().system()) {
      Rights rights = Rights.load(w.handle(), w.caller());
      if (!rights.admin() && raised.compareTo(rights.clearance()) > 0) {
        throw new ForbiddenException("principal '%s' may not set access_level %s: it is above its clearance (%s)",
            w.caller().principalId(), raised.wireName(), rights.clearance().wireName());
      }
    }
    List<String> roots = roots(w, table, changing, changingArgs);
    retire(w, table, changing, changingArgs);
    List<Argument> args = new ArrayList<>(assignmentArgs);
    args.add(Sql.time(w.tx()));
    args.add(Sql.text(w.caller().principalId()));
    args.addAll(changingArgs);
    int updated = Sql.bindAll(w.handle().createUpdate("UPDATE " + table.current() + " SET " + String.join(", ",
        assignments) + ", version = version + 1, updated_at = ?, updated_by = ? WHERE " + changing), args).execute();
    w.wroteInSql(updated, roots);
    return updated;
  }

  private static Argument level(AccessLevel level) {
    short ordinal = (short) level.ordinal();
    return (i, st, ctx) -> st.setShort(i, ordinal);
  }

  /** The datasources at the roots of the rows meeting {@code condition}: few, whatever the row count. */
  private static List<String> roots(WriteTransaction w, TypeTable table, String condition, List<Argument> args) {
    return Sql.bindAll(w.handle().createQuery("SELECT DISTINCT " + TypeTable.ROOT + " FROM " + table.current()
        + " WHERE " + condition), args).mapTo(String.class).list();
  }

  /** Copies the current versions of the rows meeting {@code condition} into history, superseded now. */
  private static void retire(WriteTransaction w, TypeTable table, String condition, List<Argument> conditionArgs) {
    List<Argument> args = new ArrayList<>();
    args.add(Sql.time(w.tx()));
    args.addAll(conditionArgs);
    Sql.bindAll(w.handle().createUpdate("INSERT INTO " + table.history() + " (" + table.rowColumns() + ", _sys_to)"
        + " SELECT " + table.rowColumns() + ", ? FROM " + table.current() + " WHERE " + condition), args).execute();
  }

  // ---- delete ----

  int deleteWhere(WriteTransaction w, DeleteWhere request) {
    checkLimit(request.expectAtMost());
    Match m = match(w, request.payloadType(), request.filter());
    checkCount(w, m, request.expectAtMost());
    checkEditable(w, m.table(), m.condition(), m.bind(), "that the filter matches");
    int deleted = tombstone(w, m.table(), m.condition(), m.bind());
    if (deleted == 0) {
      return 0;
    }
    // Then the active children of what this write tombstoned, level by level: every row it tombstones
    // has this transaction's time, which no other commit has.
    int total = deleted;
    List<TypeTable> children = w.catalog().tables().values().stream().filter(t -> !t.type().isRoot()).toList();
    while (true) {
      int level = 0;
      String tombstonedNow = tombstonedNow(w);
      for (TypeTable child : children) {
        String condition = "NOT is_deleted AND parent_identifier IN (" + tombstonedNow + ")";
        List<Argument> args = new ArrayList<>();
        w.catalog().tables().values().forEach(t -> args.add(Sql.time(w.tx())));
        if (request.cascade() == Cascade.RESTRICT) {
          refuseActiveChildren(w, child, condition, args);
          continue;
        }
        checkEditable(w, child, condition, args, "below the matching resources, which a cascade would tombstone");
        level += tombstone(w, child, condition, args);
      }
      if (level == 0) {
        break;
      }
      total += level;
    }
    // The links of everything this write tombstoned end with it, as after any delete (docs/behaviour.md
    // §15.1); a restore attaches them again.
    for (String side : List.of("source_id", "target_id")) {
      List<Argument> args = new ArrayList<>(List.of(Sql.time(w.tx()), Sql.text(w.caller().principalId())));
      w.catalog().tables().values().forEach(t -> args.add(Sql.time(w.tx())));
      Sql.bindAll(w.handle().createUpdate("UPDATE vx_link SET valid_to = ?, detached_by = ? WHERE valid_to IS NULL AND "
          + side + " IN (" + tombstonedNow(w) + ")"), args).execute();
    }
    return total;
  }

  /** Every row this transaction tombstoned, in any table: a subquery taking one time argument per table. */
  private static String tombstonedNow(WriteTransaction w) {
    List<String> selects = new ArrayList<>();
    for (TypeTable t : w.catalog().tables().values()) {
      selects.add("SELECT identifier FROM " + t.current() + " WHERE is_deleted AND updated_at = ?");
    }
    return String.join(" UNION ALL ", selects);
  }

  /** Tombstones the rows of {@code table} meeting {@code condition}; returns how many. */
  private static int tombstone(WriteTransaction w, TypeTable table, String condition, List<Argument> conditionArgs) {
    List<String> roots = roots(w, table, condition, conditionArgs);
    retire(w, table, condition, conditionArgs);
    List<Argument> args = new ArrayList<>();
    args.add(Sql.time(w.tx()));
    args.add(Sql.text(w.caller().principalId()));
    args.addAll(conditionArgs);
    // A keyed row gives up its key with its life: the marker the key index holds goes null.
    String marker = table.keyed() ? ", " + TypeTable.ACTIVE_MARKER + " = NULL" : "";
    int n = Sql.bindAll(w.handle().createUpdate("UPDATE " + table.current() + " SET is_deleted = TRUE, version ="
        + " version + 1, updated_at = ?, updated_by = ?" + marker + " WHERE " + condition), args).execute();
    w.wroteInSql(n, roots);
    return n;
  }

  /**
   * Without cascade, a matching resource with active children is refused (docs/behaviour.md §3.4), naming a few of
   * the parents (they matched the filter, so the caller sees them).
   */
  private static void refuseActiveChildren(WriteTransaction w, TypeTable child, String condition,
      List<Argument> args) {
    List<String> parents = Sql.bindAll(w.handle().createQuery("SELECT DISTINCT parent_identifier FROM "
        + child.current() + " WHERE " + condition + " ORDER BY parent_identifier"), args)
        .setMaxRows(5).mapTo(String.class).list();
    if (!parents.isEmpty()) {
      throw new ValidationException(parents.stream().map(p -> new Violation(p, Fields.IDENTIFIER,
          "has active children; delete them first or delete with cascade")).toList());
    }
  }
}
