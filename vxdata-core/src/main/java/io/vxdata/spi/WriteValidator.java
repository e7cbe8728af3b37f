package io.vxdata.spi;

import io.vxdata.AccessLevel;
import io.vxdata.Fields;
import io.vxdata.NewResource;
import io.vxdata.ResourceUpdate;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.schema.PayloadField;
import io.vxdata.schema.PayloadType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of docs/behaviour.md §2.3 that need no stored state, shared by every backend. Backends add the checks
 * that do (active identifiers, parents, lineage) inside their transaction.
 */
public final class WriteValidator {

  /** Longest license text a store must keep. */
  public static final int MAX_LICENSE_LENGTH = 255;

  private WriteValidator() {}

  /**
   * A create request that passed validation; payload values are canonical and every field of the
   * type is present (unset fields map to {@code null}).
   */
  public record ValidCreate(
      String identifier,
      PayloadType type,
      String parentIdentifier,
      String license,
      AccessLevel accessLevel,
      List<String> derivedFrom,
      Map<String, Object> payload) {}

  /**
   * An update that passed validation.
   *
   * @param metadata changed metadata fields among {@code parent_identifier}, {@code license},
   *     {@code access_level} (an {@link AccessLevel}) and {@code derived_from} (a list); values may be null
   * @param payload changed payload fields with canonical values; values may be null (cleared)
   * @param deleted {@code true}/{@code false} if the update deletes/restores, {@code null} otherwise
   */
  public record ValidUpdate(String identifier, Map<String, Object> metadata, Map<String, Object> payload,
      Boolean deleted) {}

  /**
   * Validates a create batch against the registered types.
   *
   * @throws ValidationException listing every problem found
   */
  public static List<ValidCreate> validateCreates(List<NewResource> resources, Map<String, PayloadType> types) {
    checkBatch(resources.size(), "resources");
    List<Violation> violations = new ArrayList<>();
    List<ValidCreate> valid = new ArrayList<>(resources.size());
    Set<String> seen = new HashSet<>();
    for (NewResource r : resources) {
      String id = r.identifier();
      if (!Identifiers.isValid(id)) {
        violations.add(new Violation(id, Fields.IDENTIFIER, Identifiers.describeProblem(id)));
        continue;
      }
      if (!seen.add(id)) {
        violations.add(new Violation(id, Fields.IDENTIFIER, "appears more than once in the batch"));
        continue;
      }
      PayloadType type = r.payloadType() == null ? null : types.get(r.payloadType());
      if (type == null) {
        violations.add(new Violation(id, Fields.PAYLOAD_TYPE, r.payloadType() == null ? "is required"
            : "unknown payload type '" + r.payloadType() + "'; registered: " + new java.util.TreeSet<>(types.keySet())));
        continue;
      }
      int before = violations.size();
      checkIdentifierField(id, Fields.PARENT_IDENTIFIER, r.parentIdentifier(), violations);
      checkLicense(id, r.license(), violations);
      checkLineage(id, r.derivedFrom(), violations);
      if (r.parentIdentifier() != null && r.parentIdentifier().equals(id)) {
        violations.add(new Violation(id, Fields.PARENT_IDENTIFIER, "a resource cannot be its own parent"));
      }
      if (r.parentIdentifier() != null && type.isRoot()) {
        violations.add(new Violation(id, Fields.PARENT_IDENTIFIER,
            "a " + type.name() + " is a root of the hierarchy and has no parent"));
      }
      if (r.parentIdentifier() == null && !type.parentTypes().isEmpty()) {
        violations.add(new Violation(id, Fields.PARENT_IDENTIFIER,
            "a " + type.name() + " needs a parent of type " + String.join(" or ", new java.util.TreeSet<>(type.parentTypes()))));
      }
      Map<String, Object> payload = new LinkedHashMap<>();
      for (String key : r.payload().keySet()) {
        if (type.field(key).isEmpty()) {
          violations.add(unknownField(id, type, key));
        }
      }
      for (PayloadField field : type.fields()) {
        Object raw = r.payload().get(field.name());
        if (raw == null) {
          if (field.required()) {
            violations.add(new Violation(id, field.name(), "is required for payload type '" + type.name() + "'"));
          }
          payload.put(field.name(), null);
        } else {
          payload.put(field.name(), checkValue(id, field, raw, violations));
        }
      }
      if (violations.size() == before) {
        valid.add(new ValidCreate(id, type, r.parentIdentifier(), r.license(), r.accessLevel(),
            List.copyOf(r.derivedFrom()), Collections.unmodifiableMap(payload)));
      }
    }
    throwIfAny(violations);
    return valid;
  }

  /**
   * Validates one update of a resource currently of payload type {@code type}, adding problems to
   * {@code violations}.
   *
   * @return the validated update, or {@code null} if it had problems
   */
  public static ValidUpdate validateUpdate(String id, ResourceUpdate update, PayloadType type,
      List<Violation> violations) {
    int before = violations.size();
    Map<String, Object> metadata = new LinkedHashMap<>();
    Map<String, Object> payload = new LinkedHashMap<>();
    Boolean deleted = null;
    for (Map.Entry<String, Object> change : update.changes().entrySet()) {
      String field = change.getKey();
      Object value = change.getValue();
      switch (field) {
        case Fields.IDENTIFIER -> {
          if (!id.equals(value)) {
            violations.add(new Violation(id, field, "is immutable"));
          }
        }
        case Fields.PAYLOAD_TYPE -> {
          if (!type.name().equals(value)) {
            violations.add(new Violation(id, field, "is immutable: the resource is a " + type.name()));
          }
        }
        case Fields.VERSION, Fields.CREATED_AT, Fields.UPDATED_AT, Fields.CREATED_BY, Fields.UPDATED_BY, Fields.CHILDREN,
            Fields.CAN_EDIT ->
            violations.add(new Violation(id, field, "is assigned by the system and cannot be updated"));
        case Fields.IS_DELETED -> {
          if (value instanceof Boolean b) {
            deleted = b;
          } else {
            violations.add(new Violation(id, field, "must be true or false"));
          }
        }
        case Fields.PARENT_IDENTIFIER -> {
          if (value != null && !(value instanceof String)) {
            violations.add(new Violation(id, field, "must be a string or null"));
          } else {
            checkIdentifierField(id, field, (String) value, violations);
            if (id.equals(value)) {
              violations.add(new Violation(id, field, "a resource cannot be its own parent"));
            } else if (value != null && type.isRoot()) {
              violations.add(new Violation(id, field, "a " + type.name() + " is a root of the hierarchy and has no parent"));
            } else if (value == null && !type.parentTypes().isEmpty()) {
              violations.add(new Violation(id, field, "a " + type.name() + " needs a parent"));
            }
            metadata.put(field, value);
          }
        }
        case Fields.LICENSE -> {
          if (value != null && !(value instanceof String)) {
            violations.add(new Violation(id, field, "must be a string or null"));
          } else {
            checkLicense(id, (String) value, violations);
            metadata.put(field, value);
          }
        }
        case Fields.ACCESS_LEVEL -> {
          try {
            metadata.put(field, value instanceof AccessLevel level ? level : AccessLevel.parse(String.valueOf(value)));
          } catch (IllegalArgumentException e) {
            violations.add(new Violation(id, field, e.getMessage()));
          }
        }
        case Fields.DERIVED_FROM -> {
          List<String> lineage = stringList(value);
          if (lineage == null) {
            violations.add(new Violation(id, field, "must be a list of identifiers"));
          } else {
            checkLineage(id, lineage, violations);
            metadata.put(field, lineage);
          }
        }
        default -> {
          PayloadField payloadField = type.field(field).orElse(null);
          if (payloadField == null) {
            violations.add(unknownField(id, type, field));
          } else if (value == null) {
            if (payloadField.required()) {
              violations.add(new Violation(id, field, "is required for payload type '" + type.name()
                  + "' and cannot be cleared"));
            }
            payload.put(field, null);
          } else {
            payload.put(field, checkValue(id, payloadField, value, violations));
          }
        }
      }
    }
    return violations.size() == before ? new ValidUpdate(id, metadata, payload, deleted) : null;
  }

  /** Checks a list of identifiers named by a request. */
  public static void checkIdentifiers(List<String> identifiers, String field) {
    List<Violation> violations = new ArrayList<>();
    if (identifiers == null) {
      throw ValidationException.of(null, field, "is required");
    }
    checkBatch(identifiers.size(), field);
    for (String id : identifiers) {
      if (!Identifiers.isValid(id)) {
        violations.add(new Violation(id, field, Identifiers.describeProblem(id)));
      }
    }
    throwIfAny(violations);
  }

  /** Throws a {@link ValidationException} carrying {@code violations} unless the list is empty. */
  public static void throwIfAny(List<Violation> violations) {
    if (!violations.isEmpty()) {
      throw new ValidationException(violations);
    }
  }

  private static Object checkValue(String id, PayloadField field, Object raw, List<Violation> violations) {
    try {
      Object value = field.list() ? Values.coerceList(field.type(), raw) : Values.coerce(field.type(), raw);
      String problem = storable(field, value);
      problem = problem != null ? problem : Values.checkConstraints(field, value);
      if (problem != null) {
        violations.add(new Violation(id, field.name(), problem));
      }
      return value;
    } catch (IllegalArgumentException e) {
      violations.add(new Violation(id, field.name(), e.getMessage()));
      return null;
    }
  }

  /** What the database could not keep whatever the schema says: see {@link Limits}. */
  private static String storable(PayloadField field, Object value) {
    if (value instanceof List<?> list) {
      if (list.size() > Limits.MAX_LIST_ITEMS) {
        return "must have at most " + Limits.MAX_LIST_ITEMS + " items, not " + list.size();
      }
      for (int i = 0; i < list.size(); i++) {
        String problem = list.get(i) instanceof String s ? Limits.textProblem(s, false) : null;
        if (problem != null) {
          return "element " + i + " " + problem;
        }
      }
      return null;
    }
    return value instanceof String s ? Limits.textProblem(s, field.indexed()) : null;
  }

  /**
   * Checks the size of a batch: at most {@link Limits#MAX_BATCH} items per call.
   *
   * @throws ValidationException naming {@code field} if the batch is larger
   */
  public static void checkBatch(int size, String field) {
    Limits.checkCount(size, Limits.MAX_BATCH, field, "items");
  }

  private static Violation unknownField(String id, PayloadType type, String field) {
    String hint = Fields.RESERVED.contains(field) ? " (a metadata field, not a payload field)" : "";
    return new Violation(id, field, "unknown field for payload type '" + type.name() + "'" + hint
        + "; fields: " + type.fieldNames());
  }

  private static void checkIdentifierField(String id, String field, String value, List<Violation> violations) {
    if (value != null && !Identifiers.isValid(value)) {
      violations.add(new Violation(id, field, Identifiers.describeProblem(value)));
    }
  }

  private static void checkLicense(String id, String license, List<Violation> violations) {
    if (license != null && (license.isEmpty() || license.length() > MAX_LICENSE_LENGTH)) {
      violations.add(new Violation(id, Fields.LICENSE, "must have 1-" + MAX_LICENSE_LENGTH + " characters"));
    } else if (license != null && Limits.textProblem(license, false) != null) {
      violations.add(new Violation(id, Fields.LICENSE, Limits.textProblem(license, false)));
    }
  }

  private static void checkLineage(String id, List<String> lineage, List<Violation> violations) {
    if (lineage.size() > Limits.MAX_LIST_ITEMS) {
      violations.add(new Violation(id, Fields.DERIVED_FROM, "lists more than " + Limits.MAX_LIST_ITEMS
          + " sources (" + lineage.size() + ")"));
      return;
    }
    Set<String> seen = new HashSet<>();
    for (String source : lineage) {
      if (!Identifiers.isValid(source)) {
        violations.add(new Violation(id, Fields.DERIVED_FROM, Identifiers.describeProblem(source)));
      } else if (!seen.add(source)) {
        violations.add(new Violation(id, Fields.DERIVED_FROM, "lists '" + source + "' twice"));
      } else if (source.equals(id)) {
        violations.add(new Violation(id, Fields.DERIVED_FROM, "a resource cannot be derived from itself"));
      }
    }
  }

  private static List<String> stringList(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      return null;
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object element : list) {
      if (!(element instanceof String s)) {
        return null;
      }
      out.add(s);
    }
    return List.copyOf(out);
  }
}
