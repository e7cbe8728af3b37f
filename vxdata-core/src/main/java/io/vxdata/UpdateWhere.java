package io.vxdata;

import io.vxdata.query.Filter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An update of every active resource of one payload type that a filter matches (docs/behaviour.md §15.5), for
 * {@link VxData#updateWhere}: all or nothing, and only if the filter matches at most
 * {@code expectAtMost} resources.
 *
 * @param payloadType the payload type whose resources the filter is applied to
 * @param filter the filter (required, and not one that matches everything): the conditions of a query
 * @param set the fields to set on every matching resource: payload fields, {@code license} and
 *     {@code access_level} ({@code null} clears an optional field)
 * @param expectAtMost the most resources the filter may match; more, and nothing is written
 */
public record UpdateWhere(String payloadType, Filter filter, Map<String, Object> set, long expectAtMost) {

  public UpdateWhere {
    set = set == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(set));
  }
}
