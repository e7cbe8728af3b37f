package io.vxdata.jdbc.internal;

import io.vxdata.AccessLevel;
import io.vxdata.UnauthenticatedException;
import io.vxdata.access.Role;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * What a caller may do as the database says now (docs/behaviour.md §13): whether it is an enabled admin, its
 * clearance, and its role on each datasource it holds a grant on. Writes and administration read it
 * once per call, inside their transaction; reads never load it (their statements carry the rule,
 * see {@link Visibility}).
 */
record Rights(boolean admin, AccessLevel clearance, Map<String, Role> roles) {

  static final Rights SYSTEM = new Rights(true, AccessLevel.RESTRICTED, Map.of());

  /**
   * The rights of {@code caller}, read on {@code h}.
   *
   * @throws UnauthenticatedException if the principal is gone or disabled
   */
  static Rights load(Handle h, Caller caller) {
    if (caller.system()) {
      return SYSTEM;
    }
    var row = h.createQuery("SELECT is_admin, clearance FROM vx_principal WHERE id = ? AND NOT disabled")
        .bind(0, Sql.text(caller.principalId()))
        .map((rs, ctx) -> new Object[] {rs.getBoolean(1), AccessLevel.values()[rs.getShort(2)]})
        .findOne()
        .orElseThrow(() -> new UnauthenticatedException("principal '" + caller.principalId()
            + "' is unknown or disabled"));
    Map<String, Role> roles = new HashMap<>();
    boolean admin = (Boolean) row[0];
    if (!admin) {
      h.createQuery("SELECT datasource_id, grant_role FROM vx_grant WHERE principal_id = ?")
          .bind(0, Sql.text(caller.principalId()))
          .map((rs, ctx) -> Map.entry(rs.getString(1), Role.values()[rs.getShort(2)]))
          .forEach(e -> roles.put(e.getKey(), e.getValue()));
    }
    return new Rights(admin, (AccessLevel) row[1], roles);
  }

  /** Whether a version under {@code root} at {@code level} is visible (docs/behaviour.md §13.2). */
  boolean sees(String root, AccessLevel level) {
    return admin || root != null && roles.containsKey(root) && level.compareTo(clearance) <= 0;
  }

  /** Whether a version under {@code root} at {@code level} may be written (docs/behaviour.md §13.4). */
  boolean edits(String root, AccessLevel level) {
    return admin || root != null && roles.containsKey(root) && roles.get(root).includes(Role.EDITOR)
        && level.compareTo(clearance) <= 0;
  }

  /** Whether the caller may manage the grants of {@code datasource}. */
  boolean owns(String datasource) {
    return admin || roles.get(datasource) == Role.OWNER;
  }
}
