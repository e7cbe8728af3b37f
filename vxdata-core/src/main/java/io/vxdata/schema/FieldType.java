package io.vxdata.schema;

/** The scalar types a payload field can have; a field may also be a list of one of them. */
public enum FieldType {
  /** JSON string; Java {@link String}. */
  STRING,
  /** JSON integer; Java {@link Long}. */
  INTEGER,
  /** JSON number; Java {@link Double}. */
  NUMBER,
  /** JSON boolean; Java {@link Boolean}. */
  BOOLEAN,
  /** JSON string with {@code format: date}; Java {@link java.time.LocalDate}. */
  DATE,
  /** JSON string with {@code format: date-time}; Java {@link java.time.Instant}, microsecond precision. */
  DATE_TIME;

  /** The JSON Schema {@code type} keyword of this type. */
  public String jsonType() {
    return switch (this) {
      case STRING, DATE, DATE_TIME -> "string";
      case INTEGER -> "integer";
      case NUMBER -> "number";
      case BOOLEAN -> "boolean";
    };
  }

  /** The JSON Schema {@code format} keyword of this type, or {@code null}. */
  public String jsonFormat() {
    return switch (this) {
      case DATE -> "date";
      case DATE_TIME -> "date-time";
      default -> null;
    };
  }
}
