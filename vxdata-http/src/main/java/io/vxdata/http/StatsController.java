package io.vxdata.http;

import io.javalin.http.Context;
import io.vxdata.VxData;
import io.vxdata.json.StatsJson;
import java.util.Set;

/** {@code GET /datasources/stats} and {@code GET /datasources/detailed-stats} (docs/behaviour.md §7). */
final class StatsController {

  /** The caller's view of the store (docs/behaviour.md §13): what every handler calls. */
  private static VxData vx(Context ctx) {
    return Authenticator.view(ctx);
  }

  void stats(Context ctx) {
    HttpIo.queryParams(ctx, HttpIo.readParams());
    var stats = vx(ctx).datasourceStats(HttpIo.asOfParam(ctx));
    HttpIo.readAt(ctx, stats.asOf());
    HttpIo.json(ctx, StatsJson.statsToJson(stats.value()));
  }

  void detailedStats(Context ctx) {
    HttpIo.queryParams(ctx, HttpIo.readParams("datasource_id"));
    String datasource = ctx.queryParam("datasource_id");
    var details = vx(ctx).datasourceDetails(datasource == null || datasource.isEmpty() ? null : datasource,
        HttpIo.asOfParam(ctx));
    HttpIo.readAt(ctx, details.asOf());
    HttpIo.json(ctx, StatsJson.detailsToJson(details.value()));
  }
}
