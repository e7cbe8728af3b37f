package io.vxdata.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.vxdata.VxData;
import io.vxdata.json.Json;

/** {@code GET /schemas}, {@code GET /openapi.json} and {@code GET /health}. */
final class SchemaController {

  private final VxData vx;
  private final boolean objectStorage;
  private final boolean exports;
  private final boolean metrics;

  SchemaController(VxData vx, boolean objectStorage, boolean exports, boolean metrics) {
    this.vx = vx;
    this.objectStorage = objectStorage;
    this.exports = exports;
    this.metrics = metrics;
  }

  void schemas(Context ctx) {
    ObjectNode answer = Json.mapper().createObjectNode();
    Authenticator.view(ctx).schemas().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> answer.set(e.getKey(), Json.parse(e.getValue())));
    HttpIo.json(ctx, answer);
  }

  void openApi(Context ctx) {
    HttpIo.json(ctx, OpenApi.document(vx.schemas(), objectStorage, exports, metrics));
  }

  void health(Context ctx) {
    HttpIo.json(ctx, Json.mapper().createObjectNode().put("status", "ok"));
  }
}
