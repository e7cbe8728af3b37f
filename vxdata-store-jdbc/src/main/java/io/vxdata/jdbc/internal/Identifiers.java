package io.vxdata.jdbc.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * The identifier index, {@code vx_identifier}: every payload type each identifier has ever had a version
 * of (docs/behaviour.md §3.1 lets a tombstone be re-created as another type), one row per pair, keyed by
 * identifier first. It says in which type tables to look, never what is there: time, tombstones and
 * visibility still come from the type tables. A write that creates an identifier under a type it never had
 * adds the pair in its own transaction ({@link #record}); pairs are never removed, so the index only grows
 * and is right at every read time. Made and back-filled by the migration {@link V9__identifiers}.
 */
final class Identifiers {

  static final String TABLE = "vx_identifier";

  private Identifiers() {}

  /** The statement that creates the index table: identifiers in the type tables' column type and collation. */
  static String createStatement(Dialect dialect) {
    return "CREATE TABLE IF NOT EXISTS " + TABLE + " (identifier " + dialect.textType(255)
        + " NOT NULL, payload_type VARCHAR(50) NOT NULL, PRIMARY KEY (identifier, payload_type))";
  }

  /** The statement that adds the pairs of one type's two tables (for the back-fill), skipping those present. */
  static String backfillStatement(String typeName) {
    return "INSERT INTO " + TABLE + " (identifier, payload_type) SELECT identifier, '" + typeName + "' FROM (SELECT"
        + " identifier FROM vxc_" + typeName + " UNION SELECT identifier FROM vxh_" + typeName + ") a WHERE NOT EXISTS"
        + " (SELECT 1 FROM " + TABLE + " i WHERE i.identifier = a.identifier AND i.payload_type = '" + typeName + "')";
  }

  /**
   * The types each of {@code identifiers} has ever had, by identifier, sorted; identifiers never created are
   * absent. One statement on the index's key. Types {@code catalog} does not know are left out.
   */
  static Map<String, TreeSet<String>> typesOf(Handle handle, Catalog catalog, Collection<String> identifiers) {
    Map<String, TreeSet<String>> types = everTypesOf(handle, catalog.dialect(), identifiers);
    types.values().forEach(t -> t.removeIf(name -> catalog.table(name) == null));
    types.values().removeIf(TreeSet::isEmpty);
    return types;
  }

  /** The types each of {@code identifiers} has ever had, by identifier, sorted; those never created are absent. */
  static Map<String, TreeSet<String>> everTypesOf(Handle handle, Dialect dialect, Collection<String> identifiers) {
    Map<String, TreeSet<String>> types = new LinkedHashMap<>();
    if (identifiers.isEmpty()) {
      return types;
    }
    handle.createQuery("SELECT identifier, payload_type FROM " + dialect.keyedRows(TABLE, "identifier"))
        .bind(0, Sql.keys(identifiers))
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> types.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(e.getValue()));
    return types;
  }

  /**
   * Adds the pairs {@code identifiers[i]}, {@code types[i]}, none of which may be present yet: one
   * statement for the whole write, whatever its size. The caller holds the write lock, which orders
   * every writer, so no other transaction adds the same pair meanwhile.
   */
  static void record(Handle handle, List<String> identifiers, List<String> types) {
    if (identifiers.isEmpty()) {
      return;
    }
    handle.createUpdate("INSERT INTO " + TABLE + " (identifier, payload_type) SELECT * FROM UNNEST(?, ?)")
        .bind(0, Sql.textArray(identifiers))
        .bind(1, Sql.textArray(types))
        .execute();
  }
}
