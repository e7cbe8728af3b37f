package io.vxdata.query;

import java.util.Objects;

/**
 * One key of a query's order: a scalar payload or metadata field and a direction. Ties left by all
 * keys are broken by {@code identifier}, in the direction of the last key.
 *
 * @param field the field name
 * @param order the direction
 */
public record SortKey(String field, SortOrder order) {

  public SortKey {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(order, "order");
  }

  /** Ascending by {@code field}. */
  public static SortKey asc(String field) {
    return new SortKey(field, SortOrder.ASC);
  }

  /** Descending by {@code field}. */
  public static SortKey desc(String field) {
    return new SortKey(field, SortOrder.DESC);
  }
}
