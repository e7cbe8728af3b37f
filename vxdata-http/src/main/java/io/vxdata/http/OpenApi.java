package io.vxdata.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The OpenAPI 3.1 document of the server ({@code GET /openapi.json}, rendered by {@code GET /docs}).
 *
 * <p>The document is a file in the repository, {@code src/main/resources/io/vxdata/http/openapi.json}:
 * every route with its summary, description, examples and answers, and the shared parts (as_of,
 * filters, cursors, errors, headers) once under {@code components}. What only the running server
 * knows is put in when it is served: the response schema of every registered payload type under
 * {@code components.schemas.<payload_type>} (OpenAPI 3.1 schemas are JSON Schema 2020-12, so the
 * documents of {@code /schemas} go in as they are) and into {@code AnyResponse}; and the operations
 * marked {@code x-vxdata-requires} are kept only when the server has what they need
 * ({@code object-storage}: the {@code /s3/*} routes; {@code exports}: the {@code /exports} routes;
 * {@code metrics}: {@code GET /metrics}).
 */
final class OpenApi {

  /** The document in the repository. */
  static final String RESOURCE = "/io/vxdata/http/openapi.json";

  private static final String REF = "#/components/schemas/";
  private static final String REQUIRES = "x-vxdata-requires";
  private static final ObjectNode TEMPLATE = load();
  /** The project version the build wrote into {@code version.properties}: the document's {@code info.version}. */
  static final String VERSION = version();

  private OpenApi() {}

  /**
   * The document for a server with these payload types ({@code name → JSON Schema}), with the object
   * storage routes or not, the export job routes or not, and with {@code GET /metrics} or not.
   */
  static ObjectNode document(Map<String, String> payloadSchemas, boolean objectStorage, boolean exports,
      boolean metrics) {
    ObjectNode doc = TEMPLATE.deepCopy();
    ((ObjectNode) doc.get("info")).put("version", VERSION);
    ObjectNode paths = (ObjectNode) doc.get("paths");
    List<String> emptied = new ArrayList<>();
    paths.properties().forEach(path -> {
      ObjectNode operations = (ObjectNode) path.getValue();
      for (Iterator<Map.Entry<String, JsonNode>> it = operations.properties().iterator(); it.hasNext(); ) {
        ObjectNode operation = (ObjectNode) it.next().getValue();
        JsonNode requires = operation.remove(REQUIRES);
        if (requires != null && !has(requires.asText(), objectStorage, exports, metrics)) {
          it.remove();
        }
      }
      if (operations.isEmpty()) {
        emptied.add(path.getKey());
      }
    });
    paths.remove(emptied);

    ObjectNode schemas = (ObjectNode) doc.path("components").path("schemas");
    ObjectNode anyResponse = (ObjectNode) schemas.get("AnyResponse");
    ArrayNode oneOf = anyResponse.putArray("oneOf");
    ObjectNode mapping = ((ObjectNode) anyResponse.get("discriminator")).putObject("mapping");
    new TreeMap<>(payloadSchemas).forEach((name, schema) -> {
      if (schemas.has(name)) { // payload type names are lower case, the document's own schemas are not
        throw new IllegalStateException("payload type '" + name + "' is named like a schema of the OpenAPI document");
      }
      schemas.set(name, Json.parse(schema));
      oneOf.addObject().put("$ref", REF + name);
      mapping.put(name, REF + name);
    });
    return doc;
  }

  private static boolean has(String requirement, boolean objectStorage, boolean exports, boolean metrics) {
    return switch (requirement) {
      case "object-storage" -> objectStorage;
      case "exports" -> exports;
      case "metrics" -> metrics;
      default -> throw new IllegalStateException(RESOURCE + ": unknown " + REQUIRES + " '" + requirement + "'");
    };
  }

  private static String version() {
    Properties p = new Properties();
    try (InputStream in = OpenApi.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = p.getProperty("version", "");
    return version.isBlank() || version.startsWith("${") ? "unknown" : version.trim();
  }

  private static ObjectNode load() {
    try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing from the class path: " + RESOURCE);
      }
      return (ObjectNode) Json.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
