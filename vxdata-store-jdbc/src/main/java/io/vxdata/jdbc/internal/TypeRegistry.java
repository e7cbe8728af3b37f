package io.vxdata.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.ValidationException;
import io.vxdata.query.QueryRequest;
import io.vxdata.schema.PayloadField;
import io.vxdata.schema.PayloadType;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Payload types: registering and evolving them (their tables, columns and indexes), the key indexes
 * of patients and studies, and the catalog a request is checked against.
 */
final class TypeRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcVxData.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Transactions transactions;
  private final Catalogs catalogs;
  private final Dialect dialect;
  private final Clock clock;

  TypeRegistry(Transactions transactions, Catalogs catalogs, Dialect dialect, Clock clock) {
    this.transactions = transactions;
    this.catalogs = catalogs;
    this.dialect = dialect;
    this.clock = clock;
  }

  /**
   * Registers {@code type}, or evolves its registered schema in the ways that keep stored rows valid;
   * a change is a commit in the transaction log as {@code register_type} (docs/behaviour.md §13.6), made by {@code caller};
   * with a null {@code caller} (the built-in types, as the store opens) it is not.
   */
  void register(Caller caller, PayloadType type) {
    Objects.requireNonNull(type, "type");
    Function<Handle, Transactions.Changed<Void>> body = h -> {
      Catalog now = catalogs.reload(h);
      TypeTable existing = now.table(type.name());
      List<String> unknownParents = type.parentTypes().stream()
          .filter(p -> !p.equals(type.name()) && now.table(p) == null).sorted().toList();
      if (!unknownParents.isEmpty()) {
        throw ValidationException.of(null, "x-vxdata-parent-types", "payload type '%s' names unknown parent types %s",
            type.name(), unknownParents);
      }
      TypeTable table = new TypeTable(type, dialect);
      if (existing == null) {
        table.createStatements().forEach(h::execute);
        h.createUpdate("INSERT INTO vx_type (name, schema_json, registered_at) VALUES (?, ?, ?)")
            .bind(0, type.name()).bind(1, type.schema()).bind(2, Sql.time(clock.instant())).execute();
      } else if (!sameDocument(existing.type().schema(), type.schema())) {
        // One violation per field at fault, each message naming the type, so that an answer names them all.
        List<io.vxdata.Violation> problems = type.incompatibleFields(existing.type()).stream()
            .map(v -> new io.vxdata.Violation(null, v.field(), "payload type '" + type.name()
                + "' cannot change that way: " + v.message()))
            .toList();
        if (!problems.isEmpty()) {
          throw new ValidationException(problems);
        }
        List<String> stranded = parentTypesInUse(h, now, existing, type);
        if (!stranded.isEmpty()) {
          throw ValidationException.of(null, "x-vxdata-parent-types", "payload type '%s' cannot stop allowing"
              + " parent types %s: resources of the type stand, or stood, under resources of those types",
              type.name(), stranded);
        }
        for (PayloadField field : type.fields()) {
          if (existing.type().field(field.name()).isEmpty()) {
            table.addFieldStatements(field).forEach(h::execute);
          } else {
            table.indexStatements(field).forEach(h::execute);
          }
        }
        h.createUpdate("UPDATE vx_type SET schema_json = ? WHERE name = ?")
            .bind(0, type.schema()).bind(1, type.name()).execute();
      } else {
        return Transactions.Changed.nothing(null);
      }
      h.execute("UPDATE vx_meta SET types_version = types_version + 1 WHERE id = 1");
      return Transactions.Changed.one(null);
    };
    if (caller == null) {
      // The built-in types, as a store opens: part of the store's schema, not a commit.
      transactions.exclusively(body::apply);
    } else {
      transactions.change(caller, "register_type", body);
    }
    transactions.withHandle(catalogs::reload);
  }

  /**
   * Registers the built-in types as a store opens. A missing one is registered as this build has it. A
   * stored one keeps what the store's users made of it (fields they added, indexes they declared) and
   * only gains what this build's type has and it lacks: a field, or a keyword of a field or of the
   * schema (an index this build declares); an open never takes anything away, so a built-in type a
   * user evolved opens as they left it. Only a type that changes takes the exclusive path of
   * {@link #register}, so opening an up-to-date store takes no lock.
   */
  void registerBuiltIns(List<PayloadType> builtIns) {
    Catalog known = transactions.withHandle(catalogs::reload);
    for (PayloadType type : builtIns) {
      TypeTable existing = known.table(type.name());
      if (existing == null) {
        register(null, type);
        continue;
      }
      String merged = withWhatIsMissing(existing.type().schema(), type.schema());
      if (!sameDocument(existing.type().schema(), merged)) {
        register(null, PayloadType.fromJsonSchema(type.name(), merged));
      }
    }
  }

  /**
   * The stored schema {@code stored} with what {@code builtIn} has and it lacks added: top-level
   * keywords, properties, and keywords of properties both have. Nothing of {@code stored} changes.
   */
  private static String withWhatIsMissing(String stored, String builtIn) {
    try {
      ObjectNode merged = (ObjectNode) JSON.readTree(stored);
      JsonNode from = JSON.readTree(builtIn);
      addMissing(merged, from);
      if (merged.get("properties") instanceof ObjectNode properties && from.get("properties") != null) {
        from.get("properties").fields().forEachRemaining(p -> {
          if (properties.get(p.getKey()) instanceof ObjectNode field) {
            addMissing(field, p.getValue());
          }
        });
        addMissing(properties, from.get("properties"));
      }
      return JSON.writeValueAsString(merged);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a payload type holds a schema that is not JSON", e);
    }
  }

  /** Adds to {@code into} each member of {@code from} (an object, or nothing) that it lacks. */
  private static void addMissing(ObjectNode into, JsonNode from) {
    from.fields().forEachRemaining(e -> {
      if (!into.has(e.getKey())) {
        into.set(e.getKey(), e.getValue());
      }
    });
  }

  /**
   * The parent types {@code existing} allows and {@code type} would not, under which a version of
   * the type stands or stood. Reads look for children only in the tables of types allowed under the
   * parent's type (Snapshot), so rules may narrow only where no version, present or past, is left
   * outside them. An identifier stays in its type's current table for good, so that table tells a
   * parent's type.
   */
  private static List<String> parentTypesInUse(Handle h, Catalog catalog, TypeTable existing, PayloadType type) {
    List<String> inUse = new java.util.ArrayList<>();
    for (TypeTable parent : catalog.tables().values()) {
      if (!existing.type().allowsParentType(parent.name()) || type.allowsParentType(parent.name())) {
        continue;
      }
      String under = " WHERE parent_identifier IN (SELECT identifier FROM " + parent.current() + ")";
      if (h.createQuery("SELECT 1 FROM " + existing.current() + under + " UNION ALL SELECT 1 FROM "
          + existing.history() + under + " LIMIT 1").mapTo(Integer.class).findOne().isPresent()) {
        inUse.add(parent.name());
      }
    }
    return inUse;
  }

  /**
   * The catalog, loaded again if the request names a type this process has not seen (another
   * process may have registered it).
   */
  Catalog forRequest(QueryRequest request) {
    Objects.requireNonNull(request, "request");
    Catalog now = catalogs.current();
    return request.payloadType() == null || now.table(request.payloadType()) != null ? now
        : transactions.withHandle(catalogs::reload);
  }

  Map<String, PayloadType> types() {
    return catalogs.current().types();
  }

  Map<String, String> schemas() {
    Map<String, String> schemas = new LinkedHashMap<>();
    catalogs.current().types().forEach((name, type) -> schemas.put(name, type.responseSchema()));
    return schemas;
  }

  /**
   * Gives a store created by an earlier version the indexes later versions added (below), after one
   * catalog query for all of them: an up-to-date store's open builds nothing and takes no lock.
   */
  void ensureIndexes() {
    Set<String> indexes = presentIndexes(catalogs.current().tables().values().stream()
        .flatMap(t -> t.keyed() ? Stream.of(t.keyIndex(), t.updatedIndex(), t.historyUpdatedIndex())
            : Stream.of(t.updatedIndex(), t.historyUpdatedIndex()))
        .toList());
    ensureKeyIndexes(indexes);
    ensureUpdatedIndexes(indexes);
  }

  /**
   * Gives the keyed tables of a store created before keys were enforced their marker column and
   * unique key index (tables created since have both). If stored rows already hold a key twice, the
   * index cannot be built: the store opens without it, writes still refuse new conflicts (they check
   * under the write lock), the log names the rows to fix, and the next open tries again.
   */
  private void ensureKeyIndexes(Set<String> indexes) {
    for (TypeTable table : catalogs.current().tables().values()) {
      if (!table.keyed() || indexes.contains(table.keyIndex().toLowerCase(Locale.ROOT))) {
        continue;
      }
      transactions.exclusively(h -> {
        table.markerStatements().forEach(h::execute);
        List<String> duplicates = h.createQuery(table.duplicateKeysQuery())
            .map((rs, ctx) -> rs.getString(3) + " (" + rs.getString(1) + ", " + rs.getString(2) + ")")
            .list();
        if (duplicates.isEmpty()) {
          h.execute(table.keyIndexStatement());
          LOG.info("Created the key index {} of {}", table.keyIndex(), table.current());
        } else {
          LOG.warn("{} cannot get its key index {}: these active {}s share a key (parent, external_uid): {}."
                  + " Give all but one of each another external_uid, or delete them; the next open builds the index.",
              table.current(), table.keyIndex(), table.name(), duplicates);
        }
      });
    }
  }

  /**
   * Gives the tables of a store created before queries took {@code updated_since}
   * (docs/behaviour.md §14.3) and before the change feed (§14.2) their indexes on
   * {@code (updated_at, identifier)}; tables created since have them. Checked in the catalog first, so
   * an open of an up-to-date store takes no lock.
   */
  private void ensureUpdatedIndexes(Set<String> indexes) {
    for (TypeTable table : catalogs.current().tables().values()) {
      ensureIndex(indexes, table.current(), table.updatedIndex(), table.updatedIndexStatement());
      ensureIndex(indexes, table.history(), table.historyUpdatedIndex(), table.historyUpdatedIndexStatement());
    }
  }

  private void ensureIndex(Set<String> indexes, String tableName, String index, String statement) {
    if (indexes.contains(index.toLowerCase(Locale.ROOT))) {
      return;
    }
    transactions.exclusively(h -> h.execute(statement));
    LOG.info("Created the index {} of {}", index, tableName);
  }

  /**
   * Those of {@code names} that name an index in the store's schema, lower case: one catalog query
   * for every table, where the driver's metadata query took several milliseconds a table on a
   * PostgreSQL server with many schemas.
   */
  private Set<String> presentIndexes(List<String> names) {
    if (names.isEmpty()) {
      return Set.of();
    }
    List<String> lower = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    return transactions.withHandle(h -> h.createQuery(dialect.presentIndexesQuery())
        .bind(0, Sql.textArray(lower))
        .map((rs, ctx) -> rs.getString(1).toLowerCase(Locale.ROOT))
        .collect(Collectors.toSet()));
  }

  /**
   * Whether two schema texts are the same JSON document, whatever the order of their keys: a type
   * registered again with its keys reordered is no change.
   */
  private static boolean sameDocument(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      return JSON.readTree(a).equals(JSON.readTree(b));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a payload type holds a schema that is not JSON", e);
    }
  }
}
