package io.vxdata;

import java.util.List;
import java.util.Set;

/** Names of the metadata fields every resource has (docs/behaviour.md §2.1), as they appear on the wire and in filters. */
public final class Fields {

  public static final String IDENTIFIER = "identifier";
  public static final String PARENT_IDENTIFIER = "parent_identifier";
  public static final String PAYLOAD_TYPE = "payload_type";
  public static final String LICENSE = "license";
  public static final String ACCESS_LEVEL = "access_level";
  public static final String DERIVED_FROM = "derived_from";
  public static final String IS_DELETED = "is_deleted";
  public static final String VERSION = "version";
  public static final String CREATED_AT = "created_at";
  public static final String UPDATED_AT = "updated_at";
  /** The principal that created this life of the identifier (docs/behaviour.md §13.6). */
  public static final String CREATED_BY = "created_by";
  /** The principal that wrote this version (docs/behaviour.md §13.6). */
  public static final String UPDATED_BY = "updated_by";
  /** Not a stored field: the active children listed by reads. */
  public static final String CHILDREN = "children";
  /**
   * With {@code include_permissions}: whether the caller could update the resource now (docs/behaviour.md §13.4).
   * Not a stored field: not selectable, filterable or sortable.
   */
  public static final String CAN_EDIT = "can_edit";
  /**
   * With {@code include_links}: the resource's links (docs/behaviour.md §15.1). Not a stored field, and
   * no payload field can take the name (payload names start with a letter).
   */
  public static final String LINKS = "_links";

  /** Every metadata field, in the order responses list them. */
  public static final List<String> METADATA = List.of(IDENTIFIER, PARENT_IDENTIFIER, PAYLOAD_TYPE, LICENSE,
      ACCESS_LEVEL, DERIVED_FROM, IS_DELETED, VERSION, CREATED_AT, UPDATED_AT, CREATED_BY, UPDATED_BY);

  /** Names a payload field may not take. */
  public static final Set<String> RESERVED = Set.of(IDENTIFIER, PARENT_IDENTIFIER, PAYLOAD_TYPE, LICENSE,
      ACCESS_LEVEL, DERIVED_FROM, IS_DELETED, VERSION, CREATED_AT, UPDATED_AT, CREATED_BY, UPDATED_BY, CHILDREN,
      CAN_EDIT);

  /** Metadata fields a caller may set on update. */
  public static final Set<String> UPDATABLE = Set.of(PARENT_IDENTIFIER, LICENSE, ACCESS_LEVEL, DERIVED_FROM, IS_DELETED);

  private Fields() {}
}
