package io.vxdata.schema;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One flat field of a payload type, parsed from its JSON Schema property.
 *
 * @param name the field name ({@code [a-z][a-z0-9_]*}, at most 63 characters)
 * @param type the scalar type, or the element type of a list
 * @param list whether the field holds a list of {@code type}
 * @param required whether every resource of the type must set it
 * @param indexed whether stores should index it ({@code "x-vxdata-index": true}, or an array)
 * @param constraints value constraints beyond the type
 * @param indexWith the fields that follow this one in its index, in order, when
 *     {@code "x-vxdata-index"} names them ({@code ["study_date"]}: one index on both); empty for an
 *     index on this field alone
 */
public record PayloadField(String name, FieldType type, boolean list, boolean required, boolean indexed,
    Constraints constraints, List<String> indexWith) {

  public PayloadField {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(constraints, "constraints");
    indexWith = List.copyOf(indexWith);
  }

  /** A field indexed alone, if at all. */
  public PayloadField(String name, FieldType type, boolean list, boolean required, boolean indexed,
      Constraints constraints) {
    this(name, type, list, required, indexed, constraints, List.of());
  }

  /**
   * The JSON Schema assertions a field may carry besides its type; {@code null} components are absent.
   *
   * @param enumValues allowed values (canonical Java types), or {@code null}
   * @param minimum inclusive lower bound of numbers
   * @param maximum inclusive upper bound of numbers
   * @param exclusiveMinimum exclusive lower bound of numbers
   * @param exclusiveMaximum exclusive upper bound of numbers
   * @param minLength minimum string length
   * @param maxLength maximum string length
   * @param pattern regular expression a string must contain a match of
   * @param minItems minimum list size
   * @param maxItems maximum list size
   */
  public record Constraints(
      List<Object> enumValues,
      BigDecimal minimum,
      BigDecimal maximum,
      BigDecimal exclusiveMinimum,
      BigDecimal exclusiveMaximum,
      Integer minLength,
      Integer maxLength,
      Pattern pattern,
      Integer minItems,
      Integer maxItems) {

    /** No constraints. */
    public static final Constraints NONE = new Constraints(null, null, null, null, null, null, null, null, null, null);
  }
}
