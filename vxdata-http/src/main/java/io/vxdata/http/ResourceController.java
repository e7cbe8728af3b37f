package io.vxdata.http;

import io.javalin.http.Context;
import io.vxdata.Answer;
import io.vxdata.HistoryPage;
import io.vxdata.HistoryRequest;
import io.vxdata.ValidationException;
import io.vxdata.json.HistoryJson;
import io.vxdata.query.QueryRequest;
import io.vxdata.NotFoundException;
import io.vxdata.ReadOptions;
import io.vxdata.Resource;
import io.vxdata.json.Json;
import io.vxdata.VxData;
import io.vxdata.WriteResult;
import io.vxdata.json.RequestJson;
import io.vxdata.json.ResourceJson;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/** {@code /resources/*}, {@code /resources/{identifier}/history} and {@code /parents/{identifier}}: parse, call {@link VxData}, write. */
final class ResourceController {

  /** The caller's view of the store (docs/behaviour.md §13): what every handler calls. */
  private static VxData vx(Context ctx) {
    return Authenticator.view(ctx);
  }

  void create(Context ctx) {
    WriteResult created = vx(ctx).create(RequestJson.createFromJson(HttpIo.body(ctx)));
    HttpIo.written(ctx, created.committedAt(), RequestJson.written("created", created));
  }

  void read(Context ctx) throws IOException {
    RequestJson.Read request = RequestJson.Read.fromJson(HttpIo.body(ctx));
    Answer<List<Resource>> found = vx(ctx).read(request.identifiers(), request.options());
    HttpIo.readAt(ctx, found.asOf());
    HttpIo.stream(ctx, g -> ResourceJson.write(g, found.value()));
  }

  /**
   * {@code GET /resources/{identifier}?as_of=|release=&exclude_children=&include_permissions=}
   * (docs/behaviour.md §15.4): the one resource, as {@code POST /resources/read} reads it; 404 where that
   * leaves it out.
   */
  void readOne(Context ctx) {
    HttpIo.queryParams(ctx, HttpIo.readParams("exclude_children", "include_permissions"));
    String identifier = ctx.pathParam("identifier");
    ReadOptions options = new ReadOptions(HttpIo.asOfParam(ctx), QueryParams.bool(ctx, "exclude_children"),
        QueryParams.bool(ctx, "include_permissions"));
    Answer<List<Resource>> found = vx(ctx).read(List.of(identifier), options);
    if (found.value().isEmpty()) {
      throw NotFoundException.of(identifier, "no active resource '%s' as of %s", identifier,
          Json.formatInstant(found.asOf()));
    }
    HttpIo.readAt(ctx, found.asOf());
    HttpIo.json(ctx, ResourceJson.toJson(found.value().get(0)));
  }

  void update(Context ctx) {
    WriteResult updated = vx(ctx).update(RequestJson.updateFromJson(HttpIo.body(ctx)));
    HttpIo.written(ctx, updated.committedAt(), RequestJson.written("updated", updated));
  }

  /** {@code POST /resources/update-where} (docs/behaviour.md §15.5). */
  void updateWhere(Context ctx) {
    WriteResult updated = vx(ctx).updateWhere(RequestJson.updateWhereFromJson(HttpIo.body(ctx)));
    HttpIo.written(ctx, updated.committedAt(), RequestJson.written("updated", updated));
  }

  /** {@code POST /resources/delete-where} (docs/behaviour.md §15.5). */
  void deleteWhere(Context ctx) {
    WriteResult deleted = vx(ctx).deleteWhere(RequestJson.deleteWhereFromJson(HttpIo.body(ctx)));
    HttpIo.written(ctx, deleted.committedAt(), RequestJson.written("deleted", deleted));
  }

  void delete(Context ctx) {
    RequestJson.Delete request = RequestJson.Delete.fromJson(HttpIo.body(ctx));
    WriteResult deleted = vx(ctx).delete(request.identifiers(), request.cascade());
    HttpIo.written(ctx, deleted.committedAt(), RequestJson.written("deleted", deleted));
  }

  void restore(Context ctx) {
    WriteResult restored = vx(ctx).restore(RequestJson.identifiersFromJson(HttpIo.body(ctx)));
    HttpIo.written(ctx, restored.committedAt(), RequestJson.written("restored", restored));
  }

  /** {@code GET /resources/{identifier}/history?as_of=&limit=&cursor=} (docs/behaviour.md §14.1). */
  void history(Context ctx) {
    HttpIo.queryParams(ctx, HttpIo.readParams("limit", "cursor"));
    HistoryRequest request = new HistoryRequest(HttpIo.asOfParam(ctx), HttpIo.limitParam(ctx), ctx.queryParam("cursor"));
    HistoryPage page = vx(ctx).history(ctx.pathParam("identifier"), request);
    HttpIo.readAt(ctx, page.asOf());
    HttpIo.json(ctx, HistoryJson.toJson(page));
  }

  void parents(Context ctx) {
    HttpIo.queryParams(ctx, HttpIo.readParams());
    Answer<List<String>> parents = vx(ctx).parents(ctx.pathParam("identifier"), HttpIo.asOfParam(ctx));
    HttpIo.readAt(ctx, parents.asOf());
    HttpIo.json(ctx, RequestJson.strings(parents.value()));
  }
}
