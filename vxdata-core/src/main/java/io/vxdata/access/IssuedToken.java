package io.vxdata.access;

import java.time.Instant;
import java.util.Objects;

/**
 * A token as issued (docs/behaviour.md §13.5): the only time its secret is shown. The store keeps only a hash of it.
 *
 * @param id the token's identifier, to list and revoke it by
 * @param principalId whose token it is
 * @param secret the bearer secret (at least 256 random bits, URL-safe text)
 * @param expiresAt when it stops working, or {@code null} for never
 */
public record IssuedToken(String id, String principalId, String secret, Instant expiresAt) {

  public IssuedToken {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(principalId, "principalId");
    Objects.requireNonNull(secret, "secret");
  }

  /** Leaves the secret out, so that logging a token never leaks it. */
  @Override
  public String toString() {
    return "IssuedToken[id=" + id + ", principalId=" + principalId + ", expiresAt=" + expiresAt + "]";
  }
}
