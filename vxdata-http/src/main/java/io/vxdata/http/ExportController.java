package io.vxdata.http;

import io.javalin.http.Context;
import io.vxdata.VxData;
import io.vxdata.json.QueryJson;
import io.vxdata.parquet.ParquetExport;
import io.vxdata.query.QueryRequest;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * {@code POST /query/parquet}: the whole result of a query as one Parquet file, streamed (docs/behaviour.md §8);
 * and its GET form, {@code GET /query/parquet?…} (docs/behaviour.md §15.4), which tools such as DuckDB read by URL.
 */
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
    write(ctx, request, ParquetExport.prepare(vx(ctx), request));
  }

  void parquetGet(Context ctx) throws IOException {
    QueryRequest request = QueryParams.read(ctx, QueryParams.OPTIONS, vx(ctx).payloadTypes());
    write(ctx, request, QueryParams.checked(() -> ParquetExport.prepare(vx(ctx), request)));
  }

  /**
   * {@code HEAD /query/parquet?…}: the request checked and the headers of the GET, without a length, which is
   * not known before the file is written. A reader that asks first (DuckDB does) then fetches the file whole
   * in one GET, rather than in ranges that would each run the query again.
   */
  void parquetHead(Context ctx) throws IOException {
    QueryRequest request = QueryParams.read(ctx, QueryParams.OPTIONS, vx(ctx).payloadTypes());
    headers(ctx, request, QueryParams.checked(() -> ParquetExport.prepare(vx(ctx), request)));
    // Committed now, before the end of the exchange would let the server state a length of 0: the
    // headers then go as the GET's do, chunked and without a length.
    ctx.res().flushBuffer();
  }

  private static void write(Context ctx, QueryRequest request, ParquetExport.Export export) throws IOException {
    headers(ctx, request, export);
    export.writeTo(ctx.outputStream(), ParquetExport.Options.DEFAULT);
  }

  private static void headers(Context ctx, QueryRequest request, ParquetExport.Export export) {
    HttpIo.readAt(ctx, export.asOf());
    ctx.status(200).contentType(PARQUET).header("Content-Disposition",
        "attachment; filename=\"" + request.payloadType() + "-" + STAMP.format(export.asOf()) + ".parquet\"");
  }
}
