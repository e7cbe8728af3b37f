package io.vxdata.http;

import io.vxdata.json.ErrorJson;
import io.vxdata.json.Json;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors as the docs/behaviour.md §10 JSON body. Jetty answers some requests before Javalin sees them (a
 * malformed or ambiguous URI, a request line or headers too large, a bad header): without this they
 * get Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

  JsonErrorHandler() {
    setShowStacks(false);
    setShowCauses(false);
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpIo.JSON);
    response.write(true, ByteBuffer.wrap(body(code, message)), callback);
  }

  /** Errors found while parsing, before there is a request to dispatch. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, HttpIo.JSON);
    return ByteBuffer.wrap(body(status, reason));
  }

  private static byte[] body(int status, String reason) {
    return Json.write(error(status, reason).toJson());
  }

  static ErrorJson error(int status, String reason) {
    String detail = reason == null || reason.isBlank() ? "" : ": " + reason;
    return switch (status) {
      case 404 -> new ErrorJson(404, ErrorJson.ROUTE_NOT_FOUND, "no such route; GET /openapi.json lists the routes",
          List.of());
      case 405 -> new ErrorJson(405, ErrorJson.METHOD_NOT_ALLOWED, "the route does not accept this method", List.of());
      case 413 -> new ErrorJson(413, ErrorJson.PAYLOAD_TOO_LARGE, "the request body is larger than the server accepts",
          List.of());
      case 414 -> new ErrorJson(414, ErrorJson.URI_TOO_LONG, "the request URI is longer than the server accepts",
          List.of());
      case 431 -> new ErrorJson(431, ErrorJson.HEADERS_TOO_LARGE,
          "the request headers are larger than the server accepts", List.of());
      default -> status >= 500
          ? new ErrorJson(status, ErrorJson.INTERNAL_ERROR, "internal server error", List.of())
          : new ErrorJson(status, ErrorJson.BAD_REQUEST, "bad request" + detail, List.of());
    };
  }
}
