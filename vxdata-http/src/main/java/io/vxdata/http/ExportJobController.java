package io.vxdata.http;

import io.javalin.http.Context;
import io.vxdata.NotFoundException;
import io.vxdata.access.Principal;
import io.vxdata.exports.ExportJson;
import io.vxdata.exports.ExportStatus;
import io.vxdata.exports.Exports;
import io.vxdata.json.Json;
import java.util.Optional;
import java.util.Set;

/**
 * The export job routes (docs/behaviour.md §14.5): {@code POST} and {@code GET /exports}, and {@code GET}, {@code HEAD}
 * and {@code DELETE /exports/{id}}. Each request acts through the caller's view of the service, which
 * runs the caller's jobs through its view of the store and shows it only its own jobs (an admin's, all).
 */
final class ExportJobController {

  /** The header of {@code HEAD /exports/{id}} naming the job's status. */
  static final String STATUS_HEADER = "VxData-Export-Status";

  private final Exports exports;

  ExportJobController(Exports exports) {
    this.exports = exports;
  }

  /** The caller's view of the service: the service itself for the served handle. */
  private Exports exports(Context ctx) {
    String principal = Authenticator.principalOf(ctx);
    return principal == null || principal.equals(Principal.SYSTEM) ? exports : exports.as(principal);
  }

  void submit(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    ExportStatus job = exports(ctx).submit(ExportJson.requestFromJson(HttpIo.body(ctx)));
    ctx.header("Location", "/exports/" + job.id());
    ctx.header("Cache-Control", "no-store");
    ctx.status(202).contentType(HttpIo.JSON).result(Json.write(ExportJson.toJson(job)));
  }

  void list(Context ctx) {
    HttpIo.queryParams(ctx, Set.of("limit", "cursor"));
    ctx.header("Cache-Control", "no-store");
    HttpIo.json(ctx, ExportJson.toJson(exports(ctx).list(HttpIo.limitParam(ctx), ctx.queryParam("cursor"))));
  }

  void status(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    ExportStatus job = exports(ctx).status(ctx.pathParam("id"));
    // The answer holds presigned URLs, fresh at each call: not to be kept by caches.
    ctx.header("Cache-Control", "no-store");
    HttpIo.json(ctx, ExportJson.toJson(job));
  }

  /** 200 once the job has ended (finished, failed, cancelled), 202 while it is queued or running, 404 unknown. */
  void head(Context ctx) {
    ExportStatus job;
    try {
      job = exports(ctx).status(ctx.pathParam("id"));
    } catch (NotFoundException e) {
      ctx.status(404);
      return;
    }
    ctx.header(STATUS_HEADER, job.state().wireName());
    ctx.header("Cache-Control", "no-store");
    ctx.status(job.state().ended() ? 200 : 202);
  }

  void delete(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    Optional<ExportStatus> cancelled = exports(ctx).delete(ctx.pathParam("id"));
    if (cancelled.isPresent()) {
      ctx.status(202).contentType(HttpIo.JSON).result(Json.write(ExportJson.toJson(cancelled.get())));
    } else {
      ctx.status(204);
    }
  }
}
