package io.vxdata.jdbc.internal;

import io.vxdata.schema.PayloadType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The payload types a store knows, as of {@code version} (the store's {@code types_version}); an
 * immutable snapshot that is swapped whole when a type is registered here or by another process.
 */
record Catalog(long version, Map<String, TypeTable> tables) {

  Catalog {
    tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
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
