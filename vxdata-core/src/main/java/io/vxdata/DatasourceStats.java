package io.vxdata;

import java.util.Objects;

/**
 * Active counts under one datasource (docs/behaviour.md §7), as of one time.
 *
 * @param datasourceId the datasource's identifier
 * @param name its {@code name}
 * @param patients active patients in its subtree
 * @param studies active studies in its subtree
 * @param artefacts active artefacts in its subtree
 * @param resources every active resource in its subtree, the datasource itself excluded
 */
public record DatasourceStats(String datasourceId, String name, long patients, long studies, long artefacts,
    long resources) {

  public DatasourceStats {
    Objects.requireNonNull(datasourceId, "datasourceId");
  }
}
