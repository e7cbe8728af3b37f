package io.vxdata.jdbc.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.argument.Argument;

/**
 * Which versions a read sees: the one builder of "versions valid at t" for every read statement.
 *
 * <p>A version is valid from its {@code updated_at} until its {@code _sys_to} (see {@link TypeTable}),
 * so the state at {@code t} is {@code updated_at <= t} in the current table plus
 * {@code updated_at <= t < _sys_to} in history; at the last commit the current table alone holds it.
 * {@link #validAt} is that state, the tree as it stood; {@link #visible} is what of it a read may
 * return or count. The two are the same today: a rule on who may see what belongs in
 * {@link #visible} alone, so that every read path applies it and tree walks still see the shape.
 */
final class Visibility {

  /** The last commit, whichever it is when the statement runs: its time is read by that statement. */
  static final Visibility LAST_COMMIT = new Visibility(null, true);

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

  private Visibility(Instant at, boolean latest) {
    this.at = at;
    this.latest = latest;
  }

  /**
   * @param latest whether {@code at} is the last commit time read in the same database snapshot as
   *     the statements that use this, so the current tables alone hold the state at {@code at}
   */
  static Visibility at(Instant at, boolean latest) {
    return new Visibility(at, latest);
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
    // Access control (docs/behaviour.md §13.2) narrows this, and only this, to what the reader may see: the principal
    // joins the time in this class, and its grants and clearance become one more condition here.
    return validAt(table);
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
