package io.vxdata.http;

import io.javalin.http.Context;
import io.vxdata.ChangesPage;
import io.vxdata.ChangesRequest;
import io.vxdata.ValidationException;
import io.vxdata.json.ChangesJson;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;

/** {@code GET /changes} (docs/behaviour.md §14.2): parse, call {@link io.vxdata.VxData#changes}, write. */
final class ChangesController {

  /**
   * The most requests that long-poll at once in one server. Each holds a request thread while it
   * waits; beyond this bound a request is answered at once, as without {@code wait}, so long-polls
   * cannot take every thread.
   */
  static final int MAX_WAITING = 32;

  private static final Set<String> PARAMETERS = Set.of("since", "limit", "payload_type", "datasource_id", "wait");

  private final Semaphore waiting = new Semaphore(MAX_WAITING);

  /** {@code GET /changes?since=&limit=&payload_type=&datasource_id=&wait=}; {@code payload_type} may repeat. */
  void changes(Context ctx) {
    HttpIo.queryParams(ctx, PARAMETERS, Set.of("payload_type"));
    Duration wait = waitParam(ctx.queryParam("wait"));
    List<String> types = ctx.queryParams("payload_type");
    ChangesRequest request = new ChangesRequest(ctx.queryParam("since"), HttpIo.limitParam(ctx), types,
        ctx.queryParam("datasource_id"), wait);
    boolean waits = wait != null && !wait.isZero();
    boolean admitted = waits && waiting.tryAcquire();
    ChangesPage page;
    try {
      page = Authenticator.view(ctx).changes(waits && !admitted ? request.withWait(null) : request);
    } finally {
      if (admitted) {
        waiting.release();
      }
    }
    HttpIo.readAt(ctx, page.asOf());
    // A page of the feed is not final (a done page grows with the next commit): never cached.
    ctx.header("Cache-Control", "no-store");
    HttpIo.json(ctx, ChangesJson.toJson(page));
  }

  /** The {@code wait} parameter: seconds, with up to three decimals, 0 to the maximum; null when absent. */
  static Duration waitParam(String text) {
    if (text == null) {
      return null;
    }
    try {
      BigDecimal seconds = new BigDecimal(text.trim());
      if (seconds.signum() >= 0 && seconds.scale() <= 3
          && seconds.compareTo(BigDecimal.valueOf(ChangesRequest.MAX_WAIT.toSeconds())) <= 0) {
        return Duration.ofMillis(seconds.movePointRight(3).longValueExact());
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // refused below
    }
    throw ValidationException.of(null, "wait", "must be a number of seconds from 0 to %d (at most three decimals), "
        + "not '%s'", ChangesRequest.MAX_WAIT.toSeconds(), text);
  }
}
