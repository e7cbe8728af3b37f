package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.VxData;
import io.vxdata.jdbc.TestH2;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CORS per the Fetch standard, as plain HTTP requests (what a browser sends, without the browser). */
class CorsTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final String ALLOWED = "https://app.example.org";
  private static final String OTHER = "https://evil.example.com";

  private VxData store;
  private VxDataServer server;

  @BeforeEach
  void start() {
    store = TestH2.openFreshMemoryStore();
    // Given as a user might type them: upper case, an explicit default port.
    server = VxDataServer.start(store, HttpBackend.testServerOptions()
        .withCorsOrigins(List.of("HTTPS://App.Example.org:443", "http://localhost:3000")));
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder preflight(URI base, String path, String origin) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type,x-request-id")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
  }

  private HttpRequest.Builder create(String origin, String id) {
    return HttpRequest.newBuilder(URI.create(server.uri() + "/resources/create")).header("Origin", origin)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"resources\":[{\"identifier\":\"" + id + "\",\"payload_type\":\"datasource\",\"name\":\"DS\"}]}"));
  }

  private static List<String> list(HttpHeaders headers, String name) {
    return headers.allValues(name).stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::trim)
        .map(s -> s.toLowerCase(Locale.ROOT)).toList();
  }

  private static List<String> corsHeaders(HttpHeaders headers) {
    return headers.map().keySet().stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith("access-control-"))
        .toList();
  }

  @Test
  void aPreflightFromAnAllowedOriginIsAnswered204WithWhatMayBeSent() throws Exception {
    HttpResponse<String> r = send(preflight(server.uri(), "/resources/create", ALLOWED));

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    HttpHeaders h = r.headers();
    assertThat(h.allValues("Access-Control-Allow-Origin")).containsExactly(ALLOWED);
    assertThat(list(h, "Access-Control-Allow-Methods")).contains("get", "post");
    assertThat(list(h, "Access-Control-Allow-Headers")).contains("content-type", "x-request-id");
    assertThat(h.firstValue("Access-Control-Max-Age")).hasValue("600");
    assertThat(list(h, "Vary")).contains("origin");
    assertThat(h.firstValue("Access-Control-Allow-Credentials")).isEmpty();

    // Another allowed origin, on a route with a path parameter.
    HttpResponse<String> local = send(preflight(server.uri(), "/parents/x", "http://localhost:3000"));
    assertThat(local.statusCode()).isEqualTo(204);
    assertThat(local.headers().allValues("Access-Control-Allow-Origin")).containsExactly("http://localhost:3000");
  }

  @Test
  void aPreflightFromAnotherOriginGetsNoCorsHeaders() throws Exception {
    for (String origin : List.of(OTHER, "null", "https://app.example.org.evil.com", "http://app.example.org",
        "https://app.example.org:8443")) {
      HttpResponse<String> r = send(preflight(server.uri(), "/resources/create", origin));
      assertThat(corsHeaders(r.headers())).as(origin).isEmpty();
      assertThat(r.statusCode()).as(origin).isEqualTo(405);
    }
  }

  @Test
  void aCrossOriginRequestFromAnAllowedOriginMayBeReadWithItsHeaders() throws Exception {
    HttpResponse<String> r = send(create(ALLOWED, "ds-1"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    HttpHeaders h = r.headers();
    assertThat(h.allValues("Access-Control-Allow-Origin")).containsExactly(ALLOWED);
    assertThat(list(h, "Vary")).contains("origin");
    assertThat(list(h, "Access-Control-Expose-Headers")).contains("vxdata-as-of", "x-request-id", "location");
    assertThat(h.firstValue("VxData-As-Of")).isPresent();
    assertThat(RawHttp.json(r).path("created").asInt()).isEqualTo(1);

    // Error answers too, so that a page can read the error body.
    HttpResponse<String> missing = send(HttpRequest.newBuilder(URI.create(server.uri() + "/parents/nope"))
        .header("Origin", ALLOWED).GET());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().allValues("Access-Control-Allow-Origin")).containsExactly(ALLOWED);
  }

  @Test
  void aRequestFromAnotherOriginIsServedWithoutCorsHeadersButVariesByOrigin() throws Exception {
    HttpResponse<String> r = send(create(OTHER, "ds-2"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(corsHeaders(r.headers())).isEmpty();
    assertThat(list(r.headers(), "Vary")).contains("origin");

    HttpResponse<String> sameOrigin = send(HttpRequest.newBuilder(URI.create(server.uri() + "/health")).GET());
    assertThat(corsHeaders(sameOrigin.headers())).isEmpty();
  }

  @Test
  void withoutOriginsTheServerSendsNoCorsHeadersAtAll() throws Exception {
    try (VxDataServer plain = VxDataServer.start(store, HttpBackend.testServerOptions())) {
      HttpResponse<String> pre = send(preflight(plain.uri(), "/resources/create", ALLOWED));
      assertThat(pre.statusCode()).isEqualTo(405);
      assertThat(corsHeaders(pre.headers())).isEmpty();
      HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(plain.uri() + "/health"))
          .header("Origin", ALLOWED).GET());
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(corsHeaders(get.headers())).isEmpty();
      assertThat(get.headers().allValues("Vary")).isEmpty();
    }
  }

  @Test
  void aStarAllowsEveryOriginButNull() throws Exception {
    try (VxDataServer any = VxDataServer.start(store, HttpBackend.testServerOptions().withCorsOrigins(List.of("*")))) {
      HttpResponse<String> r = send(preflight(any.uri(), "/query", OTHER));
      assertThat(r.statusCode()).isEqualTo(204);
      assertThat(r.headers().allValues("Access-Control-Allow-Origin")).containsExactly(OTHER);
      assertThat(corsHeaders(send(preflight(any.uri(), "/query", "null")).headers())).isEmpty();
    }
  }

  @Test
  void originsAreCheckedAndNormalized() {
    assertThat(ServerOptions.defaults().withCorsOrigins(List.of("HTTP://LocalHost:80", "https://a.org:8443", "*"))
        .corsOrigins()).containsExactly("http://localhost", "https://a.org:8443", "*");
    assertThat(ServerOptions.defaults().corsOrigins()).isEmpty();
    for (String bad : List.of("https://a.org/", "https://a.org/app", "a.org", "https://a.org?x", "", "https://u@a.org")) {
      assertThatThrownBy(() -> ServerOptions.defaults().withCorsOrigins(List.of(bad))).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("origin");
    }
  }
}
