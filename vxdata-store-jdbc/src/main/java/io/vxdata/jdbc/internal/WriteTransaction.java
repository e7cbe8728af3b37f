package io.vxdata.jdbc.internal;

import io.vxdata.AccessLevel;
import io.vxdata.Cascade;
import io.vxdata.Fields;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.relation.Cardinality;
import io.vxdata.relation.Link;
import io.vxdata.relation.RelationType;
import io.vxdata.schema.BuiltInTypes;
import io.vxdata.schema.PayloadType;
import io.vxdata.spi.WriteValidator;
import io.vxdata.spi.WriteValidator.ValidCreate;
import io.vxdata.spi.WriteValidator.ValidUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * One write call: the checks that need stored state, then the new versions, all stamped with one
 * transaction time. Runs while the caller holds the store's write lock, so what it reads cannot
 * change before it commits. Works on the current tables only: a write always applies to the
 * latest state.
 */
final class WriteTransaction {

  private final Handle handle;
  private final Catalog catalog;
  private final Instant tx;
  private final Caller caller;
  /** The datasource at the root of each loaded current row's subtree (docs/behaviour.md §13.2), by identifier; null values kept. */
  private final Map<String, String> roots = new HashMap<>();
  /** The caller's rights, read once per write when it is not the system handle. */
  private Rights rights;
  /** Current rows read so far (tombstones included), by identifier. */
  private final Map<String, Resource> current = new HashMap<>();
  /** New versions of existing identifiers to write, by identifier; values not yet stamped. */
  private final Map<String, Resource> changed = new LinkedHashMap<>();
  /** Rows of new lives to insert, by identifier. */
  private final Map<String, Resource> created = new LinkedHashMap<>();
  /** What a create needs to know of the identifiers it names, by identifier. */
  private final Map<String, Stub> stubs = new HashMap<>();
  /** The payload types each identifier looked up so far has ever had ({@link Identifiers}); empty if none. */
  private final Map<String, Set<String>> lived = new HashMap<>();

  /** The current state of an identifier, as far as a create needs it. */
  private record Stub(String payloadType, boolean deleted, long version, String root, AccessLevel level) {}

  WriteTransaction(Handle handle, Catalog catalog, Instant tx, Caller caller) {
    this.handle = handle;
    this.catalog = catalog;
    this.tx = tx;
    this.caller = caller;
  }

  /** Links attached or detached by {@link #attach} or {@link #detach} (not those a delete or restore moves). */
  private int linkWrites;

  /** How many versions (or, for attach and detach, links) this write writes. */
  int writtenCount() {
    return created.size() + changed.size() + bulkCount + linkWrites;
  }

  /** The datasources whose subtrees this write changes: before and after, for moves. */
  Set<String> touchedDatasources() {
    Set<String> touched = new TreeSet<>(bulkTouched);
    created.values().forEach(r -> addIfPresent(touched, newRoot(r)));
    changed.values().forEach(r -> {
      addIfPresent(touched, roots.get(r.identifier()));
      addIfPresent(touched, newRoot(r));
    });
    linkEnds.forEach(id -> addIfPresent(touched, roots.get(id)));
    return touched;
  }

  private static void addIfPresent(Set<String> set, String value) {
    if (value != null) {
      set.add(value);
    }
  }

  /** Whether anything was written (the caller then advances the store's last commit time). */
  boolean wroteAnything() {
    return !created.isEmpty() || !changed.isEmpty() || bulkCount > 0 || linkWrites > 0;
  }

  // ---- writes by filter (docs/behaviour.md §15.5), planned and written in SQL by BulkWrites ----

  /** Versions written by statements of {@link BulkWrites}, which this write does not hold in memory. */
  private int bulkCount;
  /** The datasources those versions lie under. */
  private final Set<String> bulkTouched = new TreeSet<>();

  /** Records versions a write by filter wrote in SQL, for the commit and its log entry. */
  void wroteInSql(int count, Collection<String> datasources) {
    bulkCount += count;
    datasources.stream().filter(java.util.Objects::nonNull).forEach(bulkTouched::add);
  }

  Handle handle() {
    return handle;
  }

  Catalog catalog() {
    return catalog;
  }

  Instant tx() {
    return tx;
  }

  Caller caller() {
    return caller;
  }

  // ---- create ----

  int create(List<NewResource> resources) {
    List<ValidCreate> valid = WriteValidator.validateCreates(resources, catalog.types());
    Map<String, ValidCreate> batch = new LinkedHashMap<>();
    valid.forEach(v -> batch.put(v.identifier(), v));
    Set<String> referenced = new HashSet<>(batch.keySet());
    for (ValidCreate v : valid) {
      if (v.parentIdentifier() != null) {
        referenced.add(v.parentIdentifier());
      }
      referenced.addAll(v.derivedFrom());
    }
    probe(referenced);
    List<Violation> violations = new ArrayList<>();
    for (ValidCreate v : valid) {
      String id = v.identifier();
      Stub existing = stubs.get(id);
      if (existing != null && !visible(existing)) {
        // Held, or held before, by something the caller cannot see: identifiers are one namespace, so
        // the create must fail, but the answer says nothing of the holder (docs/behaviour.md §13.3).
        violations.add(new Violation(id, Fields.IDENTIFIER, TAKEN));
      } else if (existing != null && !existing.deleted()) {
        violations.add(new Violation(id, Fields.IDENTIFIER, "is already an active " + existing.payloadType()));
      }
      String parent = v.parentIdentifier();
      if (parent != null) {
        Stub parentStub = stubs.get(parent);
        String parentType = batch.containsKey(parent) ? batch.get(parent).type().name()
            : parentStub == null || parentStub.deleted() || !visible(parentStub) ? null : parentStub.payloadType();
        if (parentType == null) {
          violations.add(new Violation(id, Fields.PARENT_IDENTIFIER,
              "parent '" + parent + "' is not an active resource"));
        } else if (!v.type().allowsParentType(parentType)) {
          violations.add(parentTypeViolation(id, v.type(), parent, parentType));
        }
      }
      for (String source : v.derivedFrom()) {
        if (!batch.containsKey(source) && !(stubs.containsKey(source) && visible(stubs.get(source)))) {
          violations.add(new Violation(id, Fields.DERIVED_FROM, "'" + source + "' does not exist"));
        }
      }
      if (inBatchCycle(id, batch)) {
        violations.add(new Violation(id, Fields.PARENT_IDENTIFIER, "parents within the batch form a cycle"));
      }
      if (v.type().name().equals(BuiltInTypes.PATIENT)) {
        checkDatasourceId(id, v.payload().get(BuiltInTypes.DATASOURCE_ID), false, v.parentIdentifier(), violations);
      }
    }
    WriteValidator.throwIfAny(violations);
    for (ValidCreate v : valid) {
      Stub previous = stubs.get(v.identifier());
      long version = previous == null ? 1 : previous.version() + 1;
      created.put(v.identifier(), new Resource(v.identifier(), v.parentIdentifier(), v.type().name(), v.license(),
          v.accessLevel(), v.derivedFrom(), false, version, tx, tx, caller.principalId(), caller.principalId(),
          v.payload(), Optional.empty()));
    }
    checkCreateAccess();
    checkKeys();
    flush();
    return valid.size();
  }

  private static boolean inBatchCycle(String start, Map<String, ValidCreate> batch) {
    Set<String> seen = new HashSet<>();
    String at = start;
    while (at != null && batch.containsKey(at)) {
      if (!seen.add(at)) {
        return true;
      }
      at = batch.get(at).parentIdentifier();
    }
    return false;
  }

  // ---- update ----

  int update(Map<String, ResourceUpdate> updates) {
    WriteValidator.checkIdentifiers(new ArrayList<>(updates.keySet()), Fields.IDENTIFIER);
    load(updates.keySet());
    List<Violation> missing = new ArrayList<>();
    updates.forEach((id, update) -> {
      Resource row = current.get(id);
      boolean restoring = Boolean.FALSE.equals(update.changes().get(Fields.IS_DELETED));
      if (row == null || !visible(row)) {
        missing.add(new Violation(id, null, "no resource '" + id + "'"));
      } else if (row.isDeleted() && !restoring) {
        missing.add(new Violation(id, null, "resource '" + id + "' is deleted"));
      }
    });
    if (!missing.isEmpty()) {
      throw new NotFoundException(missing);
    }
    List<Violation> violations = new ArrayList<>();
    List<ValidUpdate> valid = new ArrayList<>();
    updates.forEach((id, update) -> {
      ValidUpdate v = WriteValidator.validateUpdate(id, update, type(current.get(id)), violations);
      if (v != null) {
        valid.add(v);
      }
    });
    WriteValidator.throwIfAny(violations);
    Set<String> referenced = new HashSet<>();
    for (ValidUpdate v : valid) {
      if (v.metadata().get(Fields.PARENT_IDENTIFIER) instanceof String parent) {
        referenced.add(parent);
      }
      if (v.metadata().get(Fields.DERIVED_FROM) instanceof List<?> sources) {
        sources.forEach(s -> referenced.add((String) s));
      }
    }
    load(referenced);
    for (ValidUpdate v : valid) {
      Resource row = current.get(v.identifier());
      Resource next = apply(row, v, violations);
      if (!sameContent(row, next)) {
        changed.put(row.identifier(), next);
      }
    }
    WriteValidator.throwIfAny(violations);
    List<String> deletes = new ArrayList<>();
    List<String> restores = new ArrayList<>();
    for (ValidUpdate v : valid) {
      Resource row = current.get(v.identifier());
      if (Boolean.TRUE.equals(v.deleted()) && !row.isDeleted()) {
        deletes.add(row.identifier());
      } else if (Boolean.FALSE.equals(v.deleted()) && row.isDeleted()) {
        restores.add(row.identifier());
      }
    }
    tombstone(deletes, Cascade.CASCADE);
    bringBack(restores);
    checkChangeAccess(updates.keySet());
    checkParentsActive();
    checkKeys();
    flush();
    return changed.size();
  }

  /** {@code row} with the validated changes applied; parent and lineage checks add violations. */
  private Resource apply(Resource row, ValidUpdate v, List<Violation> violations) {
    String id = row.identifier();
    Map<String, Object> meta = v.metadata();
    String parent = meta.containsKey(Fields.PARENT_IDENTIFIER) ? (String) meta.get(Fields.PARENT_IDENTIFIER)
        : row.parentIdentifier();
    if (parent != null && !parent.equals(row.parentIdentifier())) {
      // A new parent the caller cannot see is as absent as one that does not exist.
      String parentType = changed.containsKey(parent) || current.get(parent) == null || visible(current.get(parent))
          ? activeType(parent) : null;
      if (parentType == null) {
        violations.add(new Violation(id, Fields.PARENT_IDENTIFIER, "parent '" + parent + "' is not an active resource"));
      } else if (!type(row).allowsParentType(parentType)) {
        violations.add(parentTypeViolation(id, type(row), parent, parentType));
      } else if (ancestorsOrSelf(parent).contains(id)) {
        violations.add(new Violation(id, Fields.PARENT_IDENTIFIER,
            "'" + parent + "' is in the subtree of '" + id + "': the move would make a cycle"));
      }
    }
    @SuppressWarnings("unchecked")
    List<String> derivedFrom = meta.containsKey(Fields.DERIVED_FROM) ? (List<String>) meta.get(Fields.DERIVED_FROM)
        : row.derivedFrom();
    if (meta.containsKey(Fields.DERIVED_FROM)) {
      for (String source : derivedFrom) {
        // An entry the caller cannot see does not exist for it, unless the list held it already.
        if (!current.containsKey(source) || !visible(current.get(source)) && !row.derivedFrom().contains(source)) {
          violations.add(new Violation(id, Fields.DERIVED_FROM, "'" + source + "' does not exist"));
        }
      }
    }
    String license = meta.containsKey(Fields.LICENSE) ? (String) meta.get(Fields.LICENSE) : row.license();
    AccessLevel level = meta.get(Fields.ACCESS_LEVEL) instanceof AccessLevel a ? a : row.accessLevel();
    if (row.payloadType().equals(BuiltInTypes.PATIENT) && v.payload().containsKey(BuiltInTypes.DATASOURCE_ID)) {
      checkDatasourceId(id, v.payload().get(BuiltInTypes.DATASOURCE_ID), true, parent, violations);
    }
    Map<String, Object> payload = new LinkedHashMap<>(row.payload());
    payload.putAll(v.payload());
    return new Resource(id, parent, row.payloadType(), license, level, derivedFrom, row.isDeleted(), row.version(),
        row.createdAt(), row.updatedAt(), row.createdBy(), row.updatedBy(), payload, Optional.empty());
  }

  private static boolean sameContent(Resource a, Resource b) {
    return java.util.Objects.equals(a.parentIdentifier(), b.parentIdentifier())
        && java.util.Objects.equals(a.license(), b.license())
        && a.accessLevel() == b.accessLevel()
        && a.derivedFrom().equals(b.derivedFrom())
        && a.isDeleted() == b.isDeleted()
        && a.payload().equals(b.payload());
  }

  /** The identifier itself and its ancestors in the current state. */
  private Set<String> ancestorsOrSelf(String identifier) {
    Set<String> chain = new LinkedHashSet<>();
    String at = identifier;
    while (at != null && chain.add(at)) {
      load(List.of(at));
      Resource row = changed.getOrDefault(at, current.get(at));
      at = row == null ? null : row.parentIdentifier();
    }
    return chain;
  }

  // ---- delete and restore ----

  int delete(List<String> identifiers, Cascade cascade) {
    WriteValidator.checkIdentifiers(identifiers, Fields.IDENTIFIER);
    requireExisting(identifiers);
    List<String> active = identifiers.stream().distinct().filter(id -> !current.get(id).isDeleted()).toList();
    if (cascade == Cascade.RESTRICT) {
      Set<String> deleting = new HashSet<>(active);
      List<Violation> violations = new ArrayList<>();
      Set<String> hiddenChildren = new TreeSet<>();
      for (Resource child : childRows(active, r -> !r.isDeleted())) {
        if (deleting.contains(child.identifier())) {
          continue;
        }
        if (visible(child)) {
          violations.add(new Violation(child.parentIdentifier(), Fields.IDENTIFIER,
              "has active child '" + child.identifier() + "'; delete it first or delete with cascade"));
        } else {
          hiddenChildren.add(child.parentIdentifier());
        }
      }
      // Children the caller cannot see are not named (docs/behaviour.md §13.3).
      hiddenChildren.forEach(parent -> violations.add(new Violation(parent, Fields.IDENTIFIER,
          "has active children; delete them first or delete with cascade")));
      WriteValidator.throwIfAny(violations);
    }
    tombstone(active, cascade);
    checkChangeAccess(identifiers);
    flush();
    return changed.size();
  }

  int restore(List<String> identifiers) {
    WriteValidator.checkIdentifiers(identifiers, Fields.IDENTIFIER);
    requireExisting(identifiers);
    bringBack(identifiers.stream().distinct().filter(id -> current.get(id).isDeleted()).toList());
    checkChangeAccess(identifiers);
    checkParentsActive();
    checkKeys();
    flush();
    return changed.size();
  }

  private void requireExisting(List<String> identifiers) {
    load(identifiers);
    List<Violation> missing = new ArrayList<>();
    for (String id : new LinkedHashSet<>(identifiers)) {
      if (!current.containsKey(id) || !visible(current.get(id))) {
        missing.add(new Violation(id, null, "no resource '" + id + "'"));
      }
    }
    if (!missing.isEmpty()) {
      throw new NotFoundException(missing);
    }
  }

  /** Plans tombstones for {@code roots} and, with cascade, their active subtrees. */
  private void tombstone(List<String> roots, Cascade cascade) {
    List<String> frontier = new ArrayList<>(roots);
    roots.forEach(this::markDeleted);
    while (cascade == Cascade.CASCADE && !frontier.isEmpty()) {
      List<String> next = new ArrayList<>();
      for (Resource child : childRows(frontier, r -> !r.isDeleted())) {
        if (!changed.containsKey(child.identifier()) || !changed.get(child.identifier()).isDeleted()) {
          markDeleted(child.identifier());
          next.add(child.identifier());
        }
      }
      frontier = next;
    }
  }

  /**
   * Plans restores for {@code roots} and for the descendants the same delete tombstoned: those whose
   * tombstone has the root's tombstone transaction time.
   */
  private void bringBack(List<String> roots) {
    Map<Instant, List<String>> byDeleteTime = new LinkedHashMap<>();
    for (String id : roots) {
      byDeleteTime.computeIfAbsent(current.get(id).updatedAt(), k -> new ArrayList<>()).add(id);
      markRestored(id);
    }
    byDeleteTime.forEach((deletedAt, group) -> {
      List<String> frontier = group;
      while (!frontier.isEmpty()) {
        List<String> next = new ArrayList<>();
        for (Resource child : childRows(frontier, r -> r.isDeleted() && r.updatedAt().equals(deletedAt))) {
          if (!changed.containsKey(child.identifier()) || changed.get(child.identifier()).isDeleted()) {
            markRestored(child.identifier());
            next.add(child.identifier());
          }
        }
        frontier = next;
      }
    });
  }

  private void markDeleted(String id) {
    changed.put(id, withDeleted(changed.getOrDefault(id, current.get(id)), true));
  }

  private void markRestored(String id) {
    changed.put(id, withDeleted(changed.getOrDefault(id, current.get(id)), false));
  }

  private static Resource withDeleted(Resource r, boolean deleted) {
    return new Resource(r.identifier(), r.parentIdentifier(), r.payloadType(), r.license(), r.accessLevel(),
        r.derivedFrom(), deleted, r.version(), r.createdAt(), r.updatedAt(), r.createdBy(), r.updatedBy(), r.payload(),
        Optional.empty());
  }

  /** Every resource that is active after this write must have an active parent after it too. */
  private void checkParentsActive() {
    List<Violation> violations = new ArrayList<>();
    Set<String> parents = new HashSet<>();
    changed.values().forEach(r -> {
      if (!r.isDeleted() && r.parentIdentifier() != null) {
        parents.add(r.parentIdentifier());
      }
    });
    load(parents);
    for (Resource r : changed.values()) {
      if (r.isDeleted() || r.parentIdentifier() == null) {
        continue;
      }
      Resource parent = changed.getOrDefault(r.parentIdentifier(), current.get(r.parentIdentifier()));
      if (parent == null || parent.isDeleted()) {
        boolean restoring = current.get(r.identifier()).isDeleted();
        violations.add(new Violation(r.identifier(), Fields.PARENT_IDENTIFIER, restoring
            ? "cannot restore under deleted parent '" + r.parentIdentifier() + "'; restore the parent first"
            : "parent '" + r.parentIdentifier() + "' is deleted"));
      }
    }
    WriteValidator.throwIfAny(violations);
  }

  // ---- keys (docs/behaviour.md §12.3) ----

  /**
   * The key of a patient or study: its type, its parent (the datasource of a patient, the patient of a
   * study) and its external uid. A patient's {@code datasource_id} is not part of it: it always equals
   * the parent, so keying by the parent is the same key and cannot go stale.
   */
  record Key(String type, String owner, Object externalUid) {

    static Key of(Resource r) {
      return new Key(r.payloadType(), r.parentIdentifier(), r.payload().get(BuiltInTypes.EXTERNAL_UID));
    }

    @Override
    public String toString() {
      String ownerType = type.equals(BuiltInTypes.PATIENT) ? BuiltInTypes.DATASOURCE : BuiltInTypes.PATIENT;
      return "(" + ownerType + " '" + owner + "', external_uid '" + externalUid + "')";
    }
  }

  /**
   * A supplied {@code datasource_id} must name the patient's parent: the store derives it (in
   * {@link #flush()}), so the only value a caller may send is the one it would get anyway.
   */
  private static void checkDatasourceId(String id, Object supplied, boolean explicit, String parent,
      List<Violation> violations) {
    if ((supplied != null || explicit) && !java.util.Objects.equals(supplied, parent)) {
      violations.add(new Violation(id, BuiltInTypes.DATASOURCE_ID, "is the patient's parent datasource, set by the"
          + " store: it must be '" + parent + "' or left out, not " + (supplied == null ? "null" : "'" + supplied + "'")));
    }
  }

  /**
   * Checks the keys this write gives out: every patient or study that becomes active, is re-created,
   * moves or changes its external uid must have an external uid, and its key must be held by no other
   * resource that is active after this write, in the batch or stored. Throws listing every conflict.
   */
  private void checkKeys() {
    WriteValidator.throwIfAny(keyViolations(handle));
  }

  /**
   * The key problems of this write, checked against the current tables as {@code reader} sees them.
   * Also used after a unique violation from the database, with a new handle, to name the holder.
   */
  List<Violation> keyViolations(Handle reader) {
    List<Resource> claims = new ArrayList<>();
    created.values().stream().filter(r -> BuiltInTypes.isKeyed(r.payloadType())).forEach(claims::add);
    changed.forEach((id, next) -> {
      Resource before = current.get(id);
      if (BuiltInTypes.isKeyed(next.payloadType()) && !next.isDeleted()
          && (before.isDeleted() || !Key.of(before).equals(Key.of(next)))) {
        claims.add(next);
      }
    });
    List<Violation> violations = new ArrayList<>();
    Map<Key, String> claimed = new LinkedHashMap<>();
    for (Resource r : claims) {
      Key key = Key.of(r);
      if (key.externalUid() == null) {
        violations.add(new Violation(r.identifier(), BuiltInTypes.EXTERNAL_UID, "is required for a "
            + r.payloadType() + ": with the parent it is the key, unique among active " + r.payloadType() + "s"));
        continue;
      }
      String first = claimed.putIfAbsent(key, r.identifier());
      if (first != null) {
        violations.add(new Violation(r.identifier(), BuiltInTypes.EXTERNAL_UID, "the key " + key
            + " is also given to '" + first + "' in this request"));
      }
    }
    Map<String, List<String>> uidsByType = new LinkedHashMap<>();
    claimed.keySet().forEach(k -> uidsByType.computeIfAbsent(k.type(), t -> new ArrayList<>())
        .add((String) k.externalUid()));
    uidsByType.forEach((typeName, uids) -> {
      TypeTable table = catalog.table(typeName);
      Set<String> hidden = new HashSet<>();
      reader.createQuery("SELECT identifier, parent_identifier, " + TypeTable.quote(BuiltInTypes.EXTERNAL_UID)
              + ", " + TypeTable.ROOT + ", access_level FROM "
              + catalog.dialect().keyedRows(table.current(), TypeTable.quote(BuiltInTypes.EXTERNAL_UID))
              + " AND NOT is_deleted ORDER BY identifier")
          .bind(0, Sql.keys(uids))
          .map((rs, ctx) -> {
            if (!caller.system() && !rights(reader).sees(rs.getString(4), AccessLevel.values()[rs.getShort(5)])) {
              hidden.add(rs.getString(1));
            }
            return Map.entry(rs.getString(1), new Key(typeName, rs.getString(2), rs.getString(3)));
          })
          .forEach(holder -> {
            String claimant = claimed.get(holder.getValue());
            if (claimant != null && !claimant.equals(holder.getKey()) && stillHolds(holder.getKey(), holder.getValue())) {
              // A holder the caller cannot see is not named (docs/behaviour.md §13.3): the key is taken, no more.
              violations.add(new Violation(claimant, BuiltInTypes.EXTERNAL_UID, hidden.contains(holder.getKey())
                  ? "the key " + holder.getValue() + " is taken"
                  : "the key " + holder.getValue() + " is held by active " + typeName + " '" + holder.getKey() + "'"));
            }
          });
    });
    return violations;
  }

  /** Whether a stored holder of {@code key} still holds it after this write (it may move, change or go). */
  private boolean stillHolds(String identifier, Key key) {
    Resource next = changed.get(identifier);
    return next == null || !next.isDeleted() && Key.of(next).equals(key);
  }

  /** {@code r} with the fields the store derives: a patient's {@code datasource_id} is its parent. */
  private static Resource derived(Resource r) {
    if (!r.payloadType().equals(BuiltInTypes.PATIENT)
        || java.util.Objects.equals(r.payload().get(BuiltInTypes.DATASOURCE_ID), r.parentIdentifier())) {
      return r;
    }
    Map<String, Object> payload = new LinkedHashMap<>(r.payload());
    payload.put(BuiltInTypes.DATASOURCE_ID, r.parentIdentifier());
    return new Resource(r.identifier(), r.parentIdentifier(), r.payloadType(), r.license(), r.accessLevel(),
        r.derivedFrom(), r.isDeleted(), r.version(), r.createdAt(), r.updatedAt(), r.createdBy(), r.updatedBy(), payload,
        Optional.empty());
  }

  // ---- registration ----

  /** Creates a resource with a fresh identifier and returns it. */
  String register(String prefix, String payloadType, String parent, Map<String, Object> payload) {
    String id = allocate(prefix);
    create(List.of(NewResource.builder(payloadType, id).parent(parent).setAll(payload).build()));
    return id;
  }

  /** Identifiers allocated by this write: one batch shares a transaction time, so only the random part differs. */
  private final Set<String> allocated = new HashSet<>();

  /** A fresh identifier of this transaction time (docs/behaviour.md §5), distinct from every other it allocated. */
  String allocate(String prefix) {
    String id;
    do {
      id = IdAllocator.allocate(prefix, tx);
    } while (!allocated.add(id));
    return id;
  }

  // ---- reading the current state ----

  /**
   * Loads the current rows (tombstones included) of the identifiers not loaded yet: from the tables of
   * the types the identifier index names for them only, one statement per type present.
   */
  void load(Collection<String> identifiers) {
    List<String> missing = identifiers.stream().filter(id -> !current.containsKey(id)).distinct().toList();
    if (missing.isEmpty()) {
      return;
    }
    lookUp(missing).forEach((typeName, ids) -> rows(catalog.table(typeName), "identifier", ids)
        .forEach(r -> current.put(r.identifier(), r)));
  }

  /**
   * {@code identifiers} grouped by the types they have ever had (an identifier in each of its types'
   * groups, one never created in none), read from the identifier index once per identifier per write.
   */
  private Map<String, List<String>> lookUp(Collection<String> identifiers) {
    List<String> unknown = identifiers.stream().filter(id -> !lived.containsKey(id)).distinct().toList();
    if (!unknown.isEmpty()) {
      Map<String, java.util.TreeSet<String>> found = Identifiers.typesOf(handle, catalog, unknown);
      unknown.forEach(id -> lived.put(id, found.containsKey(id) ? found.get(id) : Set.of()));
    }
    Map<String, List<String>> byType = new java.util.TreeMap<>();
    for (String id : new LinkedHashSet<>(identifiers)) {
      lived.get(id).forEach(t -> byType.computeIfAbsent(t, k -> new ArrayList<>()).add(id));
    }
    return byType;
  }

  /**
   * The payload types of those of {@code identifiers} that are active and that the caller may see, by
   * identifier: one statement, whose answer a create in this write reuses (a registration's owners).
   */
  Map<String, String> activeVisibleTypes(Collection<String> identifiers) {
    probe(identifiers);
    Map<String, String> types = new HashMap<>();
    for (String id : identifiers) {
      Stub stub = stubs.get(id);
      if (stub != null && !stub.deleted() && visible(stub)) {
        types.put(id, stub.payloadType());
      }
    }
    return types;
  }

  /** The current row of a loaded identifier (tombstone included), or {@code null}. */
  Resource currentRow(String identifier) {
    return current.get(identifier);
  }

  /**
   * Reads what a create needs of {@code identifiers} (type, tombstone, version): the identifier index
   * says which types' tables may hold each, then one statement reads the current tables of those types
   * only. Identifiers never created (most of an ingest's) cost one key probe of the index, not one of
   * every current table.
   */
  private void probe(Collection<String> identifiers) {
    List<String> missing = identifiers.stream().filter(id -> !stubs.containsKey(id)).distinct().toList();
    if (missing.isEmpty()) {
      return;
    }
    Map<String, List<String>> byType = lookUp(missing);
    if (byType.isEmpty()) {
      return;
    }
    List<String> branches = new ArrayList<>();
    List<Argument> args = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : byType.entrySet()) {
      TypeTable table = catalog.table(e.getKey());
      branches.add("SELECT identifier, '" + table.name() + "', is_deleted, version, " + TypeTable.ROOT
          + ", access_level FROM " + catalog.dialect().keyedRows(table.current(), "identifier"));
      args.add(Sql.keys(e.getValue()));
    }
    Sql.bindAll(handle.createQuery(String.join(" UNION ALL ", branches)), args)
        .map((rs, ctx) -> Map.entry(rs.getString(1), new Stub(rs.getString(2), rs.getBoolean(3), rs.getLong(4),
            rs.getString(5), AccessLevel.values()[rs.getShort(6)])))
        .forEach(e -> stubs.put(e.getKey(), e.getValue()));
  }

  /** Current rows whose parent is one of {@code parents} and which pass {@code filter}. */
  private List<Resource> childRows(Collection<String> parents, Predicate<Resource> filter) {
    if (parents.isEmpty()) {
      return List.of();
    }
    List<Resource> children = new ArrayList<>();
    for (Resource r : rows("parent_identifier", parents)) {
      current.putIfAbsent(r.identifier(), r);
      if (filter.test(current.get(r.identifier()))) {
        children.add(current.get(r.identifier()));
      }
    }
    return children;
  }

  private List<Resource> rows(String keyColumn, Collection<String> keys) {
    List<Resource> rows = new ArrayList<>();
    for (TypeTable table : catalog.tables().values()) {
      rows.addAll(rows(table, keyColumn, keys));
    }
    return rows;
  }

  /** The current rows of {@code table} whose {@code keyColumn} is one of {@code keys}. */
  private List<Resource> rows(TypeTable table, String keyColumn, Collection<String> keys) {
    return handle.createQuery("SELECT " + table.rowColumns() + " FROM "
            + catalog.dialect().keyedRows(table.current(), keyColumn))
        .bind(0, Sql.keys(keys))
        .map((rs, ctx) -> {
          Resource r = table.map(rs);
          roots.putIfAbsent(r.identifier(), rs.getString(table.rootPosition()));
          return r;
        })
        .list();
  }

  private String activeType(String identifier) {
    Resource row = changed.getOrDefault(identifier, current.get(identifier));
    return row == null || row.isDeleted() ? null : row.payloadType();
  }

  private PayloadType type(Resource row) {
    return catalog.table(row.payloadType()).type();
  }

  private static Violation parentTypeViolation(String id, PayloadType type, String parent, String parentType) {
    return new Violation(id, Fields.PARENT_IDENTIFIER, "a " + type.name() + " must be under a "
        + String.join(" or ", new TreeSet<>(type.parentTypes())) + ", but '" + parent + "' is a " + parentType);
  }

  // ---- writing ----

  // ---- links (docs/behaviour.md §15.1) ----

  /** The resources at either end of the links {@link #attach} or {@link #detach} wrote: their datasources are touched. */
  private final Set<String> linkEnds = new TreeSet<>();

  /**
   * Attaches the links not attached yet. Every end must be an active resource the caller may see and
   * edit, of the relation's type; the links attached after this write must respect both
   * cardinalities.
   */
  int attach(List<Link> links) {
    Map<Link, RelationType> batch = checkLinks(links, true);
    Set<Link> attached = currentLinks(batch);
    List<Link> fresh = batch.keySet().stream().filter(l -> !attached.contains(l)).toList();
    WriteValidator.throwIfAny(cardinalityViolations(attached, fresh, batch));
    insertLinks(fresh);
    linkWrites += fresh.size();
    return fresh.size();
  }

  /** Detaches the attached ones of {@code links}; both ends must exist (deleted or not) and be editable by the caller. */
  int detach(List<Link> links) {
    Map<Link, RelationType> batch = checkLinks(links, false);
    Set<Link> attached = currentLinks(batch);
    List<Link> gone = batch.keySet().stream().filter(attached::contains).toList();
    if (!gone.isEmpty()) {
      var update = handle.prepareBatch("UPDATE vx_link SET valid_to = ?, detached_by = ? WHERE relation = ?"
          + " AND source_id = ? AND target_id = ? AND valid_to IS NULL");
      for (Link l : gone) {
        update.bind(0, Sql.time(tx)).bind(1, Sql.text(caller.principalId())).bind(2, Sql.text(l.relation()))
            .bind(3, Sql.text(l.from())).bind(4, Sql.text(l.to())).add();
      }
      update.execute();
    }
    linkWrites += gone.size();
    return gone.size();
  }

  /**
   * The distinct links of a batch with their relations, once every check that needs no other link has
   * passed: relations known, ends existing and visible (active too, when {@code attaching}), of the
   * right types, and editable by the caller.
   */
  private Map<Link, RelationType> checkLinks(List<Link> links, boolean attaching) {
    Map<Link, RelationType> batch = new LinkedHashMap<>();
    List<Violation> violations = new ArrayList<>();
    Set<String> ends = new LinkedHashSet<>();
    for (int i = 0; i < links.size(); i++) {
      Link l = links.get(i);
      RelationType relation = catalog.relation(l.relation());
      if (relation == null) {
        violations.add(new Violation(l.from(), "links[" + i + "].relation", "unknown relation '" + l.relation()
            + "'; registered: " + new TreeSet<>(catalog.relations().keySet())));
      } else {
        batch.put(l, relation);
        ends.add(l.from());
        ends.add(l.to());
      }
    }
    WriteValidator.throwIfAny(violations);
    load(ends);
    List<Violation> missing = new ArrayList<>();
    for (String id : ends) {
      Resource row = current.get(id);
      if (row == null || !visible(row)) {
        missing.add(new Violation(id, null, "no resource '" + id + "'"));
      } else if (attaching && row.isDeleted()) {
        missing.add(new Violation(id, null, "resource '" + id + "' is deleted"));
      }
    }
    if (!missing.isEmpty()) {
      throw new NotFoundException(missing);
    }
    batch.forEach((l, relation) -> {
      checkEndType(l.from(), "from", relation.sourceType(), relation, violations);
      checkEndType(l.to(), "to", relation.targetType(), relation, violations);
    });
    WriteValidator.throwIfAny(violations);
    if (!caller.system() && !rights().admin()) {
      List<Violation> refused = new ArrayList<>();
      for (String id : ends) {
        Resource row = current.get(id);
        if (!rights().edits(roots.get(id), row.accessLevel())) {
          refused.add(new Violation(id, null, refusal(row)));
        }
      }
      throwIfRefused(refused);
    }
    linkEnds.addAll(ends);
    return batch;
  }

  private void checkEndType(String id, String field, String type, RelationType relation, List<Violation> violations) {
    String actual = current.get(id).payloadType();
    if (!actual.equals(type)) {
      violations.add(new Violation(id, field, "is a " + actual + ", but relation '" + relation.name() + "' goes from a "
          + relation.sourceType() + " to a " + relation.targetType()));
    }
  }

  /**
   * The attached links that share a source with {@code near}, and those that share a target with a link
   * of {@code near} whose relation allows one source per target: enough to tell which of {@code near}
   * are attached and what the cardinalities count. Each side is one statement on its index; a target
   * with many sources (a family's members) is not read when nothing limits them.
   */
  private Set<Link> currentLinks(Map<Link, RelationType> near) {
    Set<Link> found = new LinkedHashSet<>();
    Set<String> names = new HashSet<>();
    Set<String> sources = new LinkedHashSet<>();
    Set<String> oneSourceTargets = new LinkedHashSet<>();
    near.forEach((l, relation) -> {
      names.add(relation.name());
      sources.add(l.from());
      if (relation.sourcesPerTarget() == Cardinality.ONE) {
        oneSourceTargets.add(l.to());
      }
    });
    for (String side : List.of("source_id", "target_id")) {
      Set<String> ids = side.equals("source_id") ? sources : oneSourceTargets;
      if (ids.isEmpty()) {
        continue;
      }
      handle.createQuery("SELECT relation, source_id, target_id FROM " + catalog.dialect().keyedRows("vx_link", side)
              + " AND valid_to IS NULL")
          .bind(0, Sql.keys(ids))
          .map((rs, ctx) -> new Link(rs.getString(1), rs.getString(2), rs.getString(3)))
          .forEach(l -> {
            if (names.contains(l.relation())) {
              found.add(l);
            }
          });
    }
    return found;
  }

  /**
   * What the cardinalities of {@code relations} say of {@code attached} plus {@code fresh}: a source with
   * two targets where one is allowed, or a target with two sources. Other ends are not named: the caller
   * may not be able to see them.
   */
  private static List<Violation> cardinalityViolations(Set<Link> attached, List<Link> fresh,
      Map<Link, RelationType> relations) {
    Map<String, RelationType> byName = new HashMap<>();
    relations.values().forEach(r -> byName.put(r.name(), r));
    Map<List<String>, Integer> targetsOf = new HashMap<>();
    Map<List<String>, Integer> sourcesOf = new HashMap<>();
    Set<Link> all = new LinkedHashSet<>(attached);
    all.addAll(fresh);
    for (Link l : all) {
      targetsOf.merge(List.of(l.relation(), l.from()), 1, Integer::sum);
      sourcesOf.merge(List.of(l.relation(), l.to()), 1, Integer::sum);
    }
    List<Violation> violations = new ArrayList<>();
    Set<List<String>> reported = new HashSet<>();
    for (Link l : fresh) {
      RelationType r = byName.get(l.relation());
      if (r.targetsPerSource() == Cardinality.ONE && targetsOf.get(List.of(l.relation(), l.from())) > 1
          && reported.add(List.of("from", l.relation(), l.from()))) {
        violations.add(new Violation(l.from(), "to", "a " + r.sourceType() + " has at most one '" + r.name()
            + "' link (to a " + r.targetType() + "); detach the one it has first"));
      }
      if (r.sourcesPerTarget() == Cardinality.ONE && sourcesOf.get(List.of(l.relation(), l.to())) > 1
          && reported.add(List.of("to", l.relation(), l.to()))) {
        violations.add(new Violation(l.to(), "from", "a " + r.targetType() + " has at most one '" + r.name()
            + "' link (from a " + r.sourceType() + "); detach the one it has first"));
      }
    }
    return violations;
  }

  private void insertLinks(Collection<Link> links) {
    if (links.isEmpty()) {
      return;
    }
    var insert = handle.prepareBatch("INSERT INTO vx_link (relation, source_id, target_id, valid_from, attached_by)"
        + " VALUES (?, ?, ?, ?, ?)");
    for (Link l : links) {
      insert.bind(0, Sql.text(l.relation())).bind(1, Sql.text(l.from())).bind(2, Sql.text(l.to()))
          .bind(3, Sql.time(tx)).bind(4, Sql.text(caller.principalId())).add();
    }
    insert.execute();
  }

  /**
   * Detaches the links of the resources this write deletes, at its time, and attaches again the links
   * the delete of each resource it restores detached: those that ended at its tombstone's time, whose
   * other end is active after this write in the same life, as far as the cardinalities allow.
   */
  private void followDeletesAndRestores() {
    List<String> deleted = new ArrayList<>();
    Map<Instant, List<String>> restoredByDeleteTime = new LinkedHashMap<>();
    changed.forEach((id, next) -> {
      Resource before = current.get(id);
      if (next.isDeleted() && !before.isDeleted()) {
        deleted.add(id);
      } else if (!next.isDeleted() && before.isDeleted()) {
        restoredByDeleteTime.computeIfAbsent(before.updatedAt(), k -> new ArrayList<>()).add(id);
      }
    });
    if (!deleted.isEmpty()) {
      for (String side : List.of("source_id", "target_id")) {
        handle.createUpdate("UPDATE vx_link SET valid_to = ?, detached_by = ? WHERE " + side + " = ANY(?)"
                + " AND valid_to IS NULL")
            .bind(0, Sql.time(tx)).bind(1, Sql.text(caller.principalId())).bind(2, Sql.textArray(deleted))
            .execute();
      }
    }
    if (restoredByDeleteTime.isEmpty()) {
      return;
    }
    Map<Link, Instant> candidates = new LinkedHashMap<>();
    restoredByDeleteTime.forEach((deletedAt, ids) -> {
      for (String side : List.of("source_id", "target_id")) {
        handle.createQuery("SELECT relation, source_id, target_id FROM " + catalog.dialect().keyedRows("vx_link", side)
                + " AND valid_to = ?")
            .bind(0, Sql.keys(ids)).bind(1, Sql.time(deletedAt))
            .map((rs, ctx) -> new Link(rs.getString(1), rs.getString(2), rs.getString(3)))
            .forEach(l -> candidates.put(l, deletedAt));
      }
    });
    Set<String> ends = new HashSet<>();
    candidates.keySet().forEach(l -> {
      ends.add(l.from());
      ends.add(l.to());
    });
    load(ends);
    Map<Link, RelationType> back = new LinkedHashMap<>();
    candidates.forEach((l, endedAt) -> {
      RelationType relation = catalog.relation(l.relation());
      if (relation != null && activeInLifeBefore(l.from(), endedAt) && activeInLifeBefore(l.to(), endedAt)) {
        back.put(l, relation);
      }
    });
    Set<Link> attached = currentLinks(back);
    List<Link> restored = new ArrayList<>();
    for (Link l : back.keySet()) {
      if (!attached.contains(l) && cardinalityViolations(attached, List.of(l), back).isEmpty()) {
        attached.add(l);
        restored.add(l);
      }
    }
    insertLinks(restored);
  }

  /**
   * Whether {@code id} is active after this write, restored by it or in a life that began no later than
   * {@code endedAt}: a link is not attached again to a later life of the other end.
   */
  private boolean activeInLifeBefore(String id, Instant endedAt) {
    Resource after = changed.getOrDefault(id, current.get(id));
    if (after == null || after.isDeleted()) {
      return false;
    }
    return changed.containsKey(id) && current.get(id).isDeleted() || !after.createdAt().isAfter(endedAt);
  }

  /** Writes the planned versions: superseded rows move to history, new rows go to the current tables. */
  private void flush() {
    followDeletesAndRestores();
    Map<String, List<String>> retired = new LinkedHashMap<>();
    Map<String, List<String>> deleted = new LinkedHashMap<>();
    Map<String, List<Replacement>> replaced = new LinkedHashMap<>();
    Map<String, List<Resource>> inserts = new LinkedHashMap<>();
    boolean inPlace = catalog.dialect().updatesInPlace();
    changed.forEach((id, next) -> {
      Resource before = current.get(id);
      Resource row = stamp(derived(next), before.version() + 1, before.createdAt());
      retired.computeIfAbsent(before.payloadType(), k -> new ArrayList<>()).add(id);
      if (inPlace && before.payloadType().equals(next.payloadType())) {
        replaced.computeIfAbsent(next.payloadType(), k -> new ArrayList<>()).add(new Replacement(before, row));
      } else {
        deleted.computeIfAbsent(before.payloadType(), k -> new ArrayList<>()).add(id);
        inserts.computeIfAbsent(next.payloadType(), k -> new ArrayList<>()).add(row);
      }
    });
    created.forEach((id, fresh) -> {
      Stub before = stubs.get(id);
      if (before != null) {
        retired.computeIfAbsent(before.payloadType(), k -> new ArrayList<>()).add(id);
        deleted.computeIfAbsent(before.payloadType(), k -> new ArrayList<>()).add(id);
      }
      inserts.computeIfAbsent(fresh.payloadType(), k -> new ArrayList<>()).add(derived(fresh));
    });
    retired.forEach((typeName, ids) -> {
      TypeTable table = catalog.table(typeName);
      handle.createUpdate("INSERT INTO " + table.history() + " (" + table.rowColumns() + ", _sys_to) SELECT "
              + table.rowColumns() + ", ? FROM " + catalog.dialect().keyedRows(table.current(), "identifier"))
          .bind(0, Sql.time(tx))
          .bind(1, Sql.keys(ids))
          .execute();
    });
    deleted.forEach((typeName, ids) -> handle.createUpdate("DELETE FROM " + catalog.table(typeName).current()
            + " WHERE identifier = ANY(?)")
        .bind(0, Sql.textArray(ids))
        .execute());
    replaced.forEach((typeName, rows) -> replace(catalog.table(typeName), rows));
    inserts.forEach((typeName, rows) -> insert(catalog.table(typeName), rows));
    recordNewTypes();
    moveSubtrees();
  }

  /** Adds to the identifier index the type of every life this write creates that its identifier never had. */
  private void recordNewTypes() {
    if (created.isEmpty()) {
      return;
    }
    lookUp(created.keySet());
    List<String> ids = new ArrayList<>();
    List<String> types = new ArrayList<>();
    boolean retyped = false;
    for (Map.Entry<String, Resource> e : created.entrySet()) {
      String id = e.getKey();
      String type = e.getValue().payloadType();
      if (!lived.get(id).contains(type)) {
        retyped |= !lived.get(id).isEmpty();
        ids.add(id);
        types.add(type);
        Set<String> now = new java.util.TreeSet<>(lived.get(id));
        now.add(type);
        lived.put(id, now);
      }
    }
    Identifiers.record(handle, ids, types);
    if (retyped) {
      // What readers kept of the index is no longer complete (IdentifierTypes).
      handle.execute("UPDATE vx_meta SET retypes = retypes + 1 WHERE id = 1");
    }
  }

  /**
   * Rewrites the root column of the current rows under every resource this write moved to another
   * datasource (or out of one): one recursive walk per moved resource, one update per table.
   */
  private void moveSubtrees() {
    for (Resource next : changed.values()) {
      String before = roots.get(next.identifier());
      String after = newRoot(next);
      if (java.util.Objects.equals(before, after)) {
        continue;
      }
      List<String> nodes = new ArrayList<>();
      List<Argument> args = new ArrayList<>();
      args.add(Sql.text(next.identifier()));
      for (TypeTable t : catalog.tables().values()) {
        nodes.add("SELECT identifier, parent_identifier FROM " + t.current());
      }
      // The anchor reads the moved row itself, so the walk's column has the identifier columns' collation.
      String anchor = "SELECT identifier FROM " + catalog.table(next.payloadType()).current() + " WHERE identifier = ?";
      List<String> subtree = Sql.bindAll(handle.createQuery("WITH RECURSIVE vx_sub(vx_node) AS ("
              + anchor + " UNION ALL SELECT n.identifier FROM (" + String.join(" UNION ALL ", nodes)
              + ") n JOIN vx_sub s ON n.parent_identifier = s.vx_node) SELECT vx_node FROM vx_sub"), args)
          .mapTo(String.class).list();
      for (TypeTable t : catalog.tables().values()) {
        handle.createUpdate("UPDATE " + t.current() + " SET " + TypeTable.ROOT + " = ? WHERE identifier = ANY(?)")
            .bind(0, Sql.text(after))
            .bind(1, Sql.textArray(subtree))
            .execute();
      }
    }
  }

  /**
   * The datasource at the root of {@code r}'s subtree once this write is applied: itself for a
   * datasource, else its parent's, following parents planned in this write first.
   */
  private String newRoot(Resource r) {
    Set<String> seen = new HashSet<>();
    Resource at = r;
    while (seen.add(at.identifier())) {
      if (at.payloadType().equals(BuiltInTypes.DATASOURCE)) {
        return at.identifier();
      }
      String parent = at.parentIdentifier();
      if (parent == null) {
        return null;
      }
      Resource planned = created.containsKey(parent) ? created.get(parent) : changed.get(parent);
      if (planned != null) {
        at = planned;
        continue;
      }
      if (roots.containsKey(parent)) {
        return roots.get(parent);
      }
      Stub stub = stubs.get(parent);
      if (stub != null) {
        return stub.root();
      }
      // A parent this write neither loaded nor changes: the row kept it, so it keeps its root.
      return roots.get(at.identifier());
    }
    return null;
  }

  // ---- access (docs/behaviour.md §13.4) ----

  /** The caller's rights, read once per write in its transaction: two indexed statements. */
  private Rights rights() {
    return rights(handle);
  }

  /** {@link #rights()}, read on {@code reader} if not read yet (after a rollback, on a handle of its own). */
  private Rights rights(Handle reader) {
    if (rights == null) {
      rights = Rights.load(reader, caller);
    }
    return rights;
  }

  /** Whether the caller may see the stored current row {@code row} (docs/behaviour.md §13.2). */
  boolean visible(Resource row) {
    return caller.system() || rights().sees(roots.get(row.identifier()), row.accessLevel());
  }

  /** Whether the caller may see the stored current row a create probed (a tombstone included). */
  private boolean visible(Stub stub) {
    return caller.system() || rights().sees(stub.root(), stub.level());
  }

  /**
   * Why a create may not take an identifier whose current row the caller cannot see, active or
   * tombstoned: the same words whatever the row is, naming nothing of it.
   */
  static final String TAKEN = "is not available: it is taken";

  /**
   * Refuses the planned creates the caller may not make: a datasource needs an admin; anything else
   * editor on the datasource it lands under and a level within the clearance. Parents the caller cannot
   * see were refused as absent already, from the probe's stubs, which also give each new root: this
   * reads nothing more than the caller's rights.
   */
  private void checkCreateAccess() {
    if (caller.system() || rights().admin()) {
      return;
    }
    List<Violation> refused = new ArrayList<>();
    for (Resource r : created.values()) {
      if (r.payloadType().equals(BuiltInTypes.DATASOURCE)) {
        refused.add(new Violation(r.identifier(), null, "creating a datasource needs an admin"));
      } else if (!rights().edits(newRoot(r), r.accessLevel())) {
        refused.add(new Violation(r.identifier(), null, refusal(r)));
      }
    }
    throwIfRefused(refused);
  }

  /**
   * Refuses the planned changes the caller may not make: every changed version needs editor on its
   * datasource before and after, and levels within the clearance before and after. Resources named
   * by the call that the caller cannot see are not found; unnamed ones (a cascade's descendants,
   * invisible ones included) refuse the whole write. A new parent the caller cannot see is treated as
   * one that does not exist.
   */
  private void checkChangeAccess(Collection<String> named) {
    if (caller.system() || rights().admin()) {
      return;
    }
    Set<String> names = new HashSet<>(named);
    List<Violation> unknown = new ArrayList<>();
    List<Violation> refused = new ArrayList<>();
    boolean hiddenRefused = false;
    for (Resource next : changed.values()) {
      Resource before = current.get(next.identifier());
      String oldRoot = roots.get(next.identifier());
      if (!java.util.Objects.equals(before.parentIdentifier(), next.parentIdentifier()) && next.parentIdentifier() != null
          && current.containsKey(next.parentIdentifier()) && !changed.containsKey(next.parentIdentifier())
          && !visible(current.get(next.parentIdentifier()))) {
        unknown.add(new Violation(next.identifier(), Fields.PARENT_IDENTIFIER,
            "parent '" + next.parentIdentifier() + "' is not an active resource"));
        continue;
      }
      boolean editable = rights().edits(oldRoot, before.accessLevel()) && rights().edits(newRoot(next), next.accessLevel());
      if (editable) {
        continue;
      }
      if (names.contains(next.identifier()) || rights().sees(oldRoot, before.accessLevel())) {
        refused.add(new Violation(next.identifier(), null, refusal(next)));
      } else {
        hiddenRefused = true;
      }
    }
    WriteValidator.throwIfAny(unknown);
    if (hiddenRefused) {
      refused.add(new Violation(null, null, "the write would change resources below those named that principal '"
          + caller.principalId() + "' may not change"));
    }
    throwIfRefused(refused);
  }

  private String refusal(Resource r) {
    String root = newRoot(r);
    return "principal '" + caller.principalId() + "' may not write '" + r.identifier() + "': that needs editor on "
        + (root == null ? "its datasource (it is under none: admins only)" : "datasource '" + root + "'")
        + " and a clearance of at least " + r.accessLevel().wireName();
  }

  private static void throwIfRefused(List<Violation> refused) {
    if (!refused.isEmpty()) {
      StringBuilder message = new StringBuilder();
      for (Violation v : refused) {
        message.append(message.length() == 0 ? "" : "; ").append(v.message());
      }
      throw new io.vxdata.ForbiddenException("%s", message.toString());
    }
  }

  private Resource stamp(Resource r, long version, Instant createdAt) {
    return new Resource(r.identifier(), r.parentIdentifier(), r.payloadType(), r.license(), r.accessLevel(),
        r.derivedFrom(), r.isDeleted(), version, createdAt, tx, r.createdBy(), caller.principalId(), r.payload(),
        Optional.empty());
  }

  /** The current version of a resource and the one that overwrites it in its row. */
  private record Replacement(Resource before, Resource after) {}

  /**
   * Overwrites the current rows of {@code table} with new versions. A keyed table's rows that give up their key (another parent or external
   * uid, or deleted) first drop their marker, all of them, so that a key passed between two rows of the
   * write never stands twice in the unique index between two updates (the write checked the keys).
   */
  private void replace(TypeTable table, List<Replacement> replacements) {
    try {
      if (table.keyed()) {
        try (PreparedStatement release = handle.getConnection().prepareStatement("UPDATE " + table.current()
            + " SET " + TypeTable.ACTIVE_MARKER + " = NULL WHERE identifier = ?")) {
          int released = 0;
          for (Replacement r : replacements) {
            if (!r.before().isDeleted() && !sameKey(r.before(), r.after())) {
              release.setString(1, r.before().identifier());
              release.addBatch();
              released++;
            }
          }
          if (released > 0) {
            release.executeBatch();
          }
        }
      }
      int columnCount = insertColumnCount(table);
      try (PreparedStatement st = handle.getConnection().prepareStatement("UPDATE " + table.current() + " SET ("
          + table.insertColumns() + ") = (" + placeholders(columnCount) + ") WHERE identifier = ?")) {
        for (Replacement r : replacements) {
          table.bind(st, r.after(), newRoot(r.after()));
          st.setString(columnCount + 1, r.after().identifier());
          st.addBatch();
        }
        st.executeBatch();
      }
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
  }

  /** Whether two versions of a keyed resource hold the same key, active alike. */
  private static boolean sameKey(Resource before, Resource after) {
    return before.isDeleted() == after.isDeleted()
        && Objects.equals(before.parentIdentifier(), after.parentIdentifier())
        && Objects.equals(before.payload().get(BuiltInTypes.EXTERNAL_UID),
            after.payload().get(BuiltInTypes.EXTERNAL_UID));
  }

  /** How many columns {@link TypeTable#insertColumns()} names, which {@link TypeTable#bind} binds. */
  private static int insertColumnCount(TypeTable table) {
    return TypeTable.METADATA_COLUMNS.size() + table.type().fields().size() + 1 + (table.keyed() ? 1 : 0);
  }

  private static String placeholders(int count) {
    return String.join(", ", java.util.Collections.nCopies(count, "?"));
  }

  private void insert(TypeTable table, List<Resource> rows) {
    String sql = "INSERT INTO " + table.current() + " (" + table.insertColumns() + ") VALUES ("
        + placeholders(insertColumnCount(table)) + ")";
    catalog.dialect().reusingPlans(handle, rows.size(), () -> {
      try (PreparedStatement st = handle.getConnection().prepareStatement(sql)) {
        for (Resource r : rows) {
          table.bind(st, r, newRoot(r));
          st.addBatch();
        }
        st.executeBatch();
      } catch (SQLException e) {
        throw new UnableToExecuteStatementException(e, null);
      }
    });
  }
}
