package io.vxdata;

import io.vxdata.relation.Link;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A resource as stored at some transaction time: metadata plus the flat payload fields of its type.
 *
 * <p>Payload values use these Java types: {@link String}, {@link Long} (integer), {@link Double}
 * (number), {@link Boolean}, {@link java.time.LocalDate} (date), {@link Instant} (date-time) and
 * {@link List} of those. Every field of the payload type is present in {@link #payload()}; unset
 * fields map to {@code null}.
 *
 * <p><b>Projected resources.</b> A query with {@code select_columns} (docs/behaviour.md §6.3) returns resources that
 * carry only the selected fields besides {@code identifier} and {@code payload_type};
 * {@link #selected()} then names the fields carried. Use {@link #has(String)} to tell a field that
 * was not selected from one whose value is {@code null}: the accessor of a metadata field that was
 * not selected returns {@code null} ({@code derivedFrom}: an empty list, {@code isDeleted}:
 * {@code false}, {@code version}: 0), and {@link #payload()} holds only the selected payload
 * fields.
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
 * @param createdBy the principal that created this life of the identifier ({@code system} for the
 *     system handle, docs/behaviour.md §13.6)
 * @param updatedBy the principal that wrote this version
 * @param payload payload field values by field name, in schema order
 * @param children identifiers of the active direct children, sorted; empty if the read excluded them
 * @param selected with {@code select_columns}, the fields this resource carries ({@code identifier},
 *     {@code payload_type} and the selected ones, in that order); empty for a whole resource
 * @param canEdit with {@code include_permissions} (docs/behaviour.md §13.4), whether the caller could update this
 *     resource now; empty when the read did not ask
 * @param links with {@link ReadOptions#withLinks()} (docs/behaviour.md §15.1), the links of this
 *     resource valid at the read's time, either way round, whose other end the caller may see, sorted by
 *     relation, from and to; empty when the read did not ask
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
    String createdBy,
    String updatedBy,
    Map<String, Object> payload,
    Optional<List<String>> children,
    Optional<Set<String>> selected,
    Optional<Boolean> canEdit,
    Optional<List<Link>> links) {

  public Resource {
    Objects.requireNonNull(canEdit, "canEdit");
    links = Objects.requireNonNull(links, "links").map(List::copyOf);
    Objects.requireNonNull(identifier, "identifier");
    Objects.requireNonNull(payloadType, "payloadType");
    selected = selected.map(fields -> {
      Set<String> all = new LinkedHashSet<>(List.of(Fields.IDENTIFIER, Fields.PAYLOAD_TYPE));
      all.addAll(fields);
      return Collections.unmodifiableSet(all);
    });
    if (selected.isEmpty() || selected.get().contains(Fields.ACCESS_LEVEL)) {
      Objects.requireNonNull(accessLevel, "accessLevel");
    }
    derivedFrom = List.copyOf(derivedFrom);
    payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    children = children.map(List::copyOf);
  }

  /** A resource without {@link #links()}: what every read returns unless asked for links. */
  public Resource(String identifier, String parentIdentifier, String payloadType, String license,
      AccessLevel accessLevel, List<String> derivedFrom, boolean isDeleted, long version, Instant createdAt,
      Instant updatedAt, String createdBy, String updatedBy, Map<String, Object> payload,
      Optional<List<String>> children, Optional<Set<String>> selected, Optional<Boolean> canEdit) {
    this(identifier, parentIdentifier, payloadType, license, accessLevel, derivedFrom, isDeleted, version, createdAt,
        updatedAt, createdBy, updatedBy, payload, children, selected, canEdit, Optional.empty());
  }

  /** A resource without {@link #canEdit()}: what every read returns unless asked for permissions. */
  public Resource(String identifier, String parentIdentifier, String payloadType, String license,
      AccessLevel accessLevel, List<String> derivedFrom, boolean isDeleted, long version, Instant createdAt,
      Instant updatedAt, String createdBy, String updatedBy, Map<String, Object> payload,
      Optional<List<String>> children, Optional<Set<String>> selected) {
    this(identifier, parentIdentifier, payloadType, license, accessLevel, derivedFrom, isDeleted, version, createdAt,
        updatedAt, createdBy, updatedBy, payload, children, selected, Optional.empty());
  }

  /** A whole resource: every metadata field and every payload field of its type. */
  public Resource(String identifier, String parentIdentifier, String payloadType, String license,
      AccessLevel accessLevel, List<String> derivedFrom, boolean isDeleted, long version, Instant createdAt,
      Instant updatedAt, String createdBy, String updatedBy, Map<String, Object> payload,
      Optional<List<String>> children) {
    this(identifier, parentIdentifier, payloadType, license, accessLevel, derivedFrom, isDeleted, version, createdAt,
        updatedAt, createdBy, updatedBy, payload, children, Optional.empty());
  }

  /** This resource with another children list (or none). */
  public Resource withChildren(Optional<List<String>> children) {
    return new Resource(identifier, parentIdentifier, payloadType, license, accessLevel, derivedFrom,
        isDeleted, version, createdAt, updatedAt, createdBy, updatedBy, payload, children, selected, canEdit, links);
  }

  /** This resource with other {@link #links()} (or none). */
  public Resource withLinks(Optional<List<Link>> links) {
    return new Resource(identifier, parentIdentifier, payloadType, license, accessLevel, derivedFrom,
        isDeleted, version, createdAt, updatedAt, createdBy, updatedBy, payload, children, selected, canEdit, links);
  }

  /** This resource with another {@link #canEdit()} (or none). */
  public Resource withCanEdit(Optional<Boolean> canEdit) {
    return new Resource(identifier, parentIdentifier, payloadType, license, accessLevel, derivedFrom,
        isDeleted, version, createdAt, updatedAt, createdBy, updatedBy, payload, children, selected, canEdit, links);
  }

  /**
   * Whether this resource carries {@code field} (a wire name): {@code identifier} and
   * {@code payload_type} always, other metadata fields unless a projection left them out, payload
   * fields when {@link #payload()} holds them.
   */
  public boolean has(String field) {
    if (field.equals(Fields.IDENTIFIER) || field.equals(Fields.PAYLOAD_TYPE)) {
      return true;
    }
    if (selected.isPresent() && !selected.get().contains(field)) {
      return false;
    }
    return Fields.METADATA.contains(field) || payload.containsKey(field);
  }

  /**
   * This resource as a query with {@code select_columns} returns it (docs/behaviour.md §6.3): only {@code fields} (wire
   * names of metadata or payload fields) besides {@code identifier} and {@code payload_type}; see
   * {@link #has(String)}. Children and {@link #canEdit()} are kept.
   */
  public Resource project(Collection<String> fields) {
    Set<String> keep = new LinkedHashSet<>(fields);
    Map<String, Object> kept = new LinkedHashMap<>();
    payload.forEach((field, value) -> {
      if (keep.contains(field)) {
        kept.put(field, value);
      }
    });
    return new Resource(identifier,
        keep.contains(Fields.PARENT_IDENTIFIER) ? parentIdentifier : null,
        payloadType,
        keep.contains(Fields.LICENSE) ? license : null,
        keep.contains(Fields.ACCESS_LEVEL) ? accessLevel : null,
        keep.contains(Fields.DERIVED_FROM) ? derivedFrom : List.of(),
        keep.contains(Fields.IS_DELETED) && isDeleted,
        keep.contains(Fields.VERSION) ? version : 0,
        keep.contains(Fields.CREATED_AT) ? createdAt : null,
        keep.contains(Fields.UPDATED_AT) ? updatedAt : null,
        keep.contains(Fields.CREATED_BY) ? createdBy : null,
        keep.contains(Fields.UPDATED_BY) ? updatedBy : null,
        kept, children, Optional.of(keep), canEdit, links);
  }

  /** The payload value of {@code field}, or {@code null} if unset or not a field of this type. */
  public Object get(String field) {
    return payload.get(field);
  }

  /**
   * The value of a field by its wire name: a metadata field ({@link Fields}; {@code access_level}
   * as an {@link AccessLevel}), else the payload value as {@link #get} returns it; {@code null} for
   * a field this resource does not carry ({@link #has(String)}).
   */
  public Object value(String field) {
    if (selected.isPresent() && !has(field)) {
      return null;
    }
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
      case Fields.CREATED_BY -> createdBy;
      case Fields.UPDATED_BY -> updatedBy;
      default -> get(field);
    };
  }

  /** This resource without its children list. */
  public Resource withoutChildren() {
    return new Resource(identifier, parentIdentifier, payloadType, license, accessLevel, derivedFrom,
        isDeleted, version, createdAt, updatedAt, createdBy, updatedBy, payload, Optional.empty(), selected, canEdit, links);
  }
}
