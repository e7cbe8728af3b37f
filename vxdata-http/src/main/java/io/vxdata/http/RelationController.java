package io.vxdata.http;

import static io.vxdata.http.Authenticator.view;

import io.javalin.http.Context;
import io.vxdata.WriteResult;
import io.vxdata.json.RelationJson;
import io.vxdata.json.RequestJson;
import io.vxdata.relation.RelationType;
import io.vxdata.relation.Relations;
import java.util.Set;

/**
 * The relation routes (docs/behaviour.md §15.1): {@code POST /relations} (admin) and
 * {@code GET /relations}; {@code POST /links/attach} and {@code POST /links/detach}. Each calls the
 * caller's {@link Relations}, which decides what the caller may do.
 */
final class RelationController {

  private static Relations relations(Context ctx) {
    return view(ctx).relations();
  }

  void register(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    RelationType type = RelationJson.fromJson(HttpIo.body(ctx));
    relations(ctx).register(type);
    HttpIo.json(ctx, RelationJson.toJson(relations(ctx).types().get(type.name())));
  }

  void list(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    HttpIo.json(ctx, RelationJson.typesToJson(relations(ctx).types()));
  }

  void attach(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    WriteResult attached = relations(ctx).attach(RelationJson.linksRequestFromJson(HttpIo.body(ctx)));
    HttpIo.written(ctx, attached.committedAt(), RequestJson.written("attached", attached));
  }

  void detach(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    WriteResult detached = relations(ctx).detach(RelationJson.linksRequestFromJson(HttpIo.body(ctx)));
    HttpIo.written(ctx, detached.committedAt(), RequestJson.written("detached", detached));
  }
}
