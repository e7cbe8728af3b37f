package io.vxdata.http;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The id of each request, {@value #HEADER}: the client's own when it sends a sane one (at most
 * {@value #MAX_LENGTH} characters of {@code A-Z a-z 0-9 . _ ~ : + = / @ -}), otherwise a new random UUID.
 * The response echoes it in the same header, the request log and every error body carry it, and while
 * the request runs it is in the SLF4J MDC as {@value #MDC_KEY}, so anything logged on its behalf can be
 * found by it.
 */
public final class RequestIds {

  /** The request and response header. */
  public static final String HEADER = "X-Request-Id";
  /** The key of the id in the SLF4J MDC while a request runs. */
  public static final String MDC_KEY = "request_id";
  /** The longest client id taken as it is. */
  public static final int MAX_LENGTH = 128;

  /** Characters that cannot break a log line, a header or a JSON string, nor be mistaken for a separator. */
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._~:+=/@-]{1," + MAX_LENGTH + "}");
  private static final String ATTRIBUTE = "vxdata-request-id";

  private RequestIds() {}

  /** Whether a client's id is taken as it is. */
  static boolean isSane(String id) {
    return id != null && SANE.matcher(id).matches();
  }

  /** The first thing every request runs: picks its id, echoes it, and puts it in the MDC. */
  static void assign(Context ctx) {
    String sent = ctx.header(HEADER);
    String id = isSane(sent) ? sent : UUID.randomUUID().toString();
    ctx.attribute(ATTRIBUTE, id);
    ctx.header(HEADER, id);
    MDC.put(MDC_KEY, id);
  }

  /** The id of the request, or {@code null} if it was answered before ids were assigned. */
  static String of(Context ctx) {
    return ctx.attribute(ATTRIBUTE);
  }

  /** Takes the id out of the MDC once the request is answered (the thread serves other requests next). */
  static void clear() {
    MDC.remove(MDC_KEY);
  }
}
