package io.vxdata;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A detailed breakdown of one datasource's subtree (docs/behaviour.md §7), as of one time. The subtree follows
 * parent links of active and deleted resources alike, so deleted resources are counted where they
 * were when deleted.
 *
 * @param datasourceId the datasource's identifier
 * @param name its {@code name}
 * @param types per payload type, active and deleted resources of the subtree (datasource excluded)
 * @param versions every version ever written of the subtree's resources, the datasource's included
 * @param firstCreatedAt the earliest {@code created_at} in the subtree, the datasource's included
 * @param lastUpdatedAt the latest {@code updated_at} in the subtree, the datasource's included
 * @param artefactSizeBytes the sum of {@code size_bytes} of the active artefacts of the subtree
 */
public record DatasourceDetails(String datasourceId, String name, Map<String, TypeCounts> types, long versions,
    Instant firstCreatedAt, Instant lastUpdatedAt, long artefactSizeBytes) {

  public DatasourceDetails {
    Objects.requireNonNull(datasourceId, "datasourceId");
    types = Collections.unmodifiableMap(new TreeMap<>(types));
  }

  /**
   * Resources of one payload type.
   *
   * @param active how many are active
   * @param deleted how many are tombstoned
   */
  public record TypeCounts(long active, long deleted) {}
}
