package io.vxdata;

import io.vxdata.query.QueryRequest;
import java.time.Instant;
import java.util.Objects;

/**
 * Options of {@link VxData#history(String, HistoryRequest)} (docs/behaviour.md §14.1).
 *
 * @param asOf the time to read the history at: versions written later are left out, and a version
 *     superseded later has no {@code valid_to} yet (a cursor carries the first page's time and
 *     overrides it)
 * @param limit the page size (default {@value QueryRequest#DEFAULT_LIMIT}, at most
 *     {@value QueryRequest#MAX_LIMIT}), or {@code null} for the default
 * @param cursor the {@link HistoryPage#nextCursor()} of the previous page, or {@code null} for the
 *     first page
 */
public record HistoryRequest(AsOf asOf, Integer limit, String cursor) {

  private static final HistoryRequest LATEST = new HistoryRequest(AsOf.latest(), null, null);

  public HistoryRequest {
    asOf = asOf == null ? AsOf.latest() : asOf;
  }

  /** The first page of the whole history, read at the last commit. */
  public static HistoryRequest latest() {
    return LATEST;
  }

  /** The first page of the history as it stood at {@code asOf}. */
  public static HistoryRequest at(AsOf asOf) {
    return new HistoryRequest(Objects.requireNonNull(asOf, "asOf"), null, null);
  }

  /** The first page of the history as it stood at transaction time {@code asOf}. */
  public static HistoryRequest asOf(Instant asOf) {
    return at(AsOf.at(asOf));
  }

  /** This request reading at {@code asOf}. */
  public HistoryRequest withAsOf(AsOf asOf) {
    return new HistoryRequest(Objects.requireNonNull(asOf, "asOf"), limit, cursor);
  }

  /** This request with another page size ({@code null}: the default). */
  public HistoryRequest withLimit(Integer limit) {
    return new HistoryRequest(asOf, limit, cursor);
  }

  /** This request continuing after the page that returned {@code cursor}. */
  public HistoryRequest withCursor(String cursor) {
    return new HistoryRequest(asOf, limit, cursor);
  }

  /** The same request for the page after {@code page}. */
  public HistoryRequest next(HistoryPage page) {
    return withCursor(Objects.requireNonNull(page.nextCursor(), "the page was the last one"));
  }
}
