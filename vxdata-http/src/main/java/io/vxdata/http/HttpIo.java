package io.vxdata.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.vxdata.AsOf;
import io.vxdata.ValidationException;
import io.vxdata.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Set;

/** Reading requests and writing answers: the few lines every handler shares. */
final class HttpIo {

  static final String JSON = "application/json";

  private HttpIo() {}

  /**
   * The request body as JSON. Javalin enforces the size limit while reading (413); a body that is not
   * well-formed JSON is a {@link io.vxdata.json.MalformedJsonException} (400).
   */
  static JsonNode body(Context ctx) {
    return Json.parse(ctx.bodyAsBytes());
  }

  /** Writes a JSON answer with status 200. */
  static void json(Context ctx, JsonNode answer) {
    ctx.status(200).contentType(JSON).result(Json.write(answer));
  }

  /** Writes JSON into the answer as it is made. */
  interface JsonWriter {
    void write(JsonGenerator g) throws IOException;
  }

  /**
   * Writes a JSON answer with status 200 straight to the response, as {@code writer} makes it, without
   * a tree or a byte array of the whole answer (large reads and pages). Headers are set before.
   */
  static void stream(Context ctx, JsonWriter writer) throws IOException {
    ctx.status(200).contentType(JSON);
    OutputStream out = ctx.outputStream();
    try (JsonGenerator g = Json.generator(out)) {
      writer.write(g);
    }
  }

  /** States the time a read was made at, in the {@code VxData-As-Of} header. */
  static void readAt(Context ctx, Instant at) {
    ctx.header(VxDataServer.AS_OF_HEADER, Json.formatInstant(at));
  }

  /**
   * Answers a write (docs/behaviour.md §12.4): {@code body}, which carries {@code committed_at}, and the same time in
   * the {@code VxData-As-Of} header, so that a client can read the state its write made.
   */
  static void written(Context ctx, Instant committedAt, JsonNode body) {
    ctx.header(VxDataServer.AS_OF_HEADER, Json.formatInstant(committedAt));
    json(ctx, body);
  }

  /**
   * Checks that the query string holds only {@code allowed} parameters, each at most once.
   *
   * @throws ValidationException naming the first unknown or repeated parameter
   */
  static void queryParams(Context ctx, Set<String> allowed) {
    queryParams(ctx, allowed, Set.of());
  }

  /**
   * Checks that the query string holds only {@code allowed} parameters, each at most once but those
   * in {@code repeatable}.
   *
   * @throws ValidationException naming the first unknown or wrongly repeated parameter
   */
  static void queryParams(Context ctx, Set<String> allowed, Set<String> repeatable) {
    ctx.queryParamMap().forEach((name, values) -> {
      if (!allowed.contains(name)) {
        throw ValidationException.of(null, name, "unknown query parameter '%s'; allowed: %s", name,
            allowed.stream().sorted().toList());
      }
      if (values.size() > 1 && !repeatable.contains(name)) {
        throw ValidationException.of(null, name, "query parameter '%s' is given %d times", name, values.size());
      }
    });
  }

  /** The query parameters that say when a read reads (docs/behaviour.md §4, §14.4). */
  static final Set<String> AS_OF_PARAMS = Set.of("as_of", Json.RELEASE);

  /** {@link #AS_OF_PARAMS} and {@code others}: what a read route accepts. */
  static Set<String> readParams(String... others) {
    Set<String> all = new java.util.HashSet<>(AS_OF_PARAMS);
    all.addAll(Set.of(others));
    return all;
  }

  /**
   * The {@code as_of} or {@code release} query parameter; the latest state if neither.
   *
   * @throws ValidationException naming {@code release} if both are given or the name is malformed
   */
  static AsOf asOfParam(Context ctx) {
    String text = ctx.queryParam("as_of");
    String release = ctx.queryParam(Json.RELEASE);
    if (release != null) {
      if (text != null) {
        throw ValidationException.of(null, Json.RELEASE, "give either as_of or release, not both");
      }
      return AsOf.release(release);
    }
    return text == null ? AsOf.latest() : AsOf.parse(text);
  }

  /** The {@code limit} query parameter, or null when absent (the default applies). */
  static Integer limitParam(Context ctx) {
    String text = ctx.queryParam("limit");
    if (text == null) {
      return null;
    }
    try {
      return Integer.valueOf(text.trim());
    } catch (NumberFormatException e) {
      throw ValidationException.of(null, "limit", "must be a whole number between 1 and %d, not '%s'",
          io.vxdata.query.QueryRequest.MAX_LIMIT, text);
    }
  }
}
