package io.vxdata.access;

import java.util.Objects;

/**
 * A principal's role on a datasource and everything under it (docs/behaviour.md §13.1).
 *
 * @param datasourceId the datasource
 * @param principalId the principal
 * @param role what the principal may do there
 */
public record Grant(String datasourceId, String principalId, Role role) {

  public Grant {
    Objects.requireNonNull(datasourceId, "datasourceId");
    Objects.requireNonNull(principalId, "principalId");
    Objects.requireNonNull(role, "role");
  }
}
