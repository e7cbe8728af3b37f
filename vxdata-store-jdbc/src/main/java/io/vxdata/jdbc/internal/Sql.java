package io.vxdata.jdbc.internal;

import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.SqlStatement;

/** Small helpers for binding positional arguments; they know nothing of the store's tables. */
final class Sql {

  private Sql() {}

  /** Binds {@code args} to positions 0, 1, 2, ... of {@code statement}. */
  static <S extends SqlStatement<S>> S bindAll(S statement, List<Argument> args) {
    for (int i = 0; i < args.size(); i++) {
      statement.bind(i, args.get(i));
    }
    return statement;
  }

  /** Distinct keys as a {@code VARCHAR} array, for {@link Dialect#keyedRows}. */
  static Argument keys(Collection<String> values) {
    return textArray(values instanceof java.util.Set<?> ? values : new java.util.LinkedHashSet<>(values));
  }

  /** A {@code VARCHAR} array, for {@code column = ANY(?)}. */
  static Argument textArray(Collection<String> values) {
    Object[] elements = values.toArray();
    return (i, st, ctx) -> st.setArray(i, st.getConnection().createArrayOf("varchar", elements));
  }

  /** A {@code TIMESTAMP WITH TIME ZONE} in UTC; null binds SQL NULL. */
  static Argument time(Instant instant) {
    return instant == null ? (i, st, ctx) -> st.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE)
        : (i, st, ctx) -> st.setObject(i, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  static Argument text(String value) {
    return (i, st, ctx) -> st.setString(i, value);
  }
}
