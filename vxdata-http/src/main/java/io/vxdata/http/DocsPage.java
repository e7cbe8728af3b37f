package io.vxdata.http;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /docs}: the OpenAPI document ({@code GET /openapi.json}) rendered for people by Swagger
 * UI, and {@code GET /}, which redirects there. Every file the page loads is served from the class
 * path: the page and its start script from this package, Swagger UI from its WebJar
 * ({@code org.webjars:swagger-ui}, version pinned in the parent pom), so the page works offline.
 */
final class DocsPage {

  /** The page. */
  static final String PATH = "/docs";

  private static final String OWN = "/io/vxdata/http/docs/";
  /** Our files beside Swagger UI's, and the only files of Swagger UI's the page loads. */
  private static final Map<String, String> FILES = Map.of(
      "vxdata-docs.js", "text/javascript; charset=utf-8",
      "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
      "swagger-ui.css", "text/css; charset=utf-8",
      "favicon-32x32.png", "image/png",
      "favicon-16x16.png", "image/png");

  private final String webJar = "/META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion() + "/";
  private final Map<String, Caching.Fixed> loaded = new ConcurrentHashMap<>();

  /** {@code GET /}: to the docs page, with a body that says so in words (not JSON: it is no error). */
  void root(Context ctx) {
    ctx.status(HttpStatus.FOUND).header("Location", PATH).contentType("text/plain; charset=utf-8")
        .result("The API's documentation is at " + PATH + "\n");
  }

  /** {@code GET /docs}. */
  void page(Context ctx) {
    file("index.html", OWN).answer(ctx, "text/html; charset=utf-8");
  }

  /** {@code GET /docs/{file}}: one of the page's files, else 404. */
  void asset(Context ctx) {
    String name = ctx.pathParam("file");
    String type = FILES.get(name);
    if (type == null) {
      throw new NotFoundResponse("no docs file '" + name + "'");
    }
    file(name, name.startsWith("vxdata-") ? OWN : webJar).answer(ctx, type);
  }

  private Caching.Fixed file(String name, String dir) {
    return loaded.computeIfAbsent(name, n -> Caching.Fixed.of(read(dir + n)));
  }

  private static byte[] read(String resource) {
    try (InputStream in = DocsPage.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing from the class path: " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The version of the Swagger UI WebJar on the class path, from its Maven properties. */
  static String swaggerUiVersion() {
    String resource = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    try (InputStream in = DocsPage.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("org.webjars:swagger-ui is not on the class path (" + resource + ")");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
