package io.vxdata;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One version of an identifier in its history (docs/behaviour.md §14.1).
 *
 * <p>{@code changedFields} names the fields this version changed from the version before it, in
 * this order: {@code payload_type}, {@code parent_identifier}, {@code license}, {@code access_level},
 * {@code derived_from}, {@code is_deleted}, then payload fields in schema order (a payload field the
 * version before had and this one lacks, after a re-creation under another payload type, comes
 * last). The fields the store maintains itself ({@code version}, {@code created_at},
 * {@code updated_at}, {@code created_by}, {@code updated_by}) are never listed. A version with no
 * version before it that the reader may see — the first version of the identifier, or one whose
 * predecessor is hidden from the reader by access control (docs/behaviour.md §13.2) — lists every field it
 * sets: a non-null value, a non-empty list, and {@code is_deleted} only when it is {@code true}.
 * So a delete lists {@code is_deleted}, a restore {@code is_deleted}, a move
 * {@code parent_identifier}.
 *
 * @param resource the version as stored (without children)
 * @param validFrom when it was written: its {@code updated_at}
 * @param validTo the transaction time of the version that superseded it, or {@code null} if none
 *     had by the time the history was read at
 * @param changedFields the names of the fields it changed, see above
 */
public record HistoryEntry(Resource resource, Instant validFrom, Instant validTo, List<String> changedFields) {

  public HistoryEntry {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(validFrom, "validFrom");
    changedFields = List.copyOf(changedFields);
  }

  /** The version number. */
  public long version() {
    return resource.version();
  }

  /** The principal that wrote this version (docs/behaviour.md §13.6). */
  public String updatedBy() {
    return resource.updatedBy();
  }

  /** Whether this version is a tombstone. */
  public boolean isDeleted() {
    return resource.isDeleted();
  }
}
