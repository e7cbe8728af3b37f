package io.vxdata.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * The error body of every failed HTTP request (docs/behaviour.md §10):
 * {@code {"error": {"status", "type", "message", "details": [{identifier, field, message}…]}}}.
 *
 * @param status the HTTP status
 * @param type a stable machine-readable kind, e.g. {@code validation_error}, {@code not_found}
 * @param message a human-readable summary
 * @param details the individual problems; may be empty
 */
public record ErrorJson(int status, String type, String message, List<Violation> details) {

  /** {@code 400}: the request is invalid or conflicts with the stored state. */
  public static final String VALIDATION_ERROR = "validation_error";
  /** {@code 404}: a resource or registration named by the request does not exist. */
  public static final String NOT_FOUND = "not_found";
  /** {@code 404}: no such route. */
  public static final String ROUTE_NOT_FOUND = "route_not_found";
  /** {@code 400}: the body is not well-formed JSON. */
  public static final String BAD_REQUEST = "bad_request";
  /** {@code 413}: the body is larger than the server accepts. */
  public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
  /** {@code 414}: the request line is longer than the server reads. */
  public static final String URI_TOO_LONG = "uri_too_long";
  /** {@code 431}: the request headers are larger than the server reads. */
  public static final String HEADERS_TOO_LARGE = "headers_too_large";
  /** {@code 405}: the route exists, but not for this method. */
  public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
  /** {@code 401}: no valid bearer token (docs/behaviour.md §13.5); the answer carries {@code WWW-Authenticate: Bearer}. */
  public static final String UNAUTHENTICATED = "unauthenticated";
  /** {@code 403}: the caller may see what it named but may not do what it asked (docs/behaviour.md §13.4). */
  public static final String FORBIDDEN = "forbidden";
  /** {@code 500}: the server failed; the message is generic. */
  public static final String INTERNAL_ERROR = "internal_error";

  public ErrorJson {
    details = details == null ? List.of() : List.copyOf(details);
  }

  /** The JSON body. */
  public ObjectNode toJson() {
    ObjectNode root = Json.nodes().objectNode();
    ObjectNode error = root.putObject("error");
    error.put("status", status);
    error.put("type", type);
    error.put("message", message);
    ArrayNode array = error.putArray("details");
    for (Violation v : details) {
      ObjectNode d = array.addObject();
      Json.putNullable(d, "identifier", v.identifier());
      Json.putNullable(d, "field", v.field());
      d.put("message", v.message());
    }
    return root;
  }

  /**
   * Reads an error body; lenient, since it may come from a proxy rather than a VxData server.
   *
   * @param status the HTTP status, used when the body does not state one
   * @param body the parsed body, or {@code null} if it was not JSON
   * @param fallbackMessage the message when the body has none (e.g. the raw body text)
   */
  public static ErrorJson fromJson(int status, JsonNode body, String fallbackMessage) {
    JsonNode error = body == null ? null : body.get("error");
    if (error == null || !error.isObject()) {
      return new ErrorJson(status, null, fallbackMessage, List.of());
    }
    List<Violation> details = new ArrayList<>();
    for (JsonNode d : error.path("details")) {
      String message = d.path("message").asText(null);
      if (message != null) {
        details.add(new Violation(text(d.get("identifier")), text(d.get("field")), message));
      }
    }
    return new ErrorJson(error.path("status").asInt(status), text(error.get("type")),
        error.hasNonNull("message") ? error.get("message").asText() : fallbackMessage, details);
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
