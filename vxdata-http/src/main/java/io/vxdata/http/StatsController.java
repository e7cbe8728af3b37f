package io.vxdata.http;

import io.javalin.http.Context;
import io.vxdata.VxData;
import io.vxdata.json.StatsJson;
import java.time.Instant;
import java.util.Set;

/** {@code GET /datasources/stats} and {@code GET /datasources/detailed-stats} (§7). */
final class StatsController {

  private final VxData vx;

  StatsController(VxData vx) {
    this.vx = vx;
  }

  void stats(Context ctx) {
    HttpIo.queryParams(ctx, Set.of("as_of"));
    Instant at = readTime(ctx);
    var stats = vx.datasourceStats(at);
    HttpIo.readAt(ctx, at);
    HttpIo.json(ctx, StatsJson.statsToJson(stats));
  }

  void detailedStats(Context ctx) {
    HttpIo.queryParams(ctx, Set.of("as_of", "datasource_id"));
    Instant at = readTime(ctx);
    String datasource = ctx.queryParam("datasource_id");
    var details = vx.datasourceDetails(datasource == null || datasource.isEmpty() ? null : datasource, at);
    HttpIo.readAt(ctx, at);
    HttpIo.json(ctx, StatsJson.detailsToJson(details));
  }

  private Instant readTime(Context ctx) {
    return HttpIo.readTime(vx, HttpIo.asOfParam(ctx));
  }
}
