package io.vxdata.jdbc.internal;

import io.vxdata.relation.RelationType;
import io.vxdata.schema.PayloadType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The payload types and relations a store knows, as of {@code version} (the store's
 * {@code types_version}); an immutable snapshot that is swapped whole when a type or a relation is
 * registered here or by another process. {@code dialect} is the database's, which its tables are
 * written in.
 */
record Catalog(long version, Map<String, TypeTable> tables, Map<String, RelationType> relations, Dialect dialect) {

  Catalog {
    tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    relations = Collections.unmodifiableMap(new LinkedHashMap<>(relations));
  }

  RelationType relation(String name) {
    return relations.get(name);
  }

  TypeTable table(String typeName) {
    return tables.get(typeName);
  }

  Map<String, PayloadType> types() {
    Map<String, PayloadType> types = new LinkedHashMap<>();
    tables.forEach((name, table) -> types.put(name, table.type()));
    return Collections.unmodifiableMap(types);
  }
}
