package io.vxdata.spi;

import io.vxdata.schema.FieldType;
import io.vxdata.schema.PayloadField;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversion of loosely typed Java values to the canonical payload types:
 * {@link String}, {@link Long}, {@link Double}, {@link Boolean}, {@link LocalDate}, {@link Instant}.
 */
public final class Values {

  private Values() {}

  /**
   * Converts {@code value} to the canonical Java type of {@code type}.
   *
   * @throws IllegalArgumentException with a message saying what was expected
   */
  public static Object coerce(FieldType type, Object value) {
    return switch (type) {
      case STRING -> {
        if (value instanceof String s) {
          yield s;
        }
        if (value instanceof Enum<?> e) {
          yield e.name();
        }
        throw mismatch("a string", value);
      }
      case INTEGER -> integer(value);
      case NUMBER -> {
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
          yield n.doubleValue();
        }
        throw mismatch("a finite number", value);
      }
      case BOOLEAN -> {
        if (value instanceof Boolean b) {
          yield b;
        }
        throw mismatch("a boolean", value);
      }
      case DATE -> inRange(date(value));
      case DATE_TIME -> dateTime(value);
    };
  }

  /** Converts each element of a list field; the list itself must be a {@link List}. */
  public static List<Object> coerceList(FieldType type, Object value) {
    if (!(value instanceof List<?> list)) {
      throw mismatch("a list", value);
    }
    List<Object> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object element = list.get(i);
      if (element == null) {
        throw new IllegalArgumentException("element " + i + " is null; list elements may not be null");
      }
      try {
        out.add(coerce(type, element));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("element " + i + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(out);
  }

  private static Long integer(Object value) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    if (value instanceof Number n) {
      try {
        BigDecimal d = value instanceof BigDecimal bd ? bd : new BigDecimal(n.toString());
        return d.longValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        throw mismatch("an integer in the 64-bit range", value);
      }
    }
    throw mismatch("an integer", value);
  }

  private static LocalDate date(Object value) {
    if (value instanceof LocalDate d) {
      return d;
    }
    if (value instanceof String s) {
      try {
        return LocalDate.parse(s);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("expected a date (yyyy-mm-dd), got '" + s + "'");
      }
    }
    throw mismatch("a date (yyyy-mm-dd)", value);
  }

  /** Dates and times beyond the years 1-9999 overflow one database or the other. */
  private static LocalDate inRange(LocalDate date) {
    String problem = Limits.dateProblem(date);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return date;
  }

  private static Instant dateTime(Object value) {
    Instant instant;
    if (value instanceof Instant i) {
      instant = i;
    } else if (value instanceof OffsetDateTime o) {
      instant = o.toInstant();
    } else if (value instanceof ZonedDateTime z) {
      instant = z.toInstant();
    } else if (value instanceof String s) {
      try {
        instant = OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("expected an ISO 8601 date-time with offset, got '" + s + "'");
      }
    } else {
      throw mismatch("an ISO 8601 date-time with offset", value);
    }
    String problem = Limits.instantProblem(instant);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    // The stores keep microseconds; truncating here makes what is written equal what is read.
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  private static IllegalArgumentException mismatch(String expected, Object value) {
    String got = value == null ? "null" : value instanceof String s ? "the string '" + s + "'"
        : value.getClass().getSimpleName() + " " + value;
    return new IllegalArgumentException("expected " + expected + ", got " + got);
  }

  /**
   * Checks a canonical value against the field's constraints.
   *
   * @return the problem, or {@code null} if the value satisfies every constraint
   */
  public static String checkConstraints(PayloadField field, Object value) {
    PayloadField.Constraints c = field.constraints();
    if (field.list()) {
      List<?> list = (List<?>) value;
      if (c.minItems() != null && list.size() < c.minItems()) {
        return "must have at least " + c.minItems() + " items";
      }
      if (c.maxItems() != null && list.size() > c.maxItems()) {
        return "must have at most " + c.maxItems() + " items";
      }
      for (int i = 0; i < list.size(); i++) {
        String problem = checkScalar(c, list.get(i));
        if (problem != null) {
          return "element " + i + " " + problem;
        }
      }
      return null;
    }
    return checkScalar(c, value);
  }

  private static String checkScalar(PayloadField.Constraints c, Object value) {
    if (c.enumValues() != null && !c.enumValues().contains(value)) {
      return "must be one of " + c.enumValues() + ", not " + value;
    }
    if (value instanceof Number n) {
      BigDecimal d = new BigDecimal(n.toString());
      if (c.minimum() != null && d.compareTo(c.minimum()) < 0) {
        return "must be >= " + c.minimum().toPlainString() + ", not " + value;
      }
      if (c.maximum() != null && d.compareTo(c.maximum()) > 0) {
        return "must be <= " + c.maximum().toPlainString() + ", not " + value;
      }
      if (c.exclusiveMinimum() != null && d.compareTo(c.exclusiveMinimum()) <= 0) {
        return "must be > " + c.exclusiveMinimum().toPlainString() + ", not " + value;
      }
      if (c.exclusiveMaximum() != null && d.compareTo(c.exclusiveMaximum()) >= 0) {
        return "must be < " + c.exclusiveMaximum().toPlainString() + ", not " + value;
      }
    }
    if (value instanceof String s) {
      int length = s.codePointCount(0, s.length());
      if (c.minLength() != null && length < c.minLength()) {
        return "must have at least " + c.minLength() + " characters";
      }
      if (c.maxLength() != null && length > c.maxLength()) {
        return "must have at most " + c.maxLength() + " characters";
      }
      if (c.pattern() != null && !c.pattern().matcher(s).find()) {
        return "must match the pattern " + c.pattern().pattern();
      }
    }
    return null;
  }
}
