package io.vxdata.access;

import io.vxdata.AccessLevel;

/**
 * A partial change of a principal; a {@code null} component leaves that property as it is.
 *
 * @param name a new display name
 * @param admin whether it is an admin
 * @param clearance a new clearance
 * @param disabled whether it is locked out
 */
public record PrincipalUpdate(String name, Boolean admin, AccessLevel clearance, Boolean disabled) {

  /** A change of the clearance alone. */
  public static PrincipalUpdate clearance(AccessLevel clearance) {
    return new PrincipalUpdate(null, null, clearance, null);
  }

  /** Disables or re-enables the principal. */
  public static PrincipalUpdate disabled(boolean disabled) {
    return new PrincipalUpdate(null, null, null, disabled);
  }
}
