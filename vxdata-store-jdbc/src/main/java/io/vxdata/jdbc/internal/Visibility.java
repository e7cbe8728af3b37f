package io.vxdata.jdbc.internal;

import io.vxdata.access.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.argument.Argument;

/**
 * Which versions a read sees: the one builder of "versions valid at t" for every read statement.
 *
 * <p>A version is valid from its {@code updated_at} until its {@code _sys_to} (see {@link TypeTable}),
 * so the state at {@code t} is {@code updated_at <= t} in the current table plus
 * {@code updated_at <= t < _sys_to} in history; at the last commit the current table alone holds it.
 * {@link #validAt} is that state, the tree as it stood; {@link #visible} is what of it a read may
 * return or count: for a principal's view, only the versions it may see (docs/behaviour.md §13.2), which every read
 * path takes from here, while tree walks still see the shape.
 *
 * <p>The access rule is one more condition on each branch, evaluated by the statement itself, so
 * grants, clearance and disabling apply at once in every process: for a principal,
 * {@code _root IN (its datasources) AND access_level <= (its clearance, none when disabled)}; for an
 * admin, an uncorrelated {@code EXISTS} that it still is an enabled admin (no join); for the system
 * handle, nothing.
 */
final class Visibility {

  /** The last commit, whichever it is when the statement runs: its time is read by that statement. */
  static final Visibility LAST_COMMIT = new Visibility(null, true, Caller.SYSTEM);

  /** One table to take versions from, and the condition its rows must meet besides the reader's own. */
  record Branch(String table, String condition, List<Argument> conditionArgs) {

    /** {@code " AND "} and the condition, appending its arguments; nothing when there is none. */
    String and(List<Argument> args) {
      if (condition == null) {
        return "";
      }
      args.addAll(conditionArgs);
      return " AND " + condition;
    }
  }

  private final Instant at;
  private final boolean latest;
  private final Caller caller;

  private Visibility(Instant at, boolean latest, Caller caller) {
    this.at = at;
    this.latest = latest;
    this.caller = caller;
  }

  /** {@link #LAST_COMMIT} as seen by {@code caller}. */
  static Visibility lastCommit(Caller caller) {
    return caller.system() ? LAST_COMMIT : new Visibility(null, true, caller);
  }

  /**
   * @param latest whether {@code at} is the last commit time read in the same database snapshot as
   *     the statements that use this, so the current tables alone hold the state at {@code at}
   */
  static Visibility at(Instant at, boolean latest, Caller caller) {
    return new Visibility(at, latest, caller);
  }

  Caller caller() {
    return caller;
  }

  /** The read time; null for {@link #LAST_COMMIT}, whose statement reads it. */
  Instant at() {
    return at;
  }

  /** Whether the current tables alone hold the versions seen. */
  boolean latest() {
    return latest;
  }

  /** Whether the time is known before a statement runs: false only for {@link #LAST_COMMIT}. */
  boolean pinned() {
    return at != null;
  }

  /**
   * The versions of {@code table} valid at the time, resources of every access level alike: the
   * tree as it stood. Only for walking the tree; what a read returns or counts comes from
   * {@link #visible}.
   */
  List<Branch> validAt(TypeTable table) {
    if (latest) {
      return List.of(new Branch(table.current(), null, List.of()));
    }
    Argument time = Sql.time(at);
    return List.of(new Branch(table.current(), "updated_at <= ?", List.of(time)),
        new Branch(table.history(), "updated_at <= ? AND _sys_to > ?", List.of(time, time)));
  }

  /** The versions of {@code table} a read may return or count: those valid at the time. */
  List<Branch> visible(TypeTable table) {
    List<Branch> valid = validAt(table);
    if (caller.system()) {
      return valid;
    }
    List<Branch> visible = new ArrayList<>(valid.size());
    for (Branch b : valid) {
      List<Argument> args = new ArrayList<>(b.conditionArgs());
      String rule = rule(args);
      visible.add(new Branch(b.table(), b.condition() == null ? rule : b.condition() + " AND " + rule, args));
    }
    return visible;
  }

  /**
   * The access rule of docs/behaviour.md §13.2 on a version row (its unqualified columns), appending its arguments;
   * null for the system handle.
   */
  String rule(List<Argument> args) {
    switch (caller.kind()) {
      case SYSTEM:
        return null;
      case ADMIN:
        args.add(Sql.text(caller.principalId()));
        return "EXISTS (SELECT 1 FROM vx_principal vx_p WHERE vx_p.id = ? AND vx_p.is_admin AND NOT vx_p.disabled)";
      default:
        args.add(Sql.text(caller.principalId()));
        args.add(Sql.text(caller.principalId()));
        return TypeTable.ROOT + " IN (SELECT vx_g.datasource_id FROM vx_grant vx_g WHERE vx_g.principal_id = ?)"
            + " AND access_level <= (SELECT vx_p.clearance FROM vx_principal vx_p WHERE vx_p.id = ?"
            + " AND NOT vx_p.disabled)";
    }
  }

  /**
   * An expression that is 1 for a version row the reader may see and 0 otherwise: for counting the
   * visible rows of a walk over the whole tree (statistics).
   */
  String visibleFlag(List<Argument> args) {
    String rule = rule(args);
    return rule == null ? "1" : "CASE WHEN " + rule + " THEN 1 ELSE 0 END";
  }

  /**
   * An expression that is 1 for a version row the reader could update now and 0 otherwise
   * ({@code can_edit}, docs/behaviour.md §13.4), for rows that already passed {@link #rule}: the write rule of
   * docs/behaviour.md §13.4 on the row's own {@code _root} and {@code access_level}, with the grants and clearance as the
   * statement reads them. The system handle and an admin (whose rows passed its {@code EXISTS}) edit
   * every row they see.
   */
  String editFlag(List<Argument> args) {
    if (caller.kind() != Caller.Kind.PRINCIPAL) {
      return "1";
    }
    args.add(Sql.text(caller.principalId()));
    args.add((i, st, ctx) -> st.setShort(i, (short) Role.EDITOR.ordinal()));
    args.add(Sql.text(caller.principalId()));
    return "CASE WHEN " + TypeTable.ROOT + " IN (SELECT vx_g.datasource_id FROM vx_grant vx_g"
        + " WHERE vx_g.principal_id = ? AND vx_g.grant_role >= ?)"
        + " AND access_level <= (SELECT vx_p.clearance FROM vx_principal vx_p WHERE vx_p.id = ?"
        + " AND NOT vx_p.disabled) THEN 1 ELSE 0 END";
  }

  /**
   * The SQL of the {@link #visible} versions of {@code table} whose {@code keyColumn} is one of
   * {@code keys} and that match {@code where}: one {@code SELECT} per branch over
   * {@link Dialect#keyedRows}, unioned. Appends the arguments in placeholder order.
   */
  String selectKeyed(Dialect dialect, TypeTable table, String columns, String keyColumn, Collection<String> keys,
      String where, List<Argument> args) {
    List<String> selects = new ArrayList<>();
    for (Branch branch : visible(table)) {
      args.add(Sql.keys(keys));
      selects.add("SELECT " + columns + " FROM " + dialect.keyedRows(branch.table(), keyColumn) + " AND " + where
          + branch.and(args));
    }
    return String.join(" UNION ALL ", selects);
  }

  /**
   * The SQL of the {@link #visible} versions of {@code table} that match {@code where}: one
   * {@code SELECT} per branch, unioned. Appends the arguments in placeholder order.
   */
  String select(TypeTable table, String columns, String where, List<Argument> whereArgs, List<Argument> args) {
    List<String> selects = new ArrayList<>();
    for (Branch branch : visible(table)) {
      args.addAll(whereArgs);
      selects.add("SELECT " + columns + " FROM " + branch.table() + " WHERE " + where + branch.and(args));
    }
    return String.join(" UNION ALL ", selects);
  }
}
