package io.vxdata.access;

import io.vxdata.AccessLevel;
import java.util.Objects;

/**
 * A person or a service account (docs/behaviour.md §13.1).
 *
 * @param id the principal's identifier (the identifier rule of docs/behaviour.md §2.1); {@value #SYSTEM} is reserved
 *     for in-process writes made without a principal
 * @param name a display name
 * @param admin whether the principal sees and changes everything
 * @param clearance the highest access level of the resources it may see
 * @param disabled whether it is locked out: its tokens are refused and it can do nothing
 */
public record Principal(String id, String name, boolean admin, AccessLevel clearance, boolean disabled) {

  /** The principal of in-process calls made without one: every right, recorded as {@code system}. */
  public static final String SYSTEM = "system";

  public Principal {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(clearance, "clearance");
  }

  /** A new, enabled principal that is not an admin. */
  public static Principal of(String id, String name, AccessLevel clearance) {
    return new Principal(id, name, false, clearance, false);
  }
}
