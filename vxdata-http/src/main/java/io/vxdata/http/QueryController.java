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

  private final VxData vx;

  QueryController(VxData vx) {
    this.vx = vx;
  }

  void query(Context ctx) throws IOException {
    QueryPage page = vx.query(QueryJson.fromJson(HttpIo.body(ctx)));
    HttpIo.readAt(ctx, page.asOf());
    HttpIo.stream(ctx, g -> QueryJson.write(g, page));
  }

  void count(Context ctx) {
    Answer<Long> count = vx.count(QueryJson.fromJson(HttpIo.body(ctx)));
    HttpIo.readAt(ctx, count.asOf());
    HttpIo.json(ctx, RequestJson.count("count", count.value()));
  }
}
