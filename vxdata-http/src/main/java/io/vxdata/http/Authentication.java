package io.vxdata.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link VxDataServer} finds out who makes each request (docs/behaviour.md §13.5, §13.7).
 *
 * <ul>
 *   <li>{@link #required()} (the default): every route but {@code /health}, {@code /openapi.json},
 *       {@code /docs} (and {@code /}) and {@code /metrics} needs {@code Authorization: Bearer <token>};
 *       the request then runs through {@code vx.as(principal, requestId)}. No token, or a malformed,
 *       unknown, revoked or expired one, or one of a disabled principal: 401.
 *   <li>{@link #off(String)}: a request without a token acts as {@code anonymous} (or, when that is
 *       {@code null}, as the handle the server was given: for a store opened with
 *       {@code VxDataStore.open}, the system handle); a request that does send a token is
 *       authenticated exactly as above. For single-user work on one machine, and for tests.
 * </ul>
 *
 * <p>Tokens are resolved with {@code access().authenticate(secret)} and the answer kept for
 * {@code cacheTtl} (at most {@link #MAX_CACHE_TTL}) in a bounded per-process cache: a token revoked or
 * a principal disabled by another process is refused within that time; through this server, at once
 * (its own access changes empty the cache). {@link Duration#ZERO} turns the cache off.
 *
 * @param tokenRequired whether a request needs a token
 * @param anonymous with {@code tokenRequired} false, the principal of requests without a token ({@code null}:
 *     the served handle itself)
 * @param cacheTtl how long a resolved token is trusted without asking the store again
 */
public record Authentication(boolean tokenRequired, String anonymous, Duration cacheTtl) {

  /** The default and the longest time a resolved token is trusted: one second. */
  public static final Duration MAX_CACHE_TTL = Duration.ofSeconds(1);

  public Authentication {
    Objects.requireNonNull(cacheTtl, "cacheTtl");
    if (cacheTtl.isNegative() || cacheTtl.compareTo(MAX_CACHE_TTL) > 0) {
      throw new IllegalArgumentException("cacheTtl must be 0 to 1 s, not " + cacheTtl);
    }
    if (tokenRequired && anonymous != null) {
      throw new IllegalArgumentException("anonymous requests have no principal while a token is required");
    }
  }

  /** Every request but the open routes needs a valid bearer token. */
  public static Authentication required() {
    return new Authentication(true, null, MAX_CACHE_TTL);
  }

  /**
   * Requests without a token act as {@code anonymous} ({@code null}: as the served handle); requests
   * with one as its principal.
   */
  public static Authentication off(String anonymous) {
    return new Authentication(false, anonymous, MAX_CACHE_TTL);
  }

  /** This setting with another cache time (0 to 1 s). */
  public Authentication withCacheTtl(Duration ttl) {
    return new Authentication(tokenRequired, anonymous, ttl);
  }
}
