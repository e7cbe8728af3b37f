package io.vxdata.schema;

import io.vxdata.ValidationException;
import io.vxdata.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A payload type: a name, its flat fields and the parent types it may live under (docs/behaviour.md §2.2).
 *
 * <p>Built from a JSON Schema (2020-12) document with {@link #fromJsonSchema(String, String)} or
 * from a Java record with {@link #fromRecord(String, Class)}. The schema is restricted to flat
 * fields of type string, integer, number, boolean, date ({@code format: date}), date-time
 * ({@code format: date-time}), enums and arrays of those; unsupported keywords are rejected rather
 * than silently ignored. Three vendor keywords are understood: {@code "x-vxdata-parent-types": [..]}
 * on the document restricts the parent's payload type (a parent is then required),
 * {@code "x-vxdata-root": true} on the document makes the type a root that never has a parent (as
 * {@code datasource} is), and {@code "x-vxdata-index": true} on a property asks stores to index
 * that field.
 *
 * <p>Build instances with the factories: they check the schema and keep the components consistent
 * with it, which the canonical constructor does not.
 *
 * @param name the type name ({@code [a-z][a-z0-9_]*}, at most 50 characters)
 * @param fields the payload fields in schema order
 * @param parentTypes allowed parent payload types; empty means any parent or none
 * @param root whether resources of this type are roots that never have a parent
 *     ({@code "x-vxdata-root": true})
 * @param schema the JSON Schema document the type was defined by (payload fields only), as compact
 *     JSON text
 */
public record PayloadType(String name, List<PayloadField> fields, Set<String> parentTypes, boolean root,
    String schema) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,49}");

  public PayloadType {
    Objects.requireNonNull(name, "name");
    fields = List.copyOf(fields);
    parentTypes = Set.copyOf(parentTypes);
    Objects.requireNonNull(schema, "schema");
  }

  /**
   * Parses a JSON Schema document, given as JSON text, into a payload type.
   *
   * @throws ValidationException naming {@code schema} if the text is not one well-formed JSON
   *     object, or naming the offending property or keyword if the document is not a supported flat
   *     schema
   */
  public static PayloadType fromJsonSchema(String name, String schemaJson) {
    checkName(name);
    return SchemaParser.parse(name, schemaJson);
  }

  /**
   * Derives a payload type from a record: each component becomes a field named in snake_case;
   * primitive components are required. Supported component types: {@code String}, integral
   * numbers, floating numbers, {@code boolean}, {@code LocalDate}, {@code Instant},
   * {@code OffsetDateTime}, enums, and {@code List} of those.
   *
   * @throws ValidationException if a component has an unsupported type or a reserved name
   */
  public static PayloadType fromRecord(String name, Class<? extends Record> recordClass) {
    checkName(name);
    return SchemaParser.parse(name, RecordSchemas.schemaOf(recordClass));
  }

  /** This type, allowed only under parents of the given payload types. */
  public PayloadType withParentTypes(String... parentTypes) {
    return SchemaParser.withParentTypes(this, parentTypes);
  }

  /** Whether {@code name} is a well-formed payload type name. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  private static void checkName(String name) {
    if (!isValidName(name)) {
      throw ValidationException.of(null, "payload_type",
          "'%s' is not a valid payload type name: use [a-z][a-z0-9_]*, at most 50 characters", name);
    }
  }

  /** The field called {@code fieldName}, if the type has one. */
  public Optional<PayloadField> field(String fieldName) {
    for (PayloadField field : fields) {
      if (field.name().equals(fieldName)) {
        return Optional.of(field);
      }
    }
    return Optional.empty();
  }

  /** Field names in schema order. */
  public List<String> fieldNames() {
    return fields.stream().map(PayloadField::name).toList();
  }

  /** Whether a resource of this type may live under a parent of {@code parentType}. */
  public boolean allowsParentType(String parentType) {
    return !isRoot() && (parentTypes.isEmpty() || parentTypes.contains(parentType));
  }

  /** Whether resources of this type are roots of the hierarchy: they never have a parent. */
  public boolean isRoot() {
    return root;
  }

  /**
   * Why a store holding resources of {@code previous} cannot switch to this definition; empty if it
   * can. Allowed evolution: new optional fields, and changes to descriptions and value constraints.
   */
  public List<String> incompatibilitiesWith(PayloadType previous) {
    return incompatibleFields(previous).stream().map(Violation::message).toList();
  }

  /**
   * {@link #incompatibilitiesWith}, each problem as a violation naming its field (no identifier).
   */
  public List<Violation> incompatibleFields(PayloadType previous) {
    List<Violation> problems = new ArrayList<>();
    Map<String, PayloadField> now = new LinkedHashMap<>();
    fields.forEach(f -> now.put(f.name(), f));
    for (PayloadField old : previous.fields) {
      PayloadField current = now.get(old.name());
      if (current == null) {
        problems.add(new Violation(null, old.name(), "field '" + old.name() + "' cannot be removed"));
      } else if (current.type() != old.type() || current.list() != old.list()) {
        problems.add(new Violation(null, old.name(), "field '" + old.name() + "' cannot change its type"));
      } else if (current.required() && !old.required()) {
        problems.add(new Violation(null, old.name(), "field '" + old.name() + "' cannot become required"));
      }
    }
    for (PayloadField field : fields) {
      if (previous.field(field.name()).isEmpty() && field.required()) {
        problems.add(new Violation(null, field.name(), "new field '" + field.name() + "' must be optional"));
      }
    }
    return problems;
  }

  /**
   * The JSON Schema of a resource of this type as reads return it: metadata fields and payload
   * fields side by side, unknown properties forbidden (docs/behaviour.md §2.2).
   *
   * @return the JSON Schema (2020-12) document as compact JSON text
   */
  public String responseSchema() {
    return SchemaParser.responseSchema(this);
  }
}
