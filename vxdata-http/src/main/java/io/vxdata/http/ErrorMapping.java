package io.vxdata.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.vxdata.ForbiddenException;
import io.vxdata.NotFoundException;
import io.vxdata.UnauthenticatedException;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.json.ErrorJson;
import io.vxdata.json.Json;
import io.vxdata.json.MalformedJsonException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one exception → status table of the HTTP adapter (docs/behaviour.md §10). The client holds the reverse table.
 *
 * <table>
 *   <caption>exceptions and statuses</caption>
 *   <tr><th>exception</th><th>status</th><th>type</th></tr>
 *   <tr><td>{@link ValidationException}</td><td>400</td><td>{@code validation_error}</td></tr>
 *   <tr><td>{@link MalformedJsonException}</td><td>400</td><td>{@code bad_request}</td></tr>
 *   <tr><td>{@link UnauthenticatedException}</td><td>401, with {@code WWW-Authenticate: Bearer}</td><td>{@code unauthenticated}</td></tr>
 *   <tr><td>{@link ForbiddenException}</td><td>403</td><td>{@code forbidden}</td></tr>
 *   <tr><td>{@link NotFoundException}</td><td>404</td><td>{@code not_found}</td></tr>
 *   <tr><td>unknown route</td><td>404</td><td>{@code route_not_found}</td></tr>
 *   <tr><td>wrong method on a route</td><td>405</td><td>{@code method_not_allowed}</td></tr>
 *   <tr><td>body over the limit</td><td>413</td><td>{@code payload_too_large}</td></tr>
 *   <tr><td>{@link io.vxdata.exports.ExportQueueFullException}</td><td>429, with {@code Retry-After}</td><td>{@code too_many_requests}</td></tr>
 *   <tr><td>anything else</td><td>500</td><td>{@code internal_error}, generic message, logged with the
 *   stack trace and the request id</td></tr>
 * </table>
 *
 * <p>Every error body written here also carries {@code error.request_id}, the {@code X-Request-Id} of the
 * request, so a user can quote it and an operator find the request's log lines.
 */
final class ErrorMapping {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

  /** The type of a 429: the export queue is full. */
  static final String TOO_MANY_REQUESTS = "too_many_requests";

  private ErrorMapping() {}

  static void validation(ValidationException e, Context ctx) {
    write(ctx, new ErrorJson(400, ErrorJson.VALIDATION_ERROR, e.getMessage(), e.violations()));
  }

  static void notFound(NotFoundException e, Context ctx) {
    write(ctx, new ErrorJson(404, ErrorJson.NOT_FOUND, e.getMessage(), e.violations()));
  }

  static void unauthenticated(UnauthenticatedException e, Context ctx) {
    ctx.header("WWW-Authenticate", ctx.header("Authorization") == null ? Authenticator.CHALLENGE
        : Authenticator.CHALLENGE + ", error=\"invalid_token\"");
    write(ctx, new ErrorJson(401, ErrorJson.UNAUTHENTICATED, e.getMessage(), List.of()));
  }

  static void forbidden(ForbiddenException e, Context ctx) {
    write(ctx, new ErrorJson(403, ErrorJson.FORBIDDEN, e.getMessage(), e.violations()));
  }

  /** A full export queue: 429 with {@code Retry-After} in whole seconds (docs/behaviour.md §14.5). */
  static void queueFull(io.vxdata.exports.ExportQueueFullException e, Context ctx) {
    ctx.header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
    write(ctx, new ErrorJson(429, TOO_MANY_REQUESTS, e.getMessage(), List.of()));
  }

  static void malformedJson(MalformedJsonException e, Context ctx) {
    write(ctx, new ErrorJson(400, ErrorJson.BAD_REQUEST, e.getMessage(), List.of()));
  }

  /** Javalin's own answers: unknown route, wrong method, body too large. */
  static void http(HttpResponseException e, Context ctx) {
    int status = e.getStatus();
    ErrorJson error = switch (status) {
      case 404 -> new ErrorJson(404, ErrorJson.ROUTE_NOT_FOUND,
          "no route " + ctx.method() + " " + ctx.path() + "; GET /openapi.json lists the routes", List.of());
      case 405 -> new ErrorJson(405, ErrorJson.METHOD_NOT_ALLOWED,
          "route " + ctx.path() + " does not accept " + ctx.method(), List.of());
      case 413 -> new ErrorJson(413, ErrorJson.PAYLOAD_TOO_LARGE,
          "the request body is larger than the server accepts (" + VxDataServer.maxBody(ctx) + " bytes)", List.of());
      default -> status >= 500
          ? new ErrorJson(status, ErrorJson.INTERNAL_ERROR, "internal server error", List.of())
          : new ErrorJson(status, ErrorJson.BAD_REQUEST, e.getMessage(), List.of());
    };
    write(ctx, error);
  }

  static void unexpected(Exception e, Context ctx) {
    LOG.error("{} {} failed (request_id={})", ctx.method(), ctx.path(), RequestIds.of(ctx), e);
    write(ctx, new ErrorJson(500, ErrorJson.INTERNAL_ERROR,
        "internal server error; the server log has the details", List.<Violation>of()));
  }

  /** Writes the error body, with the request's id as {@code error.request_id} (see {@link RequestIds}). */
  private static void write(Context ctx, ErrorJson error) {
    ObjectNode body = error.toJson();
    String requestId = RequestIds.of(ctx);
    if (requestId != null) {
      ((ObjectNode) body.get("error")).put("request_id", requestId);
    }
    ctx.status(error.status()).contentType(HttpIo.JSON).result(Json.write(body));
  }
}
