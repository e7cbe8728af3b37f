package io.vxdata;

import java.time.Instant;
import java.util.Objects;

/**
 * Options of {@link VxData#read(java.util.List, ReadOptions)}.
 *
 * @param asOf the time to read at
 * @param excludeChildren whether to leave out each resource's {@code children} list
 * @param includePermissions whether each resource carries {@link Resource#canEdit()} for the caller
 *     (docs/behaviour.md §13.4)
 * @param includeLinks whether each resource carries {@link Resource#links()}, its links valid at
 *     {@code asOf} (docs/behaviour.md §15.1)
 */
public record ReadOptions(AsOf asOf, boolean excludeChildren, boolean includePermissions, boolean includeLinks) {

  private static final ReadOptions LATEST = new ReadOptions(AsOf.latest(), false, false, false);

  public ReadOptions {
    Objects.requireNonNull(asOf, "asOf");
  }

  /** Options without links. */
  public ReadOptions(AsOf asOf, boolean excludeChildren, boolean includePermissions) {
    this(asOf, excludeChildren, includePermissions, false);
  }

  /** Options without permissions and links. */
  public ReadOptions(AsOf asOf, boolean excludeChildren) {
    this(asOf, excludeChildren, false);
  }

  /** The latest committed state, children included. */
  public static ReadOptions latest() {
    return LATEST;
  }

  /** The state at {@code asOf}, children included. */
  public static ReadOptions at(AsOf asOf) {
    return new ReadOptions(asOf, false);
  }

  /** The state at transaction time {@code asOf}, children included. */
  public static ReadOptions asOf(Instant asOf) {
    return at(AsOf.at(asOf));
  }

  /** These options, but reading at {@code asOf}. */
  public ReadOptions withAsOf(AsOf asOf) {
    return new ReadOptions(asOf, excludeChildren, includePermissions, includeLinks);
  }

  /** These options, but without the {@code children} lists. */
  public ReadOptions withoutChildren() {
    return new ReadOptions(asOf, true, includePermissions, includeLinks);
  }

  /** These options, but with {@link Resource#canEdit()} on each resource (docs/behaviour.md §13.4). */
  public ReadOptions withPermissions() {
    return new ReadOptions(asOf, excludeChildren, true, includeLinks);
  }

  /** These options, but with {@link Resource#links()} on each resource (docs/behaviour.md §15.1). */
  public ReadOptions withLinks() {
    return new ReadOptions(asOf, excludeChildren, includePermissions, true);
  }
}
