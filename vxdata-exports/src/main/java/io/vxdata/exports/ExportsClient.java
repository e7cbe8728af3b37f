package io.vxdata.exports;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.ForbiddenException;
import io.vxdata.NotFoundException;
import io.vxdata.StoreException;
import io.vxdata.UnauthenticatedException;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Exports} over HTTP (docs/behaviour.md §14.5): {@code POST /exports} and {@code GET},
 * {@code DELETE /exports/{id}} of a VxData server, with a bearer token, or as the served handle of a
 * server without one ({@link #as} then sends {@code VxData-Act-As}). Errors come back as the
 * exceptions the server mapped them from; 429 as {@link ExportQueueFullException}.
 *
 * <pre>{@code
 * Exports exports = ExportsClient.connect(URI.create("https://vxdata.example.org"), token);
 * ExportStatus job = exports.submit(ExportRequest.of(ExportFormat.PARQUET, QueryRequest.of("study").build()));
 * }</pre>
 */
public final class ExportsClient implements Exports {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final URI base;
  private final String token;
  private final String actAs;

  private ExportsClient(URI base, String token, String actAs) {
    this.base = base;
    this.token = token;
    this.actAs = actAs;
  }

  /** A client of the server at {@code base}, sending {@code token} (or none, if {@code null}). */
  public static ExportsClient connect(URI base, String token) {
    String text = base.toString();
    return new ExportsClient(URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text), token,
        null);
  }

  @Override
  public ExportStatus submit(ExportRequest request) {
    return ExportJson.statusFromJson(send("POST", "/exports", Json.write(ExportJson.toJson(request))));
  }

  @Override
  public ExportStatus status(String id) {
    return ExportJson.statusFromJson(send("GET", "/exports/" + id, null));
  }

  @Override
  public Optional<ExportStatus> delete(String id) {
    JsonNode answer = send("DELETE", "/exports/" + id, null);
    return answer == null ? Optional.empty() : Optional.of(ExportJson.statusFromJson(answer));
  }

  @Override
  public ExportPage list(Integer limit, String cursor) {
    StringBuilder query = new StringBuilder();
    if (limit != null) {
      query.append("limit=").append(limit);
    }
    if (cursor != null) {
      query.append(query.isEmpty() ? "" : "&").append("cursor=").append(URLEncoder.encode(cursor,
          StandardCharsets.UTF_8));
    }
    return ExportJson.pageFromJson(send("GET", "/exports" + (query.isEmpty() ? "" : "?" + query), null));
  }

  @Override
  public Exports as(String principalId) {
    return new ExportsClient(base, token, principalId);
  }

  @Override
  public void close() {
    // Nothing held: each call is its own request on the shared client.
  }

  private JsonNode send(String method, String path, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(1))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Accept", "application/json");
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (actAs != null) {
      b.header("VxData-Act-As", actAs);
    }
    HttpResponse<byte[]> r;
    try {
      r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new StoreException("cannot reach " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while calling " + base, e);
    }
    int status = r.statusCode();
    if (status == 204) {
      return null;
    }
    if (status / 100 == 2) {
      return Json.parse(r.body());
    }
    JsonNode error = Json.parse(r.body()).path("error");
    String message = error.path("message").asText("HTTP " + status);
    switch (status) {
      case 400 -> {
        List<Violation> violations = new ArrayList<>();
        error.path("details").forEach(d -> violations.add(new Violation(d.path("identifier").isNull() ? null
            : d.path("identifier").asText(null), d.path("field").asText(null), d.path("message").asText())));
        throw violations.isEmpty() ? ValidationException.of(null, null, "%s", message)
            : new ValidationException(violations);
      }
      case 401 -> throw new UnauthenticatedException(message);
      case 403 -> throw new ForbiddenException("%s", message);
      case 404 -> throw NotFoundException.of(null, "%s", message);
      case 429 -> throw new ExportQueueFullException(message, Duration.ofSeconds(
          r.headers().firstValueAsLong("Retry-After").orElse(5)));
      default -> throw new StoreException("HTTP " + status + " from " + base + ": " + message);
    }
  }

  @Override
  public String toString() {
    return "ExportsClient[" + base + (actAs == null ? "" : " as " + actAs) + "]";
  }
}
