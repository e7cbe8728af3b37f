package io.vxdata.query;

import java.util.List;
import java.util.Objects;

/**
 * A query filter (docs/behaviour.md §6.2): a condition on one field, or {@code and}, {@code or}, {@code not} of
 * filters, built with the static factories; values are checked against the payload type's schema
 * when the query runs. (The HTTP adapters read and write its JSON form.)
 */
public sealed interface Filter permits Filter.Condition, Filter.And, Filter.Or, Filter.Not {

  /**
   * {@code field op value}.
   *
   * @param field a payload or metadata field of the queried type
   * @param op the operator
   * @param value the operand: a scalar, a list for {@code in}, {@code not in} and {@code between},
   *     a boolean for {@code null}
   */
  record Condition(String field, Operator op, Object value) implements Filter {
    public Condition {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(op, "op");
    }
  }

  /** Every filter matches; an empty list matches everything. */
  record And(List<Filter> filters) implements Filter {
    public And {
      filters = List.copyOf(filters);
    }
  }

  /** At least one filter matches; an empty list matches nothing. */
  record Or(List<Filter> filters) implements Filter {
    public Or {
      filters = List.copyOf(filters);
    }
  }

  /** The filter does not match (SQL semantics: a comparison with null stays unknown). */
  record Not(Filter filter) implements Filter {
    public Not {
      Objects.requireNonNull(filter, "filter");
    }
  }

  static Filter where(String field, Operator op, Object value) {
    return new Condition(field, op, value);
  }

  static Filter eq(String field, Object value) {
    return new Condition(field, Operator.EQ, value);
  }

  static Filter and(Filter... filters) {
    return new And(List.of(filters));
  }

  static Filter or(Filter... filters) {
    return new Or(List.of(filters));
  }

  static Filter not(Filter filter) {
    return new Not(filter);
  }
}
