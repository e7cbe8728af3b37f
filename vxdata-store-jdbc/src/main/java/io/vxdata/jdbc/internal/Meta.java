package io.vxdata.jdbc.internal;

import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * The single row of {@code vx_meta}: the last commit's transaction time, the catalog version, and how many
 * commits have given an identifier a second payload type ({@link IdentifierTypes}).
 */
record Meta(Instant lastTx, long typesVersion, long retypes) {

  static Meta read(Handle h) {
    return select(h, "");
  }

  /** Reads the row and locks it until the transaction ends: what orders writers across processes. */
  static Meta lock(Handle h) {
    return select(h, " FOR UPDATE");
  }

  private static Meta select(Handle h, String lock) {
    return h.createQuery("SELECT last_tx, types_version, retypes FROM vx_meta WHERE id = 1" + lock)
        .map((rs, ctx) -> new Meta(TypeTable.instant(rs, "last_tx"), rs.getLong("types_version"),
            rs.getLong("retypes")))
        .one();
  }
}
