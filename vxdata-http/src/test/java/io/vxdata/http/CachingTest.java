package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.schema.PayloadType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Caching headers over raw HTTP ({@link Caching}): weak ETags and 304s on {@code /schemas},
 * {@code /openapi.json}, the docs page and the GET reads; {@code immutable} exactly for a GET read whose
 * explicit {@code as_of} is not after the last commit; nothing on the POST reads.
 */
class CachingTest extends H2ServerTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void schemasAndTheDocumentAreRevalidatedByTheirETag() {
    for (String path : new String[] {"/schemas", "/openapi.json", "/docs", "/docs/swagger-ui.css", "/docs/vxdata-docs.js"}) {
      HttpResponse<String> first = get(path, null);
      assertThat(first.statusCode()).as(path).isEqualTo(200);
      String etag = first.headers().firstValue("ETag").orElseThrow();
      assertThat(etag).as(path).matches("W/\"[A-Za-z0-9_-]{22}\"");
      assertThat(first.headers().firstValue("Cache-Control")).as(path).hasValue("no-cache");

      HttpResponse<String> again = get(path, etag);
      assertThat(again.statusCode()).as(path).isEqualTo(304);
      assertThat(again.body()).as(path).isEmpty();
      assertThat(again.headers().firstValue("ETag")).as(path).hasValue(etag);
      assertThat(get(path, "W/\"other\", " + etag).statusCode()).as("%s: a list naming it", path).isEqualTo(304);
      assertThat(get(path, etag.substring(2)).statusCode()).as("%s: the strong form (weak comparison)", path)
          .isEqualTo(304);
      assertThat(get(path, "*").statusCode()).as(path).isEqualTo(304);
      assertThat(get(path, "W/\"other\"").statusCode()).as(path).isEqualTo(200);
      assertThat(get(path, null).headers().firstValue("ETag")).as("%s: the same content, the same tag", path)
          .hasValue(etag);
    }
  }

  @Test
  void registeringATypeChangesTheSchemasETag() {
    String before = get("/schemas", null).headers().firstValue("ETag").orElseThrow();
    String documentBefore = get("/openapi.json", null).headers().firstValue("ETag").orElseThrow();
    store.registerType(PayloadType.fromJsonSchema("finding", """
        {"type": "object", "properties": {"summary": {"type": "string"}}}"""));

    HttpResponse<String> after = get("/schemas", before);
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.body()).contains("\"finding\"");
    assertThat(after.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(before);
    assertThat(get("/openapi.json", documentBefore).statusCode()).isEqualTo(200);
  }

  @Test
  void aGetReadAtAnAsOfNotAfterTheLastCommitIsImmutable() {
    String committed = RawHttp.json(http.post("/resources/create", """
        {"resources": [{"identifier": "clinic-a", "payload_type": "datasource", "name": "Clinic A"},
         {"identifier": "scan-1", "payload_type": "artefact", "parent_identifier": "clinic-a"}]}""")).path("committed_at")
        .asText();
    for (String path : new String[] {"/parents/scan-1", "/datasources/stats", "/datasources/detailed-stats"}) {
      HttpResponse<String> atCommit = get(path + "?as_of=" + committed, null);
      assertThat(atCommit.statusCode()).as(path).isEqualTo(200);
      assertThat(atCommit.headers().firstValue(VxDataServer.AS_OF_HEADER)).as(path).hasValue(committed);
      assertThat(atCommit.headers().firstValue("Cache-Control")).as(path).hasValue(Caching.IMMUTABLE);
      String etag = atCommit.headers().firstValue("ETag").orElseThrow();

      HttpResponse<String> revalidated = get(path + "?as_of=" + committed, etag);
      assertThat(revalidated.statusCode()).as(path).isEqualTo(304);
      assertThat(revalidated.body()).as(path).isEmpty();
      assertThat(revalidated.headers().firstValue(VxDataServer.AS_OF_HEADER)).as(path).hasValue(committed);
      assertThat(revalidated.headers().firstValue("Cache-Control")).as(path).hasValue(Caching.IMMUTABLE);

      // The latest state, and a time after the last commit (which reads the last commit), may change.
      for (String latest : new String[] {path, path + (path.contains("?") ? "&" : "?") + "as_of=9999-01-01"}) {
        HttpResponse<String> r = get(latest, null);
        assertThat(r.statusCode()).as(latest).isEqualTo(200);
        assertThat(r.headers().firstValue(VxDataServer.AS_OF_HEADER)).as(latest).hasValue(committed);
        assertThat(r.headers().firstValue("Cache-Control")).as(latest).hasValue(Caching.REVALIDATE);
        assertThat(r.headers().firstValue("ETag")).as("%s: the same answer, the same tag", latest).hasValue(etag);
        assertThat(get(latest, etag).statusCode()).as(latest).isEqualTo(304);
      }
    }
    // A date is the start of its day: before the commit, final, and the header says exactly that time.
    HttpResponse<String> day = get("/datasources/stats?as_of=2020-01-01", null);
    assertThat(day.headers().firstValue(VxDataServer.AS_OF_HEADER)).hasValue("2020-01-01T00:00:00.000000Z");
    assertThat(day.headers().firstValue("Cache-Control")).hasValue(Caching.IMMUTABLE);
    assertThat(day.body()).isEqualTo("[]");
  }

  @Test
  void aCommitChangesTheLatestAnswerAndItsETagButNotAFinalOne() {
    String first = RawHttp.json(http.post("/resources/create", """
        {"resources": [{"identifier": "clinic-a", "payload_type": "datasource", "name": "Clinic A"}]}"""))
        .path("committed_at").asText();
    String latest = get("/datasources/stats", null).headers().firstValue("ETag").orElseThrow();
    String past = get("/datasources/stats?as_of=" + first, null).headers().firstValue("ETag").orElseThrow();

    http.post("/resources/create", """
        {"resources": [{"identifier": "scan-1", "payload_type": "artefact", "parent_identifier": "clinic-a"}]}""");

    HttpResponse<String> now = get("/datasources/stats", latest);
    assertThat(now.statusCode()).isEqualTo(200);
    assertThat(now.body()).contains("\"artefacts\":1");
    assertThat(get("/datasources/stats?as_of=" + first, past).statusCode()).isEqualTo(304);
  }

  @Test
  void errorsAndPostReadsGetNoCachingHeaders() {
    HttpResponse<String> missing = get("/parents/nope?as_of=2020-01-01", null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("ETag")).isEmpty();
    assertThat(missing.headers().firstValue("Cache-Control")).isEmpty();
    assertThat(get("/datasources/stats?as_of=yesterday", "*").statusCode()).isEqualTo(400);

    HttpResponse<String> read = send(HttpRequest.newBuilder(server.uri().resolve("/resources/read"))
        .header("Content-Type", "application/json").header("If-None-Match", "*")
        .POST(HttpRequest.BodyPublishers.ofString("{\"identifiers\": [], \"as_of\": \"2020-01-01\"}")));
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.headers().firstValue("ETag")).isEmpty();
    assertThat(read.headers().firstValue("Cache-Control")).isEmpty();
  }

  @Test
  void ifNoneMatchUsesTheWeakComparison() {
    assertThat(Caching.matches("W/\"a\"", "W/\"a\"")).isTrue();
    assertThat(Caching.matches("\"a\"", "W/\"a\"")).isTrue();
    assertThat(Caching.matches(" W/\"b\" , W/\"a\" ", "W/\"a\"")).isTrue();
    assertThat(Caching.matches("*", "W/\"a\"")).isTrue();
    assertThat(Caching.matches("W/\"b\"", "W/\"a\"")).isFalse();
    assertThat(Caching.matches("", "W/\"a\"")).isFalse();
    assertThat(Caching.matches(null, "W/\"a\"")).isFalse();
  }

  private HttpResponse<String> get(String path, String ifNoneMatch) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.uri() + path)).GET();
    if (ifNoneMatch != null) {
      request.header("If-None-Match", ifNoneMatch);
    }
    return send(request);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
