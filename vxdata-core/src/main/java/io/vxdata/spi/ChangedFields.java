package io.vxdata.spi;

import io.vxdata.Fields;
import io.vxdata.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fields one version changed from the version before it, as {@link io.vxdata.HistoryEntry}
 * lists them (docs/behaviour.md §14.1): for every backend the same names in the same order.
 */
public final class ChangedFields {

  /** The metadata fields a version can change, in the order they are listed. */
  private static final List<String> METADATA = List.of(Fields.PAYLOAD_TYPE, Fields.PARENT_IDENTIFIER, Fields.LICENSE,
      Fields.ACCESS_LEVEL, Fields.DERIVED_FROM, Fields.IS_DELETED);

  private ChangedFields() {}

  /**
   * The fields {@code version} changed from {@code before}; with {@code before} null (a first
   * version, or one whose predecessor the reader may not see), the fields {@code version} sets.
   */
  public static List<String> of(Resource before, Resource version) {
    List<String> changed = new ArrayList<>();
    if (before == null) {
      for (String field : METADATA) {
        if (!field.equals(Fields.PAYLOAD_TYPE) && isSet(field, version.value(field))) {
          changed.add(field);
        }
      }
      version.payload().forEach((field, value) -> {
        if (isSet(field, value)) {
          changed.add(field);
        }
      });
      return List.copyOf(changed);
    }
    for (String field : METADATA) {
      if (!Objects.equals(before.value(field), version.value(field))) {
        changed.add(field);
      }
    }
    version.payload().forEach((field, value) -> {
      if (!Objects.equals(before.payload().get(field), value)) {
        changed.add(field);
      }
    });
    before.payload().forEach((field, value) -> {
      if (!version.payload().containsKey(field) && value != null) {
        changed.add(field);
      }
    });
    return List.copyOf(changed);
  }

  private static boolean isSet(String field, Object value) {
    if (field.equals(Fields.IS_DELETED)) {
      return Boolean.TRUE.equals(value);
    }
    return value != null && !(value instanceof List<?> list && list.isEmpty());
  }
}
