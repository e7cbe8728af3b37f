package io.vxdata.query;

import io.vxdata.Resource;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One page of a query's results.
 *
 * @param results the matching resources in order, without children; with {@code select_columns}
 *     each carries only {@code identifier}, {@code payload_type} and the selected fields (see
 *     {@link Resource#selected()} and {@link Resource#has(String)})
 * @param nextCursor the token for the next page, or {@code null} on the last page
 * @param limit the page size that was applied
 * @param asOf the transaction time the page was read at (the first page's, for every page of a walk)
 */
public record QueryPage(List<Resource> results, String nextCursor, int limit, Instant asOf) {

  public QueryPage {
    results = List.copyOf(results);
    Objects.requireNonNull(asOf, "asOf");
  }
}
