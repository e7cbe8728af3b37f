package io.vxdata.query;

import java.util.List;
import java.util.Objects;

/**
 * A query filter (docs/behaviour.md §6.2): a condition on one field, a link condition
 * ({@link Related}, docs/behaviour.md §15.1), or {@code and}, {@code or}, {@code not} of filters, built with the static factories; values are checked against the payload type's schema
 * when the query runs. (The HTTP adapters read and write its JSON form.)
 */
public sealed interface Filter permits Filter.Condition, Filter.And, Filter.Or, Filter.Not, Filter.Related {

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

  /**
   * Resources linked by {@code relation} (docs/behaviour.md §15.1), as of the query's time: with
   * {@code to}, the sources of a link to that resource; with {@code from}, the targets of a link from
   * it. Exactly one of the two is set. A resource the caller cannot see has no links for it, so the
   * condition then matches nothing.
   *
   * @param relation a registered relation whose source (with {@code to}) or target (with {@code from})
   *     type is the queried type
   * @param to the target resource, or {@code null}
   * @param from the source resource, or {@code null}
   */
  record Related(String relation, String to, String from) implements Filter {
    public Related {
      Objects.requireNonNull(relation, "relation");
      if ((to == null) == (from == null)) {
        throw new IllegalArgumentException("exactly one of to and from must be set");
      }
    }
  }

  /** The sources of a {@code relation} link to {@code target}; see {@link Related}. */
  static Filter relatedTo(String relation, String target) {
    return new Related(relation, Objects.requireNonNull(target, "target"), null);
  }

  /** The targets of a {@code relation} link from {@code source}; see {@link Related}. */
  static Filter relatedFrom(String relation, String source) {
    return new Related(relation, null, Objects.requireNonNull(source, "source"));
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
