package io.vxdata.http;

import io.javalin.http.Context;
import io.vxdata.ForbiddenException;
import io.vxdata.UnauthenticatedException;
import io.vxdata.VxData;
import io.vxdata.access.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Resolves each request's caller (docs/behaviour.md §13.5) and gives its handlers the view
 * {@code vx.as(principal, requestId)} to call through ({@link #view(Context)}).
 *
 * <p>Bearer secrets are resolved with the served handle's {@code access().authenticate} and the
 * principal id kept, keyed by the secret's SHA-256 (the secret itself is not kept), for
 * {@link Authentication#cacheTtl()}. The cache holds at most {@value #MAX_ENTRIES} tokens and is emptied
 * when full; unknown tokens are not cached, so a token issued by another process works at once.
 * Nothing here logs or answers a secret.
 */
final class Authenticator {

  /** The routes every caller may use without a token (docs/behaviour.md §13.5). */
  static final Set<String> OPEN = Set.of("/", "/health", "/openapi.json", Operations.METRICS_PATH);
  /** Bounds the cache: at most this many tokens, then it starts again empty. */
  static final int MAX_ENTRIES = 10_000;
  /** The challenge of a 401 (RFC 6750). */
  static final String CHALLENGE = "Bearer realm=\"vxdata\"";

  /**
   * The header with which the served handle itself (authentication off, no anonymous principal, no
   * token) acts for a principal, as {@code vx.as} does in process; anyone else sending it gets 403.
   */
  static final String ACT_AS = "VxData-Act-As";
  private static final String VIEW = "vxdata-view";
  private static final String PRINCIPAL = "vxdata-principal";
  /** {@code Bearer} then a token68 (RFC 7235), nothing else. */
  private static final Pattern BEARER = Pattern.compile("[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9._~+/-]+=*) *");

  private record Entry(String principalId, long until) {}

  private final VxData vx;
  private final Authentication settings;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

  Authenticator(VxData vx, Authentication settings) {
    this(vx, settings, System::nanoTime);
  }

  /** With the clock {@code nanoTime} that the cache's entries run out by ({@link System#nanoTime()} when served). */
  Authenticator(VxData vx, Authentication settings, LongSupplier nanoTime) {
    this.vx = vx;
    this.settings = settings;
    this.ttlNanos = settings.cacheTtl().toNanos();
    this.nanoTime = nanoTime;
  }

  static boolean isOpen(String path) {
    return OPEN.contains(path) || path.equals(DocsPage.PATH) || path.startsWith(DocsPage.PATH + "/");
  }

  /** The before-handler: resolves the caller of every request to a route that is not open. */
  void before(Context ctx) {
    if (isOpen(ctx.path())) {
      return;
    }
    String header = ctx.header("Authorization");
    String requestId = RequestIds.of(ctx);
    String actAs = ctx.header(ACT_AS);
    if (header == null && !settings.tokenRequired()) {
      String anonymous = settings.anonymous();
      if (anonymous == null && actAs != null) {
        // The served handle acting for a principal: what vx.as does in process (docs/behaviour.md §13.1).
        ctx.attribute(PRINCIPAL, actAs);
        ctx.attribute(VIEW, vx.as(actAs, requestId));
        return;
      }
      refuseActAs(actAs, anonymous);
      ctx.attribute(PRINCIPAL, anonymous == null ? Principal.SYSTEM : anonymous);
      ctx.attribute(VIEW, anonymous == null ? vx : vx.as(anonymous, requestId));
      return;
    }
    String principal = principal(header);
    refuseActAs(actAs, principal);
    ctx.attribute(PRINCIPAL, principal);
    ctx.attribute(VIEW, vx.as(principal, requestId));
  }

  /**
   * The principal a request's {@code Authorization} header names.
   *
   * @throws UnauthenticatedException if it names none (the message never holds the token)
   */
  String principal(String header) {
    if (header == null) {
      throw new UnauthenticatedException("this route needs a token: send 'Authorization: Bearer <token>'");
    }
    var m = BEARER.matcher(header);
    if (!m.matches()) {
      throw new UnauthenticatedException("malformed Authorization header: expected 'Bearer <token>'");
    }
    String secret = m.group(1);
    String key = ttlNanos == 0 ? null : key(secret);
    if (key != null) {
      Entry hit = cache.get(key);
      if (hit != null && hit.until() - nanoTime.getAsLong() > 0) {
        return hit.principalId();
      }
    }
    Optional<Principal> found = vx.access().authenticate(secret);
    if (found.isEmpty()) {
      if (key != null) {
        cache.remove(key);
      }
      throw new UnauthenticatedException("the token is unknown, revoked or expired, or its principal is disabled");
    }
    if (key != null) {
      if (cache.size() >= MAX_ENTRIES) {
        cache.clear();
      }
      cache.put(key, new Entry(found.get().id(), nanoTime.getAsLong() + ttlNanos));
    }
    return found.get().id();
  }

  private static void refuseActAs(String actAs, String principal) {
    if (actAs != null) {
      throw new ForbiddenException("only the system handle acts for other principals; this is principal '%s'",
          principal);
    }
  }

  /** Forgets every resolved token: after a change of principals or tokens made through this server. */
  void invalidate() {
    cache.clear();
  }

  /** The view a request's handlers call through: set by {@link #before(Context)}. */
  static VxData view(Context ctx) {
    VxData view = ctx.attribute(VIEW);
    if (view == null) {
      throw new IllegalStateException("no caller resolved for " + ctx.path());
    }
    return view;
  }

  /** The principal of a request, or {@code null} before (or without) authentication. */
  static String principalOf(Context ctx) {
    return ctx.attribute(PRINCIPAL);
  }

  private static String key(String secret) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
      return java.util.HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "Authenticator[" + (settings.tokenRequired() ? "required" : "off") + ", " + cache.size() + " cached]";
  }
}
