package io.vxdata.http;

import io.javalin.http.Context;
import io.vxdata.VxData;
import io.vxdata.json.QueryJson;
import io.vxdata.json.RequestJson;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import java.time.Instant;

/** {@code POST /query} and {@code POST /query/count}. */
final class QueryController {

  private final VxData vx;

  QueryController(VxData vx) {
    this.vx = vx;
  }

  void query(Context ctx) {
    QueryPage page = vx.query(QueryJson.fromJson(HttpIo.body(ctx)));
    HttpIo.readAt(ctx, page.asOf());
    HttpIo.json(ctx, QueryJson.toJson(page));
  }

  void count(Context ctx) {
    QueryRequest request = QueryJson.fromJson(HttpIo.body(ctx));
    Instant at = HttpIo.readTime(vx, request.asOf());
    long count = vx.count(request.toBuilder().asOf(at).build());
    HttpIo.readAt(ctx, at);
    HttpIo.json(ctx, RequestJson.count("count", count));
  }
}
