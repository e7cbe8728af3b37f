package io.vxdata.http;

import io.javalin.http.Context;
import io.vxdata.Answer;
import io.vxdata.Resource;
import io.vxdata.VxData;
import io.vxdata.WriteResult;
import io.vxdata.json.RequestJson;
import io.vxdata.json.ResourceJson;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/** {@code /resources/*} and {@code /parents/{identifier}}: parse, call {@link VxData}, write. */
final class ResourceController {

  private final VxData vx;

  ResourceController(VxData vx) {
    this.vx = vx;
  }

  void create(Context ctx) {
    WriteResult created = vx.create(RequestJson.createFromJson(HttpIo.body(ctx)));
    HttpIo.written(ctx, created.committedAt(), RequestJson.written("created", created));
  }

  void read(Context ctx) throws IOException {
    RequestJson.Read request = RequestJson.Read.fromJson(HttpIo.body(ctx));
    Answer<List<Resource>> found = vx.read(request.identifiers(), request.options());
    HttpIo.readAt(ctx, found.asOf());
    HttpIo.stream(ctx, g -> ResourceJson.write(g, found.value()));
  }

  void update(Context ctx) {
    WriteResult updated = vx.update(RequestJson.updateFromJson(HttpIo.body(ctx)));
    HttpIo.written(ctx, updated.committedAt(), RequestJson.written("updated", updated));
  }

  void delete(Context ctx) {
    RequestJson.Delete request = RequestJson.Delete.fromJson(HttpIo.body(ctx));
    WriteResult deleted = vx.delete(request.identifiers(), request.cascade());
    HttpIo.written(ctx, deleted.committedAt(), RequestJson.written("deleted", deleted));
  }

  void restore(Context ctx) {
    WriteResult restored = vx.restore(RequestJson.identifiersFromJson(HttpIo.body(ctx)));
    HttpIo.written(ctx, restored.committedAt(), RequestJson.written("restored", restored));
  }

  void parents(Context ctx) {
    HttpIo.queryParams(ctx, Set.of("as_of"));
    Answer<List<String>> parents = vx.parents(ctx.pathParam("identifier"), HttpIo.asOfParam(ctx));
    HttpIo.readAt(ctx, parents.asOf());
    HttpIo.json(ctx, RequestJson.strings(parents.value()));
  }
}
