package io.vxdata.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.vxdata.AsOf;
import io.vxdata.ValidationException;
import io.vxdata.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;

/**
 * Validators and freshness for the GET routes whose answers can be cached (behaviour.md §11.1):
 * every such answer gets a weak {@code ETag} over its body, a request whose {@code If-None-Match}
 * names it is answered 304 without a body, and {@code Cache-Control} says how long the answer may be
 * reused.
 *
 * <ul>
 *   <li>{@link #revalidated}: {@code /schemas}, {@code /openapi.json} and the docs page's files. They
 *       change only when a payload type is registered or the server is upgraded, so a cache may keep
 *       them but asks again each time ({@code no-cache}); the ask is a 304 while nothing changed.
 *   <li>{@link #readAt}: the GET reads ({@code /parents/{identifier}}, {@code /datasources/stats},
 *       {@code /datasources/detailed-stats}). An answer read at an explicit {@code as_of} that is not
 *       after the last commit is final (docs/behaviour.md §4): its {@code VxData-As-Of} is the {@code as_of} asked for,
 *       and it is marked {@value #IMMUTABLE}, or {@value #PRIVATE_IMMUTABLE} when the request carried a
 *       token (what it shows depends on who asks). Any other answer (no {@code as_of}, or one after the
 *       last commit, which reads the last commit) changes with the next commit: {@code no-cache}.
 * </ul>
 *
 * <p>The POST reads ({@code /resources/read}, {@code /query}, {@code /query/count}) get no
 * validators: HTTP caches do not store POST answers, and a failed {@code If-None-Match} on a POST
 * would have to be a 412, not a 304. The ETags are weak ({@code W/"…"}) because Javalin may compress
 * an answer on the way out: the tag names the content, not its bytes on the wire.
 */
final class Caching {

  /** The {@code Cache-Control} of a final answer: a year, the longest RFC 9111 suggests. */
  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  /**
   * The same for an answer to a request with a token (docs/behaviour.md §13): what it shows depends on
   * the caller, so only the caller's own cache may keep it.
   */
  static final String PRIVATE_IMMUTABLE = "private, max-age=31536000, immutable";
  /** The {@code Cache-Control} of an answer that may change: stored, but checked before each use. */
  static final String REVALIDATE = "no-cache";

  private Caching() {}

  /** {@code handler} with an ETag, 304 on a matching {@code If-None-Match}, and {@code no-cache}. */
  static Handler revalidated(Handler handler) {
    return ctx -> {
      handler.handle(ctx);
      answer(ctx, REVALIDATE);
    };
  }

  /**
   * {@code handler}, a GET read stating its time in {@code VxData-As-Of}, with an ETag, 304 on a
   * matching {@code If-None-Match}, and {@value #IMMUTABLE} when the answer is final.
   */
  static Handler readAt(Handler handler) {
    return ctx -> {
      handler.handle(ctx);
      answer(ctx, !isFinal(ctx) ? REVALIDATE : ctx.header("Authorization") != null ? PRIVATE_IMMUTABLE : IMMUTABLE);
    };
  }

  /** A fixed body with its validator, for files that never change while the server runs. */
  record Fixed(byte[] body, String etag) {
    static Fixed of(byte[] body) {
      return new Fixed(body, Caching.etag(body));
    }

    /** Answers the body with {@code contentType}, or 304 when the client has it. */
    void answer(Context ctx, String contentType) {
      ctx.header("ETag", etag).header("Cache-Control", REVALIDATE);
      if (matches(ctx.header("If-None-Match"), etag)) {
        ctx.status(304).result(new byte[0]);
      } else {
        ctx.status(200).contentType(contentType).result(body);
      }
    }
  }

  private static void answer(Context ctx, String cacheControl) {
    if (ctx.statusCode() != 200) {
      return;
    }
    String etag = etag(body(ctx));
    ctx.header("ETag", etag).header("Cache-Control", cacheControl);
    if (matches(ctx.header("If-None-Match"), etag)) {
      ctx.status(304).result(new byte[0]);
    }
  }

  /** Whether the read asked for an explicit time and read at exactly that time (not the last commit). */
  private static boolean isFinal(Context ctx) {
    String asked = ctx.queryParam("as_of");
    String answered = ctx.res().getHeader(VxDataServer.AS_OF_HEADER);
    if (answered == null) {
      return false;
    }
    if (ctx.queryParam(Json.RELEASE) != null) {
      return true; // a release names a time at or before the commit that was last when it was made
    }
    if (asked == null) {
      return false;
    }
    Optional<Instant> askedAt;
    try {
      askedAt = AsOf.parse(asked).instant();
      return askedAt.isPresent() && askedAt.get().equals(Instant.parse(answered));
    } catch (ValidationException | DateTimeParseException e) {
      return false; // the handler has read it, so this does not happen; not final either way
    }
  }

  /** The answer's body, left in place for Javalin to send. */
  private static byte[] body(Context ctx) {
    InputStream in = ctx.resultInputStream();
    if (in == null) {
      return new byte[0];
    }
    try (in) {
      byte[] bytes = in.readAllBytes();
      ctx.result(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A weak entity tag over {@code body}: 128 bits of its SHA-256, base64url. */
  static String etag(byte[] body) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
      return "W/\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 16)) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether an {@code If-None-Match} header names {@code etag}, by the weak comparison RFC 9110
   * docs/behaviour.md §13.1.2 prescribes for it: {@code *}, or a list in which one tag has the same opaque part.
   */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
      return false;
    }
    if (ifNoneMatch.trim().equals("*")) {
      return true;
    }
    String opaque = opaque(etag);
    for (String candidate : ifNoneMatch.split(",")) {
      if (opaque(candidate.trim()).equals(opaque)) {
        return true;
      }
    }
    return false;
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }
}
