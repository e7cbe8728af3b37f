package io.vxdata;

import io.vxdata.access.Access;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import io.vxdata.release.Releases;
import io.vxdata.schema.PayloadType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A bitemporal catalog of hierarchical, typed resources (see docs/behaviour.md).
 *
 * <p>Every write is one all-or-nothing transaction with one transaction time, strictly increasing
 * across commits, and returns that time ({@link WriteResult}, {@link Registration}); history is
 * kept, so every read can ask for the state {@link AsOf as of} a past instant, and every read
 * answers with the time it read at ({@link Answer}, {@link QueryPage}). Reading at or before
 * {@link #lastCommitTime()} always gives the same answer, whatever writers do meanwhile.
 * Implementations are thread-safe. Lists of identifiers may hold one item or many: the API is
 * batch-native.
 */
public interface VxData extends AutoCloseable {

  /**
   * Creates resources (docs/behaviour.md §3.1). Parents and lineage sources may be other resources of the same batch.
   *
   * @return the number created, i.e. {@code resources.size()}, and the commit time (for an empty
   *     list, the last commit time)
   * @throws ValidationException if any resource is invalid, its identifier is active already or
   *     repeats in the batch, its parent is not active or of a disallowed type, or a
   *     {@code derived_from} entry never existed; nothing is written
   */
  WriteResult create(List<NewResource> resources);

  /**
   * Reads resources in input order (docs/behaviour.md §3.2); missing, not-yet-existing and deleted ones are skipped,
   * a repeated identifier is returned once at its first position.
   *
   * @return the resources found, and the time they were read at
   * @throws ValidationException if an identifier is malformed
   */
  Answer<List<Resource>> read(List<String> identifiers, ReadOptions options);

  /** Reads the latest state, with children; see {@link #read(List, ReadOptions)}. */
  default Answer<List<Resource>> read(List<String> identifiers) {
    return read(identifiers, ReadOptions.latest());
  }

  /**
   * Applies partial updates (docs/behaviour.md §3.3). {@code is_deleted: true} deletes with cascade, {@code false}
   * restores. An update that changes nothing writes no version and is not counted.
   *
   * @return the number of resources that changed, cascaded deletes and restores included, and the
   *     commit time (the last commit time if nothing changed)
   * @throws NotFoundException if an identifier is unknown or deleted (and not being restored)
   * @throws ValidationException if a change is invalid; nothing is written
   */
  WriteResult update(Map<String, ResourceUpdate> updates);

  /**
   * Tombstones resources (docs/behaviour.md §3.4), with {@link Cascade#CASCADE} their whole active subtree too.
   *
   * @return the number tombstoned, descendants included (already-deleted ones are not counted),
   *     and the commit time (the last commit time if nothing was tombstoned)
   * @throws NotFoundException if an identifier never existed; nothing is written
   * @throws ValidationException with {@link Cascade#RESTRICT} if a resource has active children
   */
  WriteResult delete(List<String> identifiers, Cascade cascade);

  /** Deletes with {@link Cascade#CASCADE}; see {@link #delete(List, Cascade)}. */
  default WriteResult delete(List<String> identifiers) {
    return delete(identifiers, Cascade.CASCADE);
  }

  /**
   * Restores tombstoned resources and the descendants the same cascading delete tombstoned (docs/behaviour.md §3.5).
   *
   * @return the number restored, descendants included (active identifiers are not counted), and
   *     the commit time (the last commit time if nothing was restored)
   * @throws NotFoundException if an identifier never existed
   * @throws ValidationException if a resource's parent is deleted; nothing is written
   */
  WriteResult restore(List<String> identifiers);

  /**
   * Sets fields on every active resource of a payload type that a filter matches, in one transaction,
   * in the database (docs/behaviour.md §15.5): no resource is read into memory. Resources the caller may not see
   * are neither counted nor changed; a resource whose fields already hold the values gets no new
   * version and is not counted.
   *
   * @return the number of resources that changed, and the commit time (the last commit time if none did)
   * @throws ValidationException naming {@code filter} if it is missing or matches everything, a field of
   *     {@code set} that is unknown, of the wrong type, a key or not settable by filter, or
   *     {@code expect_at_most} (with the count) if the filter matches more resources; nothing is written
   * @throws ForbiddenException if the caller may see but not change a matching resource; nothing is written
   */
  WriteResult updateWhere(UpdateWhere request);

  /**
   * Tombstones every active resource of a payload type that a filter matches, with
   * {@link Cascade#CASCADE} their active subtrees too, in one transaction, in the database
   * (docs/behaviour.md §15.5). Restoring a resource afterwards brings back the descendants this delete tombstoned,
   * as after {@link #delete(List, Cascade)}.
   *
   * @return the number tombstoned, descendants included, and the commit time
   * @throws ValidationException naming {@code filter} if it is missing or matches everything,
   *     {@code expect_at_most} (with the count) if the filter matches more resources, or, with
   *     {@link Cascade#RESTRICT}, a matching resource with active children; nothing is written
   * @throws ForbiddenException if the caller may not tombstone a matching resource or a descendant;
   *     nothing is written
   */
  WriteResult deleteWhere(DeleteWhere request);

  /**
   * One page of the active resources of a payload type matching a query (docs/behaviour.md §6). Filters, scope,
   * order and paging run in the database. The first page pins its read time; its
   * {@link QueryPage#nextCursor()} carries that time, so walking every page while writers run
   * returns each matching resource exactly once.
   *
   * @throws ValidationException naming the field, operator or value at fault (unknown payload type
   *     or field, wrong value type, invalid regex, empty {@code in} list, limit over 1000, a cursor
   *     from another query or tampered with)
   */
  QueryPage query(QueryRequest request);

  /**
   * Streams every resource the query matches, in its order, to {@code sink}, all read at one time
   * (docs/behaviour.md §8). The cursor is ignored; {@code limit}, if given, caps the number of resources and may
   * exceed {@link QueryRequest#MAX_LIMIT}. Memory stays bounded whatever the row count. The
   * default walks {@link #query(QueryRequest)} pages, whose cursor pins the read time; stores
   * override it with one streaming statement.
   *
   * @return the transaction time the resources were read at
   * @throws ValidationException as {@link #query(QueryRequest)} does
   */
  default Instant scan(QueryRequest request, Consumer<? super Resource> sink) {
    int cap = request.limit() == null ? Integer.MAX_VALUE : request.limit();
    if (cap < 1) {
      throw ValidationException.of(null, "limit", "must be at least 1, not %d", cap);
    }
    QueryRequest next = request.toBuilder().cursor(null).limit(Math.min(cap, QueryRequest.MAX_LIMIT)).build();
    int delivered = 0;
    while (true) {
      QueryPage page = query(next);
      for (Resource r : page.results()) {
        if (delivered++ == cap) {
          return page.asOf();
        }
        sink.accept(r);
      }
      if (page.nextCursor() == null || delivered == cap) {
        return page.asOf();
      }
      next = next.next(page);
    }
  }

  /**
   * The number of resources {@link #query(QueryRequest)} would return over all pages; the cursor
   * and limit are ignored.
   *
   * @return the count, and the time it was read at
   * @throws ValidationException as {@link #query(QueryRequest)} does
   */
  Answer<Long> count(QueryRequest request);

  /**
   * Ancestor identifiers of an active resource, nearest first (docs/behaviour.md §7).
   *
   * @return the ancestors, and the time they were read at
   * @throws NotFoundException if the resource is not active at {@code asOf}
   */
  Answer<List<String>> parents(String identifier, AsOf asOf);

  /** Ancestors in the latest state; see {@link #parents(String, AsOf)}. */
  default Answer<List<String>> parents(String identifier) {
    return parents(identifier, AsOf.latest());
  }

  /**
   * Every version of an identifier over all its lives, newest first, one page at a time
   * (docs/behaviour.md §14.1): each with the time it was valid from and to, who wrote it and the
   * fields it changed. Deleted identifiers have a history too (their tombstone is its newest
   * version). Only the versions the caller may see are returned (docs/behaviour.md §13.2, checked
   * on each version: a version written under a datasource the caller holds no grant on, or above its
   * clearance, is left out). The first page pins its read time; its
   * {@link HistoryPage#nextCursor()} carries it.
   *
   * @return the page, and the time it was read at ({@link HistoryPage#asOf()})
   * @throws NotFoundException if the identifier had no version at that time, or none the caller may
   *     see
   * @throws ValidationException if the identifier is malformed, the limit is outside 1–1000, or the
   *     cursor is from another identifier's history or tampered with
   */
  HistoryPage history(String identifier, HistoryRequest request);

  /** The first page of the whole history; see {@link #history(String, HistoryRequest)}. */
  default HistoryPage history(String identifier) {
    return history(identifier, HistoryRequest.latest());
  }

  /**
   * One page of the change feed (docs/behaviour.md §14.2): the versions written after
   * {@link ChangesRequest#since()}, in commit order (transaction time, then identifier), each with the
   * operation it was, deletes and restores included. Only versions at or before the last commit are
   * returned, so no version can later appear before a page already read; {@link ChangesPage#next()}
   * continues after the page, in any process sharing the store, after restarts too. Only the versions
   * the caller may see are returned (docs/behaviour.md §13.2, checked on each version). With a
   * {@link ChangesRequest#maxWait()}, a call with nothing to return waits for a commit that brings
   * something, up to that long.
   *
   * @throws ValidationException naming {@code since} (neither a token nor a time), {@code limit}
   *     (outside 1–1000), {@code payload_type} (unknown), {@code datasource_id} (malformed) or
   *     {@code wait} (negative or over {@link ChangesRequest#MAX_WAIT})
   */
  ChangesPage changes(ChangesRequest request);

  /**
   * Active counts under every active datasource (docs/behaviour.md §7), ordered by datasource identifier.
   *
   * @return the counts, and the time they were read at
   */
  Answer<List<DatasourceStats>> datasourceStats(AsOf asOf);

  /**
   * A detailed breakdown of one active datasource, or of all of them (docs/behaviour.md §7), ordered by identifier.
   *
   * @param datasourceId the datasource, or {@code null} for every active datasource
   * @return the breakdowns, and the time they were read at
   * @throws NotFoundException if {@code datasourceId} names no active datasource at that time
   */
  Answer<List<DatasourceDetails>> datasourceDetails(String datasourceId, AsOf asOf);

  /**
   * Registers or evolves a payload type. Re-registering an existing type may add optional fields
   * and change descriptions or constraints (which apply to later writes); nothing else.
   *
   * @throws ValidationException if the type is invalid or an incompatible change of an existing
   *     type (a removed field, a changed type, a new required field)
   */
  void registerType(PayloadType type);

  /** Every registered payload type, built-ins included, by name. */
  Map<String, PayloadType> payloadTypes();

  /**
   * The JSON Schema of every payload type as reads return it, metadata fields included (docs/behaviour.md §2.2).
   *
   * @return payload type name to its JSON Schema (2020-12) document, as JSON text
   */
  Map<String, String> schemas();

  /**
   * Creates a patient under a datasource with a server-allocated identifier (docs/behaviour.md §5).
   *
   * @return the new patient's identifier (opaque, URL-safe, unique and time-ordered) and the
   *     transaction time it was created at
   * @throws NotFoundException if the datasource is unknown or deleted
   * @throws ValidationException if the external uid is already registered under it
   */
  Registration registerPatient(String datasourceId, String externalUid);

  /**
   * The identifier of the active patient registered under a datasource with an external uid.
   *
   * @throws NotFoundException if there is none
   */
  String resolvePatient(String datasourceId, String externalUid);

  /**
   * Creates a study under a patient with a server-allocated identifier (docs/behaviour.md §5).
   *
   * @return the new study's identifier and the transaction time it was created at
   * @throws NotFoundException if the patient is unknown or deleted
   * @throws ValidationException if the external uid is already registered under it
   */
  Registration registerStudy(String patientIdentifier, String externalUid);

  /**
   * Registers many patients in one all-or-nothing transaction (docs/behaviour.md §5): each is created under its
   * datasource with a server-allocated identifier, its external uid and its other fields.
   * Set-based: the whole batch costs a few statements, not a few per item.
   *
   * @return the new identifiers in the order of {@code patients}, and the commit time
   * @throws NotFoundException if a datasource is unknown or deleted; nothing is written
   * @throws ValidationException if an item is invalid, its key is taken, or two items share a key;
   *     each violation names the item by its index ({@code [3].external_uid}); nothing is written
   */
  RegistrationBatch registerPatients(List<PatientRegistration> patients);

  /**
   * Registers many studies in one all-or-nothing transaction (docs/behaviour.md §5); see
   * {@link #registerPatients(List)}.
   *
   * @return the new identifiers in the order of {@code studies}, and the commit time
   * @throws NotFoundException if a patient is unknown or deleted; nothing is written
   * @throws ValidationException if an item is invalid, its key is taken, or two items share a key;
   *     each violation names the item by its index; nothing is written
   */
  RegistrationBatch registerStudies(List<StudyRegistration> studies);

  /**
   * The identifier of the active study registered under a patient with an external uid.
   *
   * @throws NotFoundException if there is none
   */
  String resolveStudy(String patientIdentifier, String externalUid);

  /**
   * This catalog as seen and changed by a principal (docs/behaviour.md §13): every read returns only what the
   * principal may see, and every write is refused unless it may make it ({@link ForbiddenException},
   * or {@link NotFoundException} for what it cannot see). Versions it writes record it as
   * {@code created_by}/{@code updated_by}. Cheap: one view per request is fine. The principal
   * (enabled, admin or not), its grants and its clearance are read again at each call, so changes
   * apply to the next call of a view made before them; a principal disabled or gone since makes the
   * next call throw {@link UnauthenticatedException}. Closing a view does nothing: the store belongs
   * to the handle it came from.
   *
   * @param principalId the principal
   * @param requestId the request the calls answer, recorded in the transaction log, or {@code null}
   * @throws UnauthenticatedException if there is no such enabled principal
   * @throws ForbiddenException if this handle is itself a principal's view (only the system handle
   *     acts for others)
   */
  VxData as(String principalId, String requestId);

  /** {@link #as(String, String)} without a request id. */
  default VxData as(String principalId) {
    return as(principalId, null);
  }

  /** Administration of principals, tokens and grants, with this handle's rights (docs/behaviour.md §13). */
  Access access();

  /** Relations and their links, with this handle's rights (docs/behaviour.md §15.1). */
  io.vxdata.relation.Relations relations();

  /** Releases, named immutable transaction times, with this handle's rights (docs/behaviour.md §14.4). */
  Releases releases();

  /**
   * The transaction time of the latest committed write (the epoch for an empty store). Reading at
   * this time sees every committed write, and the answer is final (docs/behaviour.md §4).
   */
  Instant lastCommitTime();

  /** Releases connections and other resources. */
  @Override
  void close();
}
