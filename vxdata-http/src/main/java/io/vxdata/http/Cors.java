package io.vxdata.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin requests from browsers (the Fetch standard's CORS protocol), for the origins of {@link
 * ServerOptions#corsOrigins()}. Without origins (the default) the server sends no CORS headers at all.
 *
 * <ul>
 *   <li>A preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) from
 *       an allowed origin is answered 204 with {@code Access-Control-Allow-Origin} (that origin), {@code
 *       -Allow-Methods} ({@value #ALLOW_METHODS}), {@code -Allow-Headers} ({@value #ALLOW_HEADERS}) and
 *       {@code -Max-Age} ({@value #MAX_AGE_SECONDS} s); no route runs.
 *   <li>Any other request from an allowed origin is served as usual and its answer, errors included,
 *       carries {@code Access-Control-Allow-Origin} and {@code Access-Control-Expose-Headers} ({@value
 *       #EXPOSE_HEADERS}), so a page can read the as-of time, the request id and a {@code Location}.
 *   <li>A request from any other origin gets no CORS header: the browser keeps the answer from the page
 *       (a preflight falls through to the routes, which answer {@code OPTIONS} with 405).
 *   <li>Every answer carries {@code Vary: Origin}, since the headers depend on it.
 * </ul>
 *
 * No credentials mode: cookies are not used by the API, so {@code Access-Control-Allow-Credentials} is
 * never sent.
 */
final class Cors {

  /** The origin list that allows every origin. */
  static final String ANY = "*";
  static final String ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";
  static final String ALLOW_HEADERS = "Authorization, Content-Type, X-Request-Id, If-None-Match";
  static final String EXPOSE_HEADERS = VxDataServer.AS_OF_HEADER + ", " + RequestIds.HEADER + ", Location";
  static final int MAX_AGE_SECONDS = 600;

  private final Set<String> origins;
  private final boolean any;

  Cors(List<String> origins) {
    this.origins = Set.copyOf(origins);
    this.any = origins.contains(ANY);
  }

  /**
   * Runs before the routes (after the request id is assigned).
   *
   * @return whether it answered the request (a preflight), so that nothing else runs for it
   */
  boolean before(Context ctx) {
    ctx.header("Vary", "Origin");
    String origin = ctx.header("Origin");
    if (origin == null || !allows(origin)) {
      return false;
    }
    ctx.header("Access-Control-Allow-Origin", origin);
    if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
      ctx.header("Access-Control-Allow-Methods", ALLOW_METHODS);
      ctx.header("Access-Control-Allow-Headers", ALLOW_HEADERS);
      ctx.header("Access-Control-Max-Age", Integer.toString(MAX_AGE_SECONDS));
      ctx.status(204);
      ctx.skipRemainingHandlers();
      return true;
    }
    ctx.header("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    return false;
  }

  private boolean allows(String origin) {
    if (any) {
      return !origin.equals("null");
    }
    try {
      return origins.contains(normalize(origin));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The configured origins in the form browsers send them: lower-case scheme and host, no default port.
   *
   * @throws IllegalArgumentException for an entry that is not {@code *} nor {@code scheme://host[:port]}
   */
  static List<String> normalizeOrigins(List<String> origins) {
    Set<String> normalized = new LinkedHashSet<>();
    for (String origin : origins) {
      if (origin == null || origin.isBlank()) {
        throw new IllegalArgumentException("a CORS origin must not be empty");
      }
      normalized.add(origin.trim().equals(ANY) ? ANY : normalize(origin.trim()));
    }
    return List.copyOf(new ArrayList<>(normalized));
  }

  private static String normalize(String origin) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (java.net.URISyntaxException e) {
      throw notAnOrigin(origin);
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
        && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
    if (scheme == null || uri.getHost() == null || !bare) {
      throw notAnOrigin(origin);
    }
    int port = uri.getPort();
    boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }

  private static IllegalArgumentException notAnOrigin(String origin) {
    return new IllegalArgumentException("CORS origin '" + origin
        + "' is not an origin: give scheme://host[:port] (no path), e.g. https://app.example.org, or *");
  }
}
