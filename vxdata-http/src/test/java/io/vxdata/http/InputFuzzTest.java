package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.NewResource;
import io.vxdata.VxData;
import io.vxdata.exports.ExportOptions;
import io.vxdata.exports.Exports;
import io.vxdata.jdbc.TestH2;
import io.vxdata.jdbc.TestPostgres;
import io.vxdata.json.Json;
import io.vxdata.s3.EmbeddedS3;
import io.vxdata.s3.ObjectStorage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: whatever a client sends, the server answers below 500, and every answer that is not
 * 2xx is the JSON error body of docs/behaviour.md §10. Requests are generated from the server's own OpenAPI
 * document (every route, its body schema and parameters) and mutated with odd values: NUL, huge,
 * unicode and format-string text, LIKE and regex metacharacters, huge and non-finite numbers, deep
 * nesting, long lists. A fixed list of raw requests covers what Jetty answers itself.
 *
 * <p>Deterministic by seed: {@code -Dvxdata.fuzz.seed=N} reproduces a run, {@code
 * -Dvxdata.fuzz.requests=N} changes how many requests are generated per backend.
 */
class InputFuzzTest {

  private static final long SEED = Long.getLong("vxdata.fuzz.seed", 20261201L);
  private static final int REQUESTS = Integer.getInteger("vxdata.fuzz.requests", 1500);
  private static final long MAX_BODY = 4L * 1024 * 1024;
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static final List<String> ODD_STRINGS = List.of("", " ", "\u0000", "a\u0000b", "%Z", "%|", "%'", "%s%n%d",
      "100%", "'", "''", "\"", "\\", "a\\", "%", "_", "%_%", "[", "(", ")", "*", "+", "?", "{", "a{2,1}", "x**",
      "(?<n>a)", "(?i)a", "\\p{L}", "\\Q.\\E", "\\d+", "\\bword\\b", "\\x41", "\\u0041", "[[:alpha:]]", "a++",
      "(*)", "\\1", "$", "^$", "\uD83D\uDE00", "\uFFFF", "\u202Eevil", "é", "Ω≈ç", "\t\r\n", "null", "true",
      "-1", "1e999", "NaN", "Infinity", "9999999999999999999999", "0000-01-01", "99999-01-01",
      "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59.999999999Z", "2026-13-45", "2026-05-20T10:00:00",
      "2026-05-20T10:00:00+25:00", "1970-01-01T00:00:00Z", "4713-01-01T00:00:00Z", "294277-01-01T00:00:00Z",
      "s3://vxdata/", "s3://vxdata/../x", "s3://other/x", "../../etc/passwd", "/abs", "a/../../b", "a//b",
      "x".repeat(256), "x".repeat(3000), "é".repeat(3000), "%Z".repeat(100), "a".repeat(70_000),
      "<script>alert(1)</script>", "'; DROP TABLE vx_meta; --", "\\\\%\\_");
  private static final List<Object> ODD_NUMBERS = List.of(0, -1, 1, 1001, Integer.MAX_VALUE, Long.MAX_VALUE,
      Long.MIN_VALUE, new BigInteger("9223372036854775808"), new BigInteger("-99999999999999999999999999"),
      1e308, -1e308, Double.MIN_VALUE, 0.5, -0.0, new BigDecimal("1e400"), new BigDecimal("-1e-400"), 3.4e38);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql"})
  void noInputMakesTheServerFailOrAnswerOutsideTheErrorEnvelope(String backend) {
    try (VxData store = backend.equals("h2") ? TestH2.openFreshMemoryStore()
            : TestPostgres.openFreshStore();
        EmbeddedS3 objects = EmbeddedS3.startInMemory("vxdata");
        ObjectStorage storage = ObjectStorage.connect(objects.settings());
        Exports exports = Exports.open(store, storage, ExportOptions.defaults().withConcurrency(2, 1000));
        VxDataServer server = VxDataServer.start(store, storage, exports,
            HttpBackend.testServerOptions().withMaxBodyBytes(MAX_BODY))) {
      store.create(List.of(
          NewResource.builder("datasource", "ds-1").set("name", "DS").build(),
          NewResource.builder("patient", "pt-1").parent("ds-1").set("datasource_id", "ds-1")
              .set("external_uid", "MRN-1").build(),
          NewResource.builder("study", "st-1").parent("pt-1").set("external_uid", "S-1").build(),
          NewResource.builder("artefact", "ar-1").parent("st-1").set("size_bytes", 10L).set("role", "image")
              .build()));
      Run run = new Run(backend, new RawHttp(server.uri()), server.uri());
      JsonNode openApi = RawHttp.json(run.http.get("/openapi.json"));
      Generator generator = new Generator(openApi, new Random(SEED));
      fixedCases(run);
      for (int i = 0; i < REQUESTS; i++) {
        if (i % 2 == 0) {
          generator.request(run);
        } else {
          generator.mutated(run);
        }
      }
      System.out.printf("fuzz %s, seed %d: %d requests, answers by status %s%n", backend, SEED, run.sent,
          run.byStatus);
      assertThat(run.failures).as("seed %d (-Dvxdata.fuzz.seed=%d) on %s: %d of %d requests failed", SEED, SEED,
          backend, run.failures.size(), run.sent).isEmpty();
    }
  }

  /** Requests a generator would rarely make, and raw ones Jetty answers before any route does. */
  private static void fixedCases(Run run) {
    java.net.URI base = run.base;
    String host = "Host: " + base.getHost() + ":" + base.getPort();
    for (String target : List.of("/%2e%2e/", "/../etc/passwd", "/%zz", "/a%00b", "/parents/%2e%2e%2fx",
        "/parents/%ff", "/query?%", "/" + "a".repeat(20_000), "/parents/x?as_of=" + "1".repeat(100_000))) {
      run.raw("GET " + target, RawSocket.send(base, "GET " + target + " HTTP/1.1\r\n" + host, null));
    }
    run.raw("bad header line", RawSocket.send(base, "GET /health HTTP/1.1\r\n" + host + "\r\nno colon here", null));
    run.raw("huge header", RawSocket.send(base, "GET /health HTTP/1.1\r\n" + host + "\r\nX-Big: "
        + "b".repeat(200_000), null));
    run.raw("bad content-length", RawSocket.send(base, "POST /query HTTP/1.1\r\n" + host
        + "\r\nContent-Type: application/json\r\nContent-Length: abc", null));
    run.raw("body over the limit", RawSocket.sendExpectingContinue(base, "POST /resources/create HTTP/1.1\r\n"
        + host + "\r\nContent-Type: application/json", new byte[(int) MAX_BODY + 10]));
    run.raw("no host", RawSocket.send(base, "GET /health HTTP/1.1", null));
    run.raw("PATCH /query", RawSocket.send(base, "PATCH /query HTTP/1.1\r\n" + host, null));
    run.raw("GET /query", RawSocket.send(base, "GET /query HTTP/1.1\r\n" + host, null));
    run.raw("unknown route", RawSocket.send(base, "GET /no/such/route HTTP/1.1\r\n" + host, null));
    run.raw("invalid UTF-8 body", RawSocket.send(base, "POST /query HTTP/1.1\r\n" + host
        + "\r\nContent-Type: application/json", new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'}));
    run.post("/query", "{\"payload_type\":\"study\",\"filters\":" + "{\"not\":".repeat(5000) + "{}"
        + "}".repeat(5000) + "}");
    run.post("/query", "[".repeat(100_000) + "]".repeat(100_000));
    run.post("/query", "{\"payload_type\":\"study\",\"filters\":{\"field\":\"modality\",\"op\":\"regex\",\"value\":\"\\ud800\"}}");
  }

  /** One backend's run: sends, checks and tallies. */
  private static final class Run {
    final String backend;
    final RawHttp http;
    final java.net.URI base;
    final Map<Integer, Integer> byStatus = new TreeMap<>();
    final List<String> failures = new ArrayList<>();
    int sent;

    Run(String backend, RawHttp http, java.net.URI base) {
      this.backend = backend;
      this.http = http;
      this.base = base;
    }

    void post(String path, String body) {
      String what = "POST " + path + " " + abbreviate(body);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      if (bytes.length > MAX_BODY) {
        // Sent as curl sends large bodies: a client that uploads a refused body regardless may see the
        // connection reset before it reads the 413, whatever the server does.
        raw(what, RawSocket.sendExpectingContinue(base, "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost()
            + ":" + base.getPort() + "\r\nContent-Type: application/json", bytes));
        return;
      }
      HttpResponse<String> r = retried(() -> http.post(path, bytes));
      if (r == null) {
        check(what, -1, "", "no answer");
      } else {
        check(what, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
      }
    }

    /** Any other method (PUT, PATCH, DELETE), with an optional JSON body. */
    void send(String method, String pathAndQuery, String body) {
      String what = method + " " + abbreviate(pathAndQuery) + (body == null ? "" : " " + abbreviate(body));
      HttpResponse<String> r = retried(() -> http.send(method, pathAndQuery, body));
      if (r == null) {
        check(what, -1, "", "no answer");
      } else {
        check(what, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
      }
    }

    void get(String pathAndQuery) {
      String what = "GET " + abbreviate(pathAndQuery);
      HttpResponse<String> r = retried(() -> http.get(pathAndQuery));
      if (r == null) {
        check(what, -1, "", "no answer");
      } else {
        check(what, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
      }
    }

    /**
     * Sends, once more if the first try got no answer at all: the client may reuse a keep-alive
     * connection the server closed after answering an error; a second failure counts.
     */
    private static HttpResponse<String> retried(java.util.function.Supplier<HttpResponse<String>> send) {
      for (int attempt = 0; attempt < 2; attempt++) {
        try {
          return send.get();
        } catch (java.io.UncheckedIOException e) {
          // try again on a fresh connection
        }
      }
      return null;
    }

    void raw(String what, RawSocket.Answer answer) {
      check(abbreviate(what), answer.status(), answer.contentType(), answer.body());
    }

    private void check(String what, int status, String contentType, String body) {
      sent++;
      byStatus.merge(status, 1, Integer::sum);
      // A HEAD answer has no body, errors included: its status is the answer.
      String problem = what.startsWith("HEAD ") && body.isEmpty() && status >= 200 && status < 500 ? null
          : problem(status, contentType, body);
      if (problem != null && failures.size() < 50) {
        failures.add(what + " -> " + status + ": " + problem + ": " + abbreviate(body));
      }
    }

    private static String problem(int status, String contentType, String body) {
      if (status >= 500 || status < 200) {
        return "status " + status;
      }
      if (status < 300) {
        return null;
      }
      if (status == 302 && contentType.startsWith("text/plain")) {
        return null; // GET / redirects to the docs page
      }
      if (!contentType.startsWith("application/json")) {
        return "not JSON but " + contentType;
      }
      JsonNode error;
      try {
        error = Json.parse(body).path("error");
      } catch (RuntimeException e) {
        return "unparsable body";
      }
      boolean envelope = error.path("status").asInt() == status && error.path("type").isTextual()
          && error.path("message").isTextual() && error.path("details").isArray();
      return envelope ? null : "not the error envelope";
    }
  }

  private static String abbreviate(String s) {
    String flat = s.replace("\u0000", "\\0").replace("\n", " ");
    return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…(" + flat.length() + " chars)";
  }

  /** Random requests from the OpenAPI document, mutated with odd values. */
  private static final class Generator {
    private final JsonNode doc;
    private final Random random;
    private final List<String[]> routes = new ArrayList<>();
    /** The payload type of the body being generated, so that filters mostly name its fields. */
    private String currentType = "study";
    private int fresh;
    /** Odd values still to put into the request being generated: mostly one, so the rest stays valid. */
    private int mutations;
    private final List<String> types = new ArrayList<>();
    private final List<String> fields = new ArrayList<>(List.of("identifier", "parent_identifier", "payload_type",
        "license", "access_level", "derived_from", "is_deleted", "version", "created_at", "updated_at"));
    private static final List<String> IDS = List.of("ds-1", "pt-1", "st-1", "ar-1", "missing-1");
    private static final List<String> OPS = List.of("=", "!=", "<", "<=", ">", ">=", "between", "in", "not in",
        "like", "ilike", "regex", "null", "contains", "~", "");

    Generator(JsonNode doc, Random random) {
      this.doc = doc;
      this.random = random;
      doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
          .forEachRemaining(method -> routes.add(new String[] {method, p.getKey()})));
      JsonNode schemas = doc.path("components").path("schemas");
      schemas.fields().forEachRemaining(e -> {
        if (Character.isLowerCase(e.getKey().charAt(0))) {
          types.add(e.getKey());
          e.getValue().path("properties").fieldNames().forEachRemaining(f -> {
            if (!fields.contains(f)) {
              fields.add(f);
            }
          });
        }
      });
    }

    void request(Run run) {
      mutations = random.nextInt(8) == 0 ? 0 : random.nextInt(8) == 0 ? 3 : 1;
      String[] route = routes.get(random.nextInt(routes.size()));
      JsonNode op = doc.path("paths").path(route[1]).path(route[0]);
      String path = route[1];
      StringBuilder query = new StringBuilder();
      for (JsonNode listed : op.path("parameters")) {
        // A shared parameter (as_of) is a reference to components.parameters.
        JsonNode param = listed.has("$ref") ? doc.at(listed.path("$ref").asText().substring(1)) : listed;
        String name = param.path("name").asText();
        if (param.path("in").asText().equals("path")) {
          path = path.replace("{" + name + "}", encode(string(name)));
        } else if (random.nextInt(3) > 0) {
          query.append(query.isEmpty() ? "?" : "&").append(name).append('=').append(encode(string(name)));
        }
      }
      if (mutate(20)) {
        query.append(query.isEmpty() ? "?" : "&").append(encode(odd())).append('=').append(encode(odd()));
      }
      JsonNode schema = op.path("requestBody").path("content").path("application/json").path("schema");
      String body = schema.isMissingNode() ? null
          : Json.mapper().valueToTree(random.nextInt(40) == 0 ? oddValue(0) : value(schema, "", 0)).toString();
      switch (route[0]) {
        case "get" -> run.get(path + query);
        case "post" -> run.post(path, body == null ? "{}" : body);
        default -> run.send(route[0].toUpperCase(java.util.Locale.ROOT), path + query, body);
      }
    }

    /** Valid bodies, one per kind of request that reaches SQL; {@link #mutated} changes one value in a copy. */
    private static final List<String[]> TEMPLATES = List.of(
        new String[] {"/resources/create", "{\"resources\":[{\"identifier\":\"@\",\"payload_type\":\"study\","
            + "\"parent_identifier\":\"pt-1\",\"external_uid\":\"E\",\"study_date\":\"2026-01-02\",\"modality\":\"MR\","
            + "\"description\":\"d\",\"license\":\"CC0\",\"derived_from\":[\"ds-1\"]}]}"},
        new String[] {"/resources/create", "{\"resources\":[{\"identifier\":\"@\",\"payload_type\":\"artefact\","
            + "\"parent_identifier\":\"st-1\",\"uri\":\"s3://vxdata/x\",\"size_bytes\":5,\"sha256\":\"ab\",\"role\":\"r\"}]}"},
        new String[] {"/resources/create", "{\"resources\":[{\"identifier\":\"@\",\"payload_type\":\"datasource\","
            + "\"name\":\"N\",\"site\":\"s\"}]}"},
        new String[] {"/resources/update", "{\"updates\":{\"st-1\":{\"modality\":\"CT\",\"description\":\"x\","
            + "\"study_date\":\"2026-02-03\"}}}"},
        new String[] {"/resources/update", "{\"updates\":{\"ds-1\":{\"name\":\"M\",\"license\":\"MIT\"}}}"},
        new String[] {"/resources/read", "{\"identifiers\":[\"ds-1\",\"st-1\"],\"as_of\":\"2999-01-01\"}"},
        new String[] {"/resources/delete", "{\"identifiers\":[\"missing-1\"],\"cascade\":true}"},
        new String[] {"/resources/restore", "{\"identifiers\":[\"missing-1\"]}"},
        new String[] {"/query", "{\"payload_type\":\"study\",\"filters\":{\"and\":[{\"field\":\"modality\",\"op\":\"like\","
            + "\"value\":\"M%\"},{\"field\":\"description\",\"op\":\"regex\",\"value\":\"^d\"},{\"field\":"
            + "\"study_date\",\"op\":\"between\",\"value\":[\"2000-01-01\",\"2030-01-01\"]},{\"field\":\"external_uid\","
            + "\"op\":\"in\",\"value\":[\"E\",\"S-1\"]},{\"field\":\"updated_at\",\"op\":\"<\",\"value\":"
            + "\"2999-01-01T00:00:00Z\"}]},\"identifiers\":[\"st-1\"],\"sort_by\":[\"study_date\"],\"limit\":10}"},
        new String[] {"/query/count", "{\"payload_type\":\"artefact\",\"filters\":[{\"field\":\"size_bytes\",\"op\":\">=\","
            + "\"value\":1},{\"field\":\"role\",\"op\":\"ilike\",\"value\":\"%\"},{\"field\":\"derived_from\","
            + "\"op\":\"contains\",\"value\":\"ds-1\"}],\"parent_identifier\":\"ds-1\",\"include_indirect_parents\":true,"
            + "\"as_of\":\"2026-05-20T10:00:00Z\"}"},
        new String[] {"/query/parquet", "{\"payload_type\":\"study\",\"filters\":{\"field\":\"external_uid\",\"op\":\"=\","
            + "\"value\":\"S-1\"},\"select_columns\":[\"modality\"],\"identifiers\":[\"st-1\"]}"},
        new String[] {"/patients/register", "{\"datasource_id\":\"ds-1\",\"external_uid\":\"@\"}"},
        new String[] {"/patients/resolve", "{\"datasource_id\":\"ds-1\",\"external_uid\":\"MRN-1\"}"},
        new String[] {"/studies/register", "{\"patient_identifier\":\"pt-1\",\"external_uid\":\"@\"}"},
        new String[] {"/studies/resolve", "{\"patient_identifier\":\"pt-1\",\"external_uid\":\"S-1\"}"},
        new String[] {"/s3/presign/upload-dir", "{\"group\":\"g\",\"relpaths\":[\"a.txt\",\"d/b.txt\"]}"},
        new String[] {"/s3/presign/batch", "{\"direction\":\"upload\",\"items\":[{\"group\":\"g\",\"filename\":\"f\"}]}"});

    /** A valid request with exactly one value replaced by an odd one (or one list grown huge). */
    void mutated(Run run) {
      String[] template = pick(TEMPLATES);
      JsonNode body = Json.parse(template[1].replace("@", "m-" + fresh++));
      List<JsonNode> containers = new ArrayList<>();
      collect(body, containers);
      JsonNode container = pick(containers);
      if (container instanceof ObjectNode o) {
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        String key = pick(keys);
        o.set(key, mutation(o.get(key)));
      } else {
        ArrayNode a = (ArrayNode) container;
        int at = random.nextInt(a.size());
        a.set(at, mutation(a.get(at)));
      }
      run.post(template[0], body.toString());
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
      if (node.isContainerNode() && node.size() > 0) {
        containers.add(node);
        node.forEach(child -> collect(child, containers));
      }
    }

    private JsonNode mutation(JsonNode old) {
      if (old.isArray() && old.size() > 0 && random.nextInt(3) == 0) {
        ArrayNode grown = F.arrayNode();
        int size = pick(List.of(1_001, 10_001, 70_000));
        for (int i = 0; i < size; i++) {
          grown.add(old.size() > 0 && old.get(0).isTextual() ? F.textNode(old.get(0).asText() + "-" + i) : old.get(0));
        }
        return grown;
      }
      return switch (random.nextInt(4)) {
        case 0 -> oddValue(1);
        case 1 -> number();
        default -> F.textNode(odd());
      };
    }

    /** Whether to put an odd value here, using up one of the request's mutations. */
    private boolean mutate(int oneIn) {
      if (mutations > 0 && random.nextInt(oneIn) == 0) {
        mutations--;
        return true;
      }
      return false;
    }

    private JsonNode value(JsonNode schema, String name, int depth) {
      if (mutate(20)) {
        return oddValue(depth);
      }
      if (schema.has("$ref")) {
        String ref = schema.path("$ref").asText();
        String target = ref.substring(ref.lastIndexOf('/') + 1);
        JsonNode resolved = doc.path("components").path("schemas").path(target);
        JsonNode v = value(resolved, name, depth);
        if (v instanceof ObjectNode o && (target.equals("AnyCreate") || target.equals("AnyUpdate"))) {
          addPayloadFields(o);
        }
        return v;
      }
      if (schema.has("oneOf")) {
        return value(schema.path("oneOf").get(random.nextInt(schema.path("oneOf").size())), name, depth);
      }
      if (schema.has("enum")) {
        return mutate(5) ? F.textNode(odd()) : schema.path("enum").get(random.nextInt(schema.path("enum").size()));
      }
      if (name.equals("filters")) {
        return filter(depth);
      }
      JsonNode type = schema.path("type");
      String t = type.isArray() ? type.get(random.nextInt(type.size())).asText() : type.asText("");
      switch (t) {
        case "object" -> {
          ObjectNode o = F.objectNode();
          JsonNode required = schema.path("required");
          Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields();
          while (props.hasNext()) {
            Map.Entry<String, JsonNode> p = props.next();
            boolean isRequired = false;
            for (JsonNode r : required) {
              isRequired |= r.asText().equals(p.getKey());
            }
            if (random.nextInt(10) < (isRequired ? 9 : 5)) {
              o.set(p.getKey(), value(p.getValue(), p.getKey(), depth + 1));
            }
          }
          if (schema.path("additionalProperties").isObject()) {
            for (int i = random.nextInt(3); i >= 0; i--) {
              o.set(random.nextBoolean() ? pick(IDS) : odd(), value(schema.path("additionalProperties"), "", depth + 1));
            }
          }
          if (mutate(30)) {
            o.set(odd(), oddValue(depth + 1));
          }
          return o;
        }
        case "array" -> {
          ArrayNode a = F.arrayNode();
          int size = !mutate(12) ? random.nextInt(4) : random.nextBoolean() ? 1001 + random.nextInt(3000) : 20_000;
          JsonNode item = schema.path("items");
          if (size > 100) {
            String element = string(name);
            for (int i = 0; i < size; i++) {
              a.add(random.nextBoolean() ? element : element + i);
            }
          } else {
            for (int i = 0; i < size; i++) {
              a.add(value(item, name, depth + 1));
            }
          }
          return a;
        }
        case "string" -> {
          return F.textNode(string(name));
        }
        case "integer", "number" -> {
          return number();
        }
        case "boolean" -> {
          return F.booleanNode(random.nextBoolean());
        }
        case "null" -> {
          return F.nullNode();
        }
        default -> {
          return oddValue(depth);
        }
      }
    }

    private void addPayloadFields(ObjectNode o) {
      String type = o.path("payload_type").isTextual() && types.contains(o.path("payload_type").asText())
          ? o.path("payload_type").asText() : pick(types);
      JsonNode props = doc.path("components").path("schemas").path(type).path("properties");
      props.fields().forEachRemaining(p -> {
        if (!fields.subList(0, 10).contains(p.getKey()) && random.nextInt(3) == 0) {
          o.set(p.getKey(), value(p.getValue(), p.getKey(), 1));
        }
      });
    }

    private JsonNode filter(int depth) {
      int kind = random.nextInt(depth > 6 ? 2 : 10);
      if (kind < 6 || depth > 8) {
        ObjectNode c = F.objectNode();
        String field = mutate(15) ? odd() : random.nextInt(3) == 0 ? pick(fields) : fieldOf(currentType);
        c.put("field", field);
        String op = pick(OPS);
        c.put("op", op);
        c.set("value", switch (op) {
          case "in", "not in", "between" -> {
            ArrayNode a = F.arrayNode();
            int size = mutate(8) ? 10_000 : random.nextInt(4);
            for (int i = 0; i < size; i++) {
              a.add(size > 100 ? F.textNode("v" + i) : scalar(field));
            }
            yield a;
          }
          case "null" -> mutate(4) ? scalar(field) : F.booleanNode(random.nextBoolean());
          default -> scalar(field);
        });
        return c;
      }
      ArrayNode children = F.arrayNode();
      for (int i = random.nextInt(4); i >= 0; i--) {
        children.add(filter(depth + 1));
      }
      return switch (kind) {
        case 6 -> F.objectNode().set("and", children);
        case 7 -> F.objectNode().set("or", children);
        case 8 -> F.objectNode().set("not", filter(depth + 1));
        default -> children;
      };
    }

    private String fieldOf(String type) {
      List<String> names = new ArrayList<>();
      doc.path("components").path("schemas").path(type).path("properties").fieldNames().forEachRemaining(names::add);
      return names.isEmpty() ? pick(fields) : pick(names);
    }

    private JsonNode scalar(String field) {
      return switch (random.nextInt(5)) {
        case 0 -> number();
        case 1 -> F.booleanNode(random.nextBoolean());
        default -> F.textNode(string(field));
      };
    }

    private JsonNode number() {
      Object n = mutate(2) ? pick(ODD_NUMBERS) : random.nextInt(2000) - 500;
      return Json.mapper().valueToTree(n);
    }

    private String string(String name) {
      if (mutate(3)) {
        return odd();
      }
      return switch (name) {
        case "identifier" -> random.nextBoolean() ? "f-" + fresh++ : pick(IDS);
        case "identifiers", "parent_identifier", "derived_from", "datasource_id",
            "patient_identifier" -> pick(IDS);
        case "payload_type" -> currentType = pick(types);
        case "as_of" -> pick(List.of("2026-05-20", "2026-05-20T10:00:00Z", "1970-01-01T00:00:00Z", "2999-01-01"));
        case "sort_by", "select_columns", "field" -> pick(fields);
        case "sort_order" -> pick(List.of("asc", "desc"));
        case "direction" -> pick(List.of("upload", "download"));
        case "path", "prefix" -> pick(List.of("s3://vxdata/", "s3://vxdata/ds-1/x.parquet", "s3://vxdata/a"));
        case "group" -> pick(List.of("ds-1", "g_2", "grp.3"));
        case "relpaths", "filename" -> pick(List.of("a.txt", "dir/b.bin", "c"));
        case "limit", "offset" -> String.valueOf(random.nextInt(2000) - 100);
        default -> "v" + random.nextInt(10);
      };
    }

    private String odd() {
      String s = pick(ODD_STRINGS);
      return random.nextInt(4) == 0 ? "x" + s + "y" : s;
    }

    private JsonNode oddValue(int depth) {
      return switch (random.nextInt(depth > 3 ? 4 : 7)) {
        case 0 -> F.textNode(odd());
        case 1 -> number();
        case 2 -> F.nullNode();
        case 3 -> F.booleanNode(random.nextBoolean());
        case 4 -> {
          JsonNode deep = F.textNode("x");
          for (int i = 0; i < 200; i++) {
            deep = random.nextBoolean() ? F.arrayNode().add(deep) : F.objectNode().set("not", deep);
          }
          yield deep;
        }
        case 5 -> F.arrayNode().add(odd()).add(number());
        default -> F.objectNode().put(odd(), odd());
      };
    }

    private <T> T pick(List<T> from) {
      return from.get(random.nextInt(from.size()));
    }

    private static String encode(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
  }
}
