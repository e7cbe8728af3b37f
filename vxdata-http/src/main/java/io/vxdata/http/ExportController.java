package io.vxdata.http;

import io.javalin.http.Context;
import io.vxdata.VxData;
import io.vxdata.json.QueryJson;
import io.vxdata.parquet.ParquetExport;
import io.vxdata.query.QueryRequest;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** {@code POST /query/parquet}: the whole result of a query as one Parquet file, streamed (docs/behaviour.md §8). */
final class ExportController {

  static final String PARQUET = "application/octet-stream";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  /** The caller's view of the store (docs/behaviour.md §13): what every handler calls. */
  private static VxData vx(Context ctx) {
    return Authenticator.view(ctx);
  }

  void parquet(Context ctx) throws IOException {
    QueryRequest request = QueryJson.fromJson(HttpIo.body(ctx));
    // Checked before the first byte: an invalid request still gets a JSON error, not a broken file.
    ParquetExport.Export export = ParquetExport.prepare(vx(ctx), request);
    HttpIo.readAt(ctx, export.asOf());
    ctx.status(200).contentType(PARQUET).header("Content-Disposition",
        "attachment; filename=\"" + request.payloadType() + "-" + STAMP.format(export.asOf()) + ".parquet\"");
    export.writeTo(ctx.outputStream(), ParquetExport.Options.DEFAULT);
  }
}
