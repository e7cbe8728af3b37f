package io.vxdata.exports;

import io.vxdata.AsOf;
import io.vxdata.ValidationException;
import io.vxdata.query.QueryRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What an export job writes (docs/behaviour.md §14.5): one file per query, each of another payload
 * type, every row read at one time.
 *
 * @param queries the queries (scope, filters, order, {@code select_columns}, {@code limit},
 *     {@code include_deleted}; without a cursor or a time of their own), one per payload type
 * @param format the files' format
 * @param asOf the time to read at, or a release (docs/behaviour.md §14.4) whose time it reads at; the
 *     latest state means the last commit when the job is submitted
 * @param since with it, an incremental export: only resources written strictly after it, and for
 *     each payload type a file of the identifiers deleted after it; {@code null} for a full export
 * @param force whether to run again even if an identical job finished (or is running) already
 */
public record ExportRequest(List<QueryRequest> queries, ExportFormat format, AsOf asOf, Instant since,
    boolean force) {

  /** The most queries one export may hold. */
  public static final int MAX_QUERIES = 64;

  /**
   * @throws ValidationException naming the field at fault: no query, too many, a payload type twice,
   *     a query with a cursor, an {@code as_of} of its own, or an {@code updated_since} next to {@code since}
   */
  public ExportRequest {
    Objects.requireNonNull(format, "format");
    asOf = asOf == null ? AsOf.latest() : asOf;
    since = since == null ? null : since.truncatedTo(ChronoUnit.MICROS);
    if (queries == null || queries.isEmpty()) {
      throw ValidationException.of(null, "query", "is required: a query, or a list of queries of distinct payload types");
    }
    if (queries.size() > MAX_QUERIES) {
      throw ValidationException.of(null, "query", "lists %d queries; at most %d", queries.size(), MAX_QUERIES);
    }
    queries = List.copyOf(queries);
    Set<String> types = new HashSet<>();
    for (int i = 0; i < queries.size(); i++) {
      QueryRequest q = queries.get(i);
      String field = field(queries.size(), i);
      if (q.payloadType() == null) {
        throw ValidationException.of(null, field + ".payload_type", "is required");
      }
      if (!types.add(q.payloadType())) {
        throw ValidationException.of(null, field + ".payload_type", "'%s' is exported by an earlier query already:"
            + " one query per payload type", q.payloadType());
      }
      if (q.cursor() != null) {
        throw ValidationException.of(null, field + ".cursor", "an export writes every row: no cursor");
      }
      if (!q.asOf().isLatest()) {
        throw ValidationException.of(null, field + (q.asOf().release().isPresent() ? ".release" : ".as_of"),
            "give the export's time once, as as_of or release next to query");
      }
      if (since != null && q.updatedSince() != null) {
        throw ValidationException.of(null, field + ".updated_since", "give since or updated_since, not both");
      }
      if (q.includePermissions()) {
        throw ValidationException.of(null, field + ".include_permissions", "is not exported");
      }
    }
  }

  /** The name of query {@code i} of {@code count} in messages: {@code query}, or {@code query[i]} in a list. */
  static String field(int count, int i) {
    return count == 1 ? "query" : "query[" + i + "]";
  }

  /** A full export of the latest state of {@code queries}. */
  public static ExportRequest of(ExportFormat format, QueryRequest... queries) {
    return new ExportRequest(List.of(queries), format, AsOf.latest(), null, false);
  }

  /** This request read at {@code asOf}. */
  public ExportRequest withAsOf(AsOf asOf) {
    return new ExportRequest(queries, format, asOf, since, force);
  }

  /** This request, incremental since {@code since}. */
  public ExportRequest withSince(Instant since) {
    return new ExportRequest(queries, format, asOf, since, force);
  }

  /** This request, run again even if an identical job exists. */
  public ExportRequest withForce(boolean force) {
    return new ExportRequest(queries, format, asOf, since, force);
  }
}
