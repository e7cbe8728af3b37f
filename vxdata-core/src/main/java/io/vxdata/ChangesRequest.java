package io.vxdata;

import io.vxdata.query.QueryRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Options of {@link VxData#changes(ChangesRequest)} (docs/behaviour.md §14.2).
 *
 * @param since where to start: a {@link ChangesPage#next()} token, or a transaction time (an ISO 8601
 *     date-time with offset, or a date) to start strictly after; {@code null} for the start of the feed
 * @param limit the page size (default {@value QueryRequest#DEFAULT_LIMIT}, at most
 *     {@value QueryRequest#MAX_LIMIT}), or {@code null} for the default
 * @param payloadTypes only versions of these payload types, and link changes of relations from or to
 *     one of them; empty for all
 * @param datasourceId only versions under this datasource, the moves out of it, and link changes with
 *     an end under it; or {@code null}
 * @param maxWait how long to wait for a commit when there is nothing to return (at most {@link #MAX_WAIT});
 *     {@code null} or zero to answer at once
 */
public record ChangesRequest(String since, Integer limit, List<String> payloadTypes, String datasourceId,
    Duration maxWait) {

  /** The longest a call may wait for a new commit. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(20);

  public ChangesRequest {
    payloadTypes = payloadTypes == null ? List.of() : List.copyOf(payloadTypes);
  }

  /** The first page of the whole feed. */
  public static ChangesRequest fromStart() {
    return new ChangesRequest(null, null, List.of(), null, null);
  }

  /** The page after the one that returned {@code token}. */
  public static ChangesRequest since(String token) {
    return fromStart().withSince(Objects.requireNonNull(token, "token"));
  }

  /** The entries written strictly after transaction time {@code time}. */
  public static ChangesRequest after(Instant time) {
    return since(Objects.requireNonNull(time, "time").toString());
  }

  /** This request starting at {@code since} (a token or a time, see above; {@code null}: the start). */
  public ChangesRequest withSince(String since) {
    return new ChangesRequest(since, limit, payloadTypes, datasourceId, maxWait);
  }

  /** This request with another page size ({@code null}: the default). */
  public ChangesRequest withLimit(Integer limit) {
    return new ChangesRequest(since, limit, payloadTypes, datasourceId, maxWait);
  }

  /** This request for versions of {@code payloadTypes} only (none: all). */
  public ChangesRequest withPayloadTypes(String... payloadTypes) {
    return new ChangesRequest(since, limit, List.of(payloadTypes), datasourceId, maxWait);
  }

  /** This request for the feed of one datasource ({@code null}: every version). */
  public ChangesRequest withDatasource(String datasourceId) {
    return new ChangesRequest(since, limit, payloadTypes, datasourceId, maxWait);
  }

  /** This request waiting up to {@code maxWait} for a commit when nothing is new. */
  public ChangesRequest withWait(Duration maxWait) {
    return new ChangesRequest(since, limit, payloadTypes, datasourceId, maxWait);
  }

  /** The same request for the page after {@code page}. */
  public ChangesRequest next(ChangesPage page) {
    return withSince(page.next());
  }
}
