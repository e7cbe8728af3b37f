package io.vxdata;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A resource as stored at some transaction time: metadata plus the flat payload fields of its type.
 *
 * <p>Payload values use these Java types: {@link String}, {@link Long} (integer), {@link Double}
 * (number), {@link Boolean}, {@link java.time.LocalDate} (date), {@link Instant} (date-time) and
 * {@link List} of those. Every field of the payload type is present in {@link #payload()}; unset
 * fields map to {@code null}.
 *
 * @param identifier unique among active resources
 * @param parentIdentifier the parent resource, or {@code null} for a root
 * @param payloadType the registered payload type name
 * @param license e.g. an SPDX id, or {@code null}
 * @param accessLevel how sensitive the resource is
 * @param derivedFrom lineage: identifiers this resource was derived from
 * @param isDeleted whether this version is a tombstone (reads never return tombstones)
 * @param version 1 on the first creation, +1 on every change of this identifier
 * @param createdAt transaction time of the creation (of this life, after a re-creation)
 * @param updatedAt transaction time of the latest change
 * @param payload payload field values by field name, in schema order
 * @param children identifiers of the active direct children, sorted; empty if the read excluded them
 */
public record Resource(
    String identifier,
    String parentIdentifier,
    String payloadType,
    String license,
    AccessLevel accessLevel,
    List<String> derivedFrom,
    boolean isDeleted,
    long version,
    Instant createdAt,
    Instant updatedAt,
    Map<String, Object> payload,
    Optional<List<String>> children) {

  public Resource {
    Objects.requireNonNull(identifier, "identifier");
    Objects.requireNonNull(payloadType, "payloadType");
    Objects.requireNonNull(accessLevel, "accessLevel");
    derivedFrom = List.copyOf(derivedFrom);
    payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    children = children.map(List::copyOf);
  }

  /** The payload value of {@code field}, or {@code null} if unset or not a field of this type. */
  public Object get(String field) {
    return payload.get(field);
  }

  /**
   * The value of a field by its wire name: a metadata field ({@link Fields}; {@code access_level}
   * as an {@link AccessLevel}), else the payload value as {@link #get} returns it.
   */
  public Object value(String field) {
    return switch (field) {
      case Fields.IDENTIFIER -> identifier;
      case Fields.PARENT_IDENTIFIER -> parentIdentifier;
      case Fields.PAYLOAD_TYPE -> payloadType;
      case Fields.LICENSE -> license;
      case Fields.ACCESS_LEVEL -> accessLevel;
      case Fields.DERIVED_FROM -> derivedFrom;
      case Fields.IS_DELETED -> isDeleted;
      case Fields.VERSION -> version;
      case Fields.CREATED_AT -> createdAt;
      case Fields.UPDATED_AT -> updatedAt;
      default -> get(field);
    };
  }

  /** This resource without its children list. */
  public Resource withoutChildren() {
    return new Resource(identifier, parentIdentifier, payloadType, license, accessLevel, derivedFrom,
        isDeleted, version, createdAt, updatedAt, payload, Optional.empty());
  }
}
