package io.vxdata.jdbc.internal;

import io.vxdata.StoreException;
import io.vxdata.ValidationException;
import io.vxdata.relation.Cardinality;
import io.vxdata.relation.RelationType;
import io.vxdata.schema.PayloadType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The catalog this process knows: the latest {@link Catalog} it loaded, loaded again from
 * {@code vx_type} and {@code vx_relation} when {@code types_version} shows that a type was registered, here or by another
 * process sharing the database.
 */
final class Catalogs {

  private final Dialect dialect;
  private volatile Catalog catalog;

  Catalogs(Dialect dialect) {
    this.dialect = dialect;
    this.catalog = new Catalog(-1, Map.of(), Map.of(), dialect);
  }

  /** The catalog last loaded; it may lag a registration by another process. */
  Catalog current() {
    return catalog;
  }

  /** The catalog of {@code meta}'s version, as read on {@code h}. */
  Catalog of(Handle h, Meta meta) {
    Catalog now = catalog;
    return meta.typesVersion() == now.version() ? now : reload(h);
  }

  /** The catalog as {@code h} sees it, loaded unless this process has it already. */
  synchronized Catalog reload(Handle h) {
    long version = Meta.read(h).typesVersion();
    if (version == catalog.version()) {
      return catalog;
    }
    Map<String, TypeTable> tables = new LinkedHashMap<>();
    h.createQuery("SELECT name, schema_json FROM vx_type ORDER BY registered_at, name")
        .map((rs, ctx) -> storedType(rs.getString(1), rs.getString(2)))
        .forEach(t -> tables.put(t.name(), new TypeTable(t, dialect)));
    Map<String, RelationType> relations = new LinkedHashMap<>();
    h.createQuery("SELECT name, source_type, target_type, targets_per_source, sources_per_target FROM vx_relation"
            + " ORDER BY registered_at, name")
        .map((rs, ctx) -> new RelationType(rs.getString(1), rs.getString(2), rs.getString(3),
            Cardinality.parse(rs.getString(4)), Cardinality.parse(rs.getString(5))))
        .forEach(r -> relations.put(r.name(), r));
    catalog = new Catalog(version, tables, relations, dialect);
    return catalog;
  }

  /** A payload type as {@code vx_type} holds it; a schema there that no longer parses is the store's fault. */
  private static PayloadType storedType(String name, String schemaJson) {
    try {
      return PayloadType.fromJsonSchema(name, schemaJson);
    } catch (ValidationException e) {
      throw new StoreException("stored payload schema of '" + name + "' is not valid: " + e.getMessage(), e);
    }
  }
}
