package io.vxdata.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.vxdata.VxData;
import io.vxdata.json.Json;

/**
 * {@code GET /schemas}, {@code PUT /schemas/{name}}, {@code GET /openapi.json} and {@code GET /health}. The
 * OpenAPI document is made from the store's types at each request, so a type registered over HTTP (or
 * by another process) is in it, and in its {@code ETag}, at once.
 */
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

  /**
   * Registers or evolves the payload type {@code name} from the JSON Schema document of the body, with the
   * rules of {@link VxData#registerType}; answers the type's schema as {@code GET /schemas} gives it. Admins
   * only: a non-admin gets 403 before its body is looked at.
   */
  void putSchema(Context ctx) {
    VxData view = Authenticator.view(ctx);
    io.vxdata.access.Principal caller = view.access().whoami();
    if (!caller.admin()) {
      throw new io.vxdata.ForbiddenException("registering a payload type needs an admin; principal '%s' is not one",
          caller.id());
    }
    String name = ctx.pathParam("name");
    if (!io.vxdata.schema.PayloadType.isValidName(name)) {
      throw io.vxdata.ValidationException.of(null, "name", "'%s' is not a payload type name: [a-z][a-z0-9_]*, at most"
          + " 50 characters", name);
    }
    // Parsed as JSON first, so that a body that is not JSON is the same 400 as on every other route.
    String schema = new String(Json.write(HttpIo.body(ctx)), java.nio.charset.StandardCharsets.UTF_8);
    view.registerType(io.vxdata.schema.PayloadType.fromJsonSchema(name, schema));
    ObjectNode answer = Json.mapper().createObjectNode();
    answer.set(name, Json.parse(view.schemas().get(name)));
    HttpIo.json(ctx, answer);
  }

  void openApi(Context ctx) {
    HttpIo.json(ctx, OpenApi.document(vx.schemas(), objectStorage, exports, metrics));
  }

  void health(Context ctx) {
    HttpIo.json(ctx, Json.mapper().createObjectNode().put("status", "ok"));
  }
}
