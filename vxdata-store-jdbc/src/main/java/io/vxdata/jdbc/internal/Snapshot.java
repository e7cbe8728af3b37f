package io.vxdata.jdbc.internal;

import io.vxdata.NotFoundException;
import io.vxdata.Resource;
import io.vxdata.relation.Link;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;

/**
 * Reads of the active resources as of one transaction time, in one database snapshot. Every
 * statement takes the versions its {@link Visibility} sees, so each sees one consistent state
 * whatever writers commit meanwhile.
 */
final class Snapshot {

  /** Where an identifier is, as of the snapshot's time. */
  record Located(String identifier, String parentIdentifier, String payloadType) {}

  /** How far {@link #ancestors} climbs: a guard, far deeper than any real hierarchy. */
  private static final int MAX_DEPTH = 10_000;

  private final Handle handle;
  private final Catalog catalog;
  private final Visibility visibility;
  private final IdentifierTypes identifierTypes;
  private final long retypes;

  /**
   * @param visibility the versions seen, at a time read in this same database snapshot
   * @param meta {@code vx_meta} as read in this same database snapshot
   */
  Snapshot(Handle handle, Catalog catalog, Visibility visibility, IdentifierTypes identifierTypes, Meta meta) {
    this.handle = handle;
    this.catalog = catalog;
    this.visibility = visibility;
    this.identifierTypes = identifierTypes;
    this.retypes = meta.retypes();
  }

  Instant at() {
    return visibility.at();
  }

  Visibility visibility() {
    return visibility;
  }

  /** Where a statement of this snapshot reads. */
  Reading reading() {
    return new Reading(handle, catalog, visibility);
  }

  Handle handle() {
    return handle;
  }

  Catalog catalog() {
    return catalog;
  }

  /**
   * {@code identifiers} grouped by the types they have ever had, in type name order ({@link IdentifierTypes}):
   * the tables to look in, not what is there at this snapshot's time.
   */
  Map<String, List<String>> byType(Collection<String> identifiers) {
    return identifierTypes.byType(handle, catalog, identifiers, retypes);
  }

  /**
   * The active ones of {@code identifiers} (distinct), in that order, each with its children unless
   * {@code excludeChildren}, and with {@code can_edit} when {@code permissions} (docs/behaviour.md §13.4).
   */
  List<Resource> read(List<String> identifiers, boolean excludeChildren, boolean permissions, boolean links) {
    Map<String, Resource> found = resources(identifiers, permissions);
    Map<String, List<String>> children = excludeChildren ? Map.of() : children(found.values());
    Map<String, List<Link>> linked = links ? links(found.keySet()) : Map.of();
    List<Resource> result = new ArrayList<>(found.size());
    for (String id : identifiers) {
      Resource r = found.get(id);
      if (r != null) {
        r = excludeChildren ? r : withChildren(r, children.getOrDefault(id, List.of()));
        result.add(links ? r.withLinks(Optional.of(linked.getOrDefault(id, List.of()))) : r);
      }
    }
    return result;
  }

  /**
   * The links of each of {@code identifiers} valid at the snapshot's time, either way round, whose other
   * end the reader may see (docs/behaviour.md §15.1), sorted by relation, from and to. A link valid at a
   * time has both ends active then: a delete detaches the links of what it deletes.
   */
  Map<String, List<Link>> links(Collection<String> identifiers) {
    Map<String, List<Link>> links = new HashMap<>();
    if (identifiers.isEmpty()) {
      return links;
    }
    List<Link> found = new ArrayList<>();
    for (String side : List.of("source_id", "target_id")) {
      List<Argument> args = new ArrayList<>();
      args.add(Sql.keys(identifiers));
      String valid = linkValidity("vx_link", args);
      Sql.bindAll(handle.createQuery("SELECT relation, source_id, target_id FROM "
              + catalog.dialect().keyedRows("vx_link", side) + " AND " + valid), args)
          .map((rs, ctx) -> new Link(rs.getString(1), rs.getString(2), rs.getString(3)))
          .forEach(found::add);
    }
    java.util.Set<String> others = new java.util.HashSet<>();
    found.forEach(l -> {
      others.add(l.from());
      others.add(l.to());
    });
    java.util.Set<String> visible = locate(others, true).keySet();
    java.util.Comparator<Link> order = java.util.Comparator.comparing(Link::relation).thenComparing(Link::from)
        .thenComparing(Link::to);
    for (Link l : found.stream().distinct().sorted(order).toList()) {
      if (visible.contains(l.from()) && visible.contains(l.to())) {
        if (identifiers.contains(l.from())) {
          links.computeIfAbsent(l.from(), k -> new ArrayList<>()).add(l);
        }
        if (identifiers.contains(l.to()) && !l.to().equals(l.from())) {
          links.computeIfAbsent(l.to(), k -> new ArrayList<>()).add(l);
        }
      }
    }
    return links;
  }

  /** The condition that a row of the link table {@code alias} is valid at the snapshot's time. */
  private String linkValidity(String alias, List<Argument> args) {
    return linkValidity(visibility, alias, args);
  }

  /**
   * The condition that a row of the link table {@code alias} is valid at {@code visibility}'s time: at
   * the last commit (read by the statement itself, or known to be the latest), the attached ones.
   */
  static String linkValidity(Visibility visibility, String alias, List<Argument> args) {
    if (visibility.latest() || !visibility.pinned()) {
      return alias + ".valid_to IS NULL";
    }
    args.add(Sql.time(visibility.at()));
    args.add(Sql.time(visibility.at()));
    return alias + ".valid_from <= ? AND (" + alias + ".valid_to IS NULL OR " + alias + ".valid_to > ?)";
  }

  private static Resource withChildren(Resource r, List<String> children) {
    return r.withChildren(Optional.of(children));
  }

  /**
   * The ancestors of an active resource, its parent first. The resource must be visible to the
   * reader; its ancestors are named whether or not they are (docs/behaviour.md §13.4: shape is not hidden, content is).
   *
   * @throws NotFoundException if {@code identifier} is not active, or not visible
   */
  List<String> ancestors(String identifier) {
    Located at = locate(List.of(identifier), true).get(identifier);
    if (at == null) {
      throw NotFoundException.of(identifier, "no active resource '%s' as of %s", identifier, at());
    }
    List<String> chain = new ArrayList<>();
    while (at.parentIdentifier() != null && chain.size() < MAX_DEPTH) {
      chain.add(at.parentIdentifier());
      at = locate(List.of(at.parentIdentifier()), false).get(at.parentIdentifier());
      if (at == null) {
        break;
      }
    }
    return chain;
  }

  /**
   * The active resources among {@code identifiers}, by identifier (no children); with
   * {@code permissions}, each with its {@code can_edit}, computed by the same statement.
   *
   * <p>One key probe of the identifier index ({@link Identifiers}) for all of them names the types each
   * has ever had, then one statement per type present reads its identifiers from that type's tables.
   * An identifier that had several types is asked of each; at one time it is active in one at most.
   */
  Map<String, Resource> resources(Collection<String> identifiers, boolean permissions) {
    Map<String, Resource> found = new HashMap<>();
    byType(identifiers)
        .forEach((typeName, ids) -> read(catalog.table(typeName), ids, permissions, found));
    return found;
  }

  /** Adds the active visible ones of {@code ids} in {@code table}'s tables to {@code found}. */
  private void read(TypeTable table, Collection<String> ids, boolean permissions, Map<String, Resource> found) {
    List<Argument> args = new ArrayList<>();
    String sql;
    if (permissions) {
      List<String> selects = new ArrayList<>();
      for (Visibility.Branch branch : visibility.visible(table)) {
        String flag = visibility.editFlag(args);
        args.add(Sql.keys(ids));
        selects.add("SELECT " + table.columns() + ", " + flag + " AS vx_can_edit FROM "
            + catalog.dialect().keyedRows(branch.table(), "identifier") + " AND NOT is_deleted" + branch.and(args));
      }
      sql = String.join(" UNION ALL ", selects);
    } else {
      sql = visibility.selectKeyed(catalog.dialect(), table, table.columns(), "identifier", ids, "NOT is_deleted",
          args);
    }
    int flagColumn = table.rootPosition();
    Sql.bindAll(handle.createQuery(sql), args)
        .map((rs, ctx) -> permissions
            ? table.map(rs).withCanEdit(Optional.of(rs.getInt(flagColumn) == 1)) : table.map(rs))
        .forEach(r -> found.put(r.identifier(), r));
  }

  /**
   * Where each active one of {@code identifiers} is; with {@code visibleOnly}, of those the reader may see.
   * The identifier index names the types each identifier has had, then one statement reads those types'
   * tables, each for its identifiers only.
   */
  Map<String, Located> locate(Collection<String> identifiers, boolean visibleOnly) {
    Map<String, Located> found = new HashMap<>();
    List<String> branches = new ArrayList<>();
    List<Argument> args = new ArrayList<>();
    byType(identifiers).forEach((typeName, ids) -> {
      TypeTable table = catalog.table(typeName);
      List<Visibility.Branch> from = visibleOnly ? visibility.visible(table) : visibility.validAt(table);
      for (Visibility.Branch branch : from) {
        args.add(Sql.keys(ids));
        branches.add("SELECT identifier, parent_identifier, '" + table.name() + "' AS payload_type FROM "
            + catalog.dialect().keyedRows(branch.table(), "identifier") + " AND NOT is_deleted" + branch.and(args));
      }
    });
    if (branches.isEmpty()) {
      return found;
    }
    Sql.bindAll(handle.createQuery(String.join(" UNION ALL ", branches)), args)
        .map((rs, ctx) -> new Located(rs.getString(1), rs.getString(2), rs.getString(3)))
        .forEach(l -> found.put(l.identifier(), l));
    return found;
  }

  /**
   * The active direct children of each of {@code parents}, sorted by identifier: one statement, with
   * a branch for each type that may stand under one of the parents' types, over all parents of those
   * types. No child lies in another type's tables: registration refuses to narrow a type's parent
   * rules while a version of that type stands under a parent the new rules forbid (TypeRegistry).
   */
  Map<String, List<String>> children(Collection<Resource> parents) {
    Map<String, List<String>> children = new HashMap<>();
    Map<String, List<String>> byType = new LinkedHashMap<>();
    parents.forEach(p -> byType.computeIfAbsent(p.payloadType(), k -> new ArrayList<>()).add(p.identifier()));
    List<String> branches = new ArrayList<>();
    List<Argument> args = new ArrayList<>();
    for (TypeTable table : catalog.tables().values()) {
      List<String> under = new ArrayList<>();
      byType.forEach((parentType, ids) -> {
        if (table.type().allowsParentType(parentType)) {
          under.addAll(ids);
        }
      });
      if (!under.isEmpty()) {
        branches.add(visibility.selectKeyed(catalog.dialect(), table, "parent_identifier, identifier",
            "parent_identifier", under, "NOT is_deleted", args));
      }
    }
    if (branches.isEmpty()) {
      return children;
    }
    // Sorted here rather than by SQL so both databases agree whatever their collation.
    Map<String, java.util.SortedSet<String>> sorted = new TreeMap<>();
    Sql.bindAll(handle.createQuery(String.join(" UNION ALL ", branches)), args)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> sorted.computeIfAbsent(e.getKey(), k -> new java.util.TreeSet<>()).add(e.getValue()));
    sorted.forEach((parent, kids) -> children.put(parent, List.copyOf(kids)));
    return children;
  }
}
