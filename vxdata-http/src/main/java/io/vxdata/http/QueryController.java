package io.vxdata.http;

import io.javalin.http.Context;
import io.vxdata.Answer;
import io.vxdata.VxData;
import io.vxdata.json.QueryJson;
import io.vxdata.json.RequestJson;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import java.io.IOException;

/** {@code POST /query} and {@code POST /query/count}, and their GET forms (docs/behaviour.md §15.4). */
final class QueryController {

  /** The caller's view of the store (docs/behaviour.md §13): what every handler calls. */
  private static VxData vx(Context ctx) {
    return Authenticator.view(ctx);
  }

  void query(Context ctx) throws IOException {
    QueryPage page = vx(ctx).query(QueryJson.pageRequestFromJson(HttpIo.body(ctx)));
    HttpIo.readAt(ctx, page.asOf());
    HttpIo.stream(ctx, g -> QueryJson.write(g, page));
  }

  void count(Context ctx) {
    Answer<Long> count = vx(ctx).count(QueryJson.fromJson(HttpIo.body(ctx)));
    HttpIo.readAt(ctx, count.asOf());
    HttpIo.json(ctx, RequestJson.count("count", count.value()));
  }

  /** {@code GET /query?…}: the page as a whole, for {@link Caching#readAt}'s validator (at most 1,000 rows). */
  void queryGet(Context ctx) {
    VxData vx = vx(ctx);
    QueryRequest request = QueryParams.read(ctx, QueryParams.PAGE_OPTIONS, vx.payloadTypes());
    QueryPage page = QueryParams.checked(() -> vx.query(request));
    HttpIo.readAt(ctx, page.asOf());
    HttpIo.json(ctx, QueryJson.toJson(page));
  }

  /** {@code GET /query/count?…}. */
  void countGet(Context ctx) {
    VxData vx = vx(ctx);
    QueryRequest request = QueryParams.read(ctx, QueryParams.OPTIONS, vx.payloadTypes());
    Answer<Long> count = QueryParams.checked(() -> vx.count(request));
    HttpIo.readAt(ctx, count.asOf());
    HttpIo.json(ctx, RequestJson.count("count", count.value()));
  }
}
