package io.vxdata.http;

import static io.vxdata.http.Authenticator.view;

import io.javalin.http.Context;
import io.vxdata.json.ReleaseJson;
import io.vxdata.release.Release;
import io.vxdata.release.Releases;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The release routes (docs/behaviour.md §14.4): {@code POST /releases}, {@code GET /releases} and
 * {@code GET /releases/{name}}. Each calls the caller's {@link Releases}, which decides what the
 * caller may do (creating needs an admin).
 */
final class ReleaseController {

  private static Releases releases(Context ctx) {
    return view(ctx).releases();
  }

  void create(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    ReleaseJson.Create body = ReleaseJson.Create.fromJson(HttpIo.body(ctx));
    Release release = releases(ctx).create(body.name(), body.at(), body.description());
    // Names hold only URL-safe characters; encoded all the same, so the header can never be split.
    ctx.header("Location", "/releases/" + URLEncoder.encode(release.name(), StandardCharsets.UTF_8));
    HttpIo.json(ctx, ReleaseJson.toJson(release));
    ctx.status(201);
  }

  void list(Context ctx) {
    HttpIo.queryParams(ctx, Set.of("limit", "cursor"));
    HttpIo.json(ctx, ReleaseJson.pageToJson(releases(ctx).list(HttpIo.limitParam(ctx), ctx.queryParam("cursor"))));
  }

  void get(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    HttpIo.json(ctx, ReleaseJson.toJson(releases(ctx).get(ctx.pathParam("name"))));
  }
}
