package io.vxdata;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A partial update of one resource: only the fields present change (docs/behaviour.md §3.3).
 *
 * <p>Keys are field names as on the wire: payload fields and the metadata fields
 * {@code parent_identifier}, {@code license}, {@code access_level}, {@code derived_from} (replaces
 * the list) and {@code is_deleted} ({@code true}: cascading delete, {@code false}: restore). A
 * {@code null} value clears a nullable field.
 *
 * @param changes field name to new value, in the order given; values may be {@code null}
 */
public record ResourceUpdate(Map<String, Object> changes) {

  public ResourceUpdate {
    Objects.requireNonNull(changes, "changes");
    changes = Collections.unmodifiableMap(new LinkedHashMap<>(changes));
  }

  /** An update with the given changes (a {@code null} value clears the field). */
  public static ResourceUpdate of(Map<String, ?> changes) {
    return new ResourceUpdate(new LinkedHashMap<>(changes));
  }

  /** Starts an empty update. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ResourceUpdate} field by field. */
  public static final class Builder {
    private final Map<String, Object> changes = new LinkedHashMap<>();

    private Builder() {}

    /** Sets a payload or metadata field. */
    public Builder set(String field, Object value) {
      changes.put(field, value);
      return this;
    }

    /** Clears a nullable payload or metadata field. */
    public Builder clear(String field) {
      changes.put(field, null);
      return this;
    }

    public Builder parent(String parentIdentifier) {
      return set(Fields.PARENT_IDENTIFIER, parentIdentifier);
    }

    public Builder license(String license) {
      return set(Fields.LICENSE, license);
    }

    public Builder accessLevel(AccessLevel accessLevel) {
      return set(Fields.ACCESS_LEVEL, accessLevel);
    }

    public Builder derivedFrom(List<String> identifiers) {
      return set(Fields.DERIVED_FROM, List.copyOf(identifiers));
    }

    /** {@code true}: tombstone with its subtree; {@code false}: restore. */
    public Builder deleted(boolean deleted) {
      return set(Fields.IS_DELETED, deleted);
    }

    public ResourceUpdate build() {
      return new ResourceUpdate(changes);
    }
  }
}
