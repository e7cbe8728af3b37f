package io.vxdata.http;

import io.javalin.http.Context;
import io.vxdata.Answer;
import io.vxdata.VxData;
import io.vxdata.json.QueryJson;
import io.vxdata.json.RequestJson;
import io.vxdata.query.QueryPage;
import java.io.IOException;

/** {@code POST /query} and {@code POST /query/count}. */
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
}
