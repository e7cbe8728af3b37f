package io.vxdata.release;

import io.vxdata.AsOf;
import io.vxdata.ForbiddenException;
import io.vxdata.NotFoundException;
import io.vxdata.ValidationException;

/**
 * Releases (docs/behaviour.md §14.4): named, immutable transaction times. A read at
 * {@link AsOf#release(String)} reads at the release's time, with the caller's visibility of now.
 *
 * <p>Obtained from {@link io.vxdata.VxData#releases()}, it acts with the rights of that handle's
 * principal: creating needs an admin (or the system handle); any principal may get and list them,
 * since they show only names and times. A release is never moved or deleted.
 */
public interface Releases {

  /** The longest description. */
  int MAX_DESCRIPTION = 1000;

  /**
   * Names a transaction time, as one commit logged as {@code create_release}.
   *
   * @param name the name (see {@link io.vxdata.spi.ReleaseNames})
   * @param at the time: {@link AsOf#latest()} for the last commit, or a time at or before it
   * @param description what it is for (at most {@value #MAX_DESCRIPTION} characters), or {@code null}
   * @throws ValidationException naming {@code name} if it is malformed or taken (even for the same
   *     time), {@code as_of} if the time is after the last commit or is itself a release, or
   *     {@code description} if it is too long; nothing is written
   * @throws ForbiddenException if the caller is not an admin
   */
  Release create(String name, AsOf at, String description);

  /**
   * The release named {@code name}.
   *
   * @throws NotFoundException if there is none
   * @throws ValidationException naming {@code name} if it is malformed
   */
  Release get(String name);

  /**
   * A page of the releases, newest (by transaction time, then by name) first.
   *
   * @param limit 1 to 1,000, or {@code null} for 100
   * @param cursor the {@link ReleasePage#nextCursor()} of the page before, or {@code null} for the first
   * @throws ValidationException naming {@code limit} or {@code cursor} if either is malformed
   */
  ReleasePage list(Integer limit, String cursor);
}
