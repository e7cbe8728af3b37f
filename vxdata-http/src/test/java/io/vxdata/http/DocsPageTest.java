package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /docs} over raw HTTP: the redirect from {@code /}, and a page whose every file comes from
 * the server. The page in a real browser is {@code DocsPageBrowserIT} (vxdata-server, profile browser).
 */
class DocsPageTest extends H2ServerTest {

  @Test
  void theRootRedirectsToTheDocsPage() {
    HttpResponse<String> root = http.get("/");
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location")).hasValue("/docs");
    assertThat(root.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
  }

  @Test
  void thePageLoadsOnlyFilesOfThisServer() {
    HttpResponse<String> page = http.get("/docs");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body()).doesNotContain("http://", "https://");
    Matcher files = Pattern.compile("(?:src|href)=\"(/docs/[^\"]+)\"").matcher(page.body());
    List<String> loaded = files.results().map(m -> m.group(1)).toList();
    assertThat(loaded).contains("/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/docs/vxdata-docs.js");
    for (String file : loaded) {
      HttpResponse<String> r = http.get(file);
      assertThat(r.statusCode()).as(file).isEqualTo(200);
      assertThat(r.body()).as(file).isNotEmpty();
    }
    assertThat(http.get("/docs/vxdata-docs.js").body()).contains("url: \"/openapi.json\"", "validatorUrl: null");
    assertThat(http.get("/docs/swagger-ui-bundle.js").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
  }

  @Test
  void otherFilesAreNotServed() {
    for (String path : List.of("/docs/index.html", "/docs/swagger-initializer.js", "/docs/..%2Fopenapi.json",
        "/docs/oauth2-redirect.html")) {
      assertThat(http.get(path).statusCode()).as(path).isEqualTo(404);
    }
  }

  @Test
  void swaggerUiIsTheVersionThePomPins() {
    assertThat(DocsPage.swaggerUiVersion()).matches("\\d+\\.\\d+\\.\\d+");
  }
}
