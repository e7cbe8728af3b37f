package io.vxdata.spi;

import io.vxdata.AccessLevel;
import io.vxdata.Fields;
import io.vxdata.NewResource;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.schema.BuiltInTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The items of a batch registration (docs/behaviour.md §5) as resources to create, and the names that place a
 * problem in the batch: {@code [3]} is the fourth item, {@code [3].sex} its field {@code sex}.
 */
public final class RegistrationItems {

  /** Fields an item may not give among its other fields: the key, and what the store assigns. */
  private static final Set<String> NOT_GIVEN = Set.of(BuiltInTypes.EXTERNAL_UID, BuiltInTypes.DATASOURCE_ID,
      "patient_identifier", Fields.IDENTIFIER, Fields.PAYLOAD_TYPE, Fields.PARENT_IDENTIFIER);

  private RegistrationItems() {}

  /** The name of item {@code index}'s {@code field} ({@code null}: the item itself) in a violation. */
  public static String name(int index, String field) {
    return "[" + index + "]" + (field == null ? "" : "." + field);
  }

  /**
   * Checks that item {@code index}'s other fields name neither its key nor a field the store sets: a
   * client checks it before it sends the item, where such a field would take the key's place.
   *
   * @throws ValidationException naming the item's field
   */
  public static void checkFieldNames(int index, Map<String, Object> fields) {
    List<Violation> violations = new ArrayList<>();
    for (String field : fields.keySet()) {
      if (NOT_GIVEN.contains(field) || Fields.RESERVED.contains(field) && !Fields.LICENSE.equals(field)
          && !Fields.ACCESS_LEVEL.equals(field) && !Fields.DERIVED_FROM.equals(field)) {
        violations.add(new Violation(null, name(index, field), "is the key or set by the store: it cannot be given"
            + " among an item's other fields"));
      }
    }
    WriteValidator.throwIfAny(violations);
  }

  /**
   * Item {@code index} as a resource to create: payload fields as they are, {@code license},
   * {@code access_level} and {@code derived_from} as metadata.
   *
   * @throws ValidationException naming the item's field if a field may not be given or has the wrong type
   */
  public static NewResource toNewResource(int index, String payloadType, String identifier, String parent,
      String externalUid, Map<String, Object> fields) {
    NewResource.Builder b = NewResource.builder(payloadType, identifier).parent(parent)
        .set(BuiltInTypes.EXTERNAL_UID, externalUid);
    checkFieldNames(index, fields);
    List<Violation> violations = new ArrayList<>();
    fields.forEach((field, value) -> {
      switch (field) {
        case Fields.LICENSE -> {
          if (value != null && !(value instanceof String)) {
            violations.add(new Violation(null, name(index, field), "must be a string or null"));
          } else {
            b.license((String) value);
          }
        }
        case Fields.ACCESS_LEVEL -> {
          try {
            b.accessLevel(value == null || value instanceof AccessLevel ? (AccessLevel) value
                : AccessLevel.parse(String.valueOf(value)));
          } catch (IllegalArgumentException e) {
            violations.add(new Violation(null, name(index, field), e.getMessage()));
          }
        }
        case Fields.DERIVED_FROM -> {
          if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            b.derivedFrom(list.stream().map(String.class::cast).toList());
          } else if (value != null) {
            violations.add(new Violation(null, name(index, field), "must be a list of identifiers"));
          }
        }
        default -> b.set(field, value);
      }
    });
    WriteValidator.throwIfAny(violations);
    return b.build();
  }
}
