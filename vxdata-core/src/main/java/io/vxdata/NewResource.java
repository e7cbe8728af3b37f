package io.vxdata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A resource to create. Payload values may be given loosely (any {@link Number}, ISO 8601 strings
 * for dates and date-times); validation converts them to the canonical types of {@link Resource}.
 *
 * @param identifier the identifier to create
 * @param payloadType a registered payload type name
 * @param parentIdentifier an active resource of an allowed parent type, or {@code null}
 * @param license e.g. an SPDX id, or {@code null}
 * @param accessLevel the access level; {@code null} means {@link AccessLevel#DEFAULT}
 * @param derivedFrom lineage edges; every entry must exist (active or deleted)
 * @param payload payload field values by name; {@code null} values are allowed for optional fields
 */
public record NewResource(
    String identifier,
    String payloadType,
    String parentIdentifier,
    String license,
    AccessLevel accessLevel,
    List<String> derivedFrom,
    Map<String, Object> payload) {

  public NewResource {
    accessLevel = accessLevel == null ? AccessLevel.DEFAULT : accessLevel;
    derivedFrom = derivedFrom == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(derivedFrom));
    payload = payload == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(payload));
  }

  /** Starts a resource of {@code payloadType} named {@code identifier}. */
  public static Builder builder(String payloadType, String identifier) {
    return new Builder(payloadType, identifier);
  }

  /** Builds a {@link NewResource} field by field. */
  public static final class Builder {
    private final String payloadType;
    private final String identifier;
    private String parentIdentifier;
    private String license;
    private AccessLevel accessLevel;
    private List<String> derivedFrom = List.of();
    private final Map<String, Object> payload = new LinkedHashMap<>();

    private Builder(String payloadType, String identifier) {
      this.payloadType = Objects.requireNonNull(payloadType, "payloadType");
      this.identifier = Objects.requireNonNull(identifier, "identifier");
    }

    public Builder parent(String parentIdentifier) {
      this.parentIdentifier = parentIdentifier;
      return this;
    }

    public Builder license(String license) {
      this.license = license;
      return this;
    }

    public Builder accessLevel(AccessLevel accessLevel) {
      this.accessLevel = accessLevel;
      return this;
    }

    public Builder derivedFrom(String... identifiers) {
      this.derivedFrom = List.of(identifiers);
      return this;
    }

    public Builder derivedFrom(List<String> identifiers) {
      this.derivedFrom = List.copyOf(identifiers);
      return this;
    }

    /** Sets payload field {@code field} to {@code value}. */
    public Builder set(String field, Object value) {
      payload.put(field, value);
      return this;
    }

    /** Sets several payload fields. */
    public Builder setAll(Map<String, ?> values) {
      payload.putAll(values);
      return this;
    }

    public NewResource build() {
      return new NewResource(identifier, payloadType, parentIdentifier, license, accessLevel, derivedFrom, payload);
    }
  }
}
