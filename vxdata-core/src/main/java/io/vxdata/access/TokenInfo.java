package io.vxdata.access;

import java.time.Instant;
import java.util.Objects;

/**
 * What is known of a token after it was issued: never its secret.
 *
 * @param id the token's identifier
 * @param principalId whose token it is
 * @param createdAt when it was issued
 * @param expiresAt when it stops working, or {@code null} for never
 * @param revoked whether it was revoked
 */
public record TokenInfo(String id, String principalId, Instant createdAt, Instant expiresAt, boolean revoked) {

  public TokenInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(principalId, "principalId");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
