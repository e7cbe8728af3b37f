package io.vxdata.jdbc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.AccessLevel;
import io.vxdata.ValidationException;
import io.vxdata.spi.QueryValidator.QueryField;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque keyset cursors (docs/behaviour.md §6.5): base64url JSON holding the query's fingerprint, the pinned read
 * time and the last row's sort key, followed by an HMAC-SHA256 signature under the store's secret
 * (kept in {@code vx_meta}, so every process sharing the database accepts the others' cursors).
 */
final class Cursors {

  /** What a valid cursor carries. */
  record Position(Instant pinnedAt, List<Object> lastKey) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  /** One keyed MAC per thread: looking one up and keying it cost more than signing a cursor. */
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

  Cursors(String secret) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  /** A short digest of the canonical form of everything that defines a query's result. */
  static String fingerprint(JsonNode canonicalQuery) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(JSON.writeValueAsBytes(canonicalQuery));
      return ENCODER.encodeToString(digest).substring(0, 22);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  String encode(String fingerprint, Instant pinnedAt, List<Object> lastKey) {
    ObjectNode body = JSON.createObjectNode();
    body.put("q", fingerprint);
    body.put("t", ChronoUnit.MICROS.between(Instant.EPOCH, pinnedAt));
    ArrayNode keyValues = body.putArray("k");
    for (Object value : lastKey) {
      if (value == null) {
        keyValues.addNull();
      } else if (value instanceof Instant i) {
        keyValues.add(ChronoUnit.MICROS.between(Instant.EPOCH, i));
      } else if (value instanceof AccessLevel level) {
        keyValues.add(level.ordinal());
      } else if (value instanceof Long l) {
        keyValues.add(l);
      } else if (value instanceof Double d) {
        keyValues.add(d);
      } else if (value instanceof Boolean b) {
        keyValues.add(b);
      } else {
        keyValues.add(value.toString());
      }
    }
    try {
      byte[] payload = JSON.writeValueAsBytes(body);
      return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(sign(payload));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Checks and opens a cursor of the query with {@code fingerprint} whose sort key has
   * {@code keyFields}.
   *
   * @throws ValidationException on field {@code cursor} if it is malformed, tampered with or from
   *     another query
   */
  Position decode(String cursor, String fingerprint, List<QueryField> keyFields) {
    JsonNode body = open(cursor, fingerprint);
    JsonNode values = body.path("k");
    if (!values.isArray() || values.size() != keyFields.size()) {
      throw invalid();
    }
    List<Object> lastKey = new ArrayList<>();
    for (int i = 0; i < keyFields.size(); i++) {
      lastKey.add(value(keyFields.get(i), values.get(i)));
    }
    return new Position(pinnedAt(body), lastKey);
  }

  /**
   * Checks and opens a cursor whose key is one integer (a version number, for the pages of a history,
   * docs/behaviour.md §14.1).
   *
   * @throws ValidationException on field {@code cursor}, as {@link #decode} does
   */
  Position decodeInteger(String cursor, String fingerprint) {
    return decodeOne(cursor, fingerprint, JsonNode::isIntegralNumber, JsonNode::asLong);
  }

  /**
   * Checks and opens a cursor whose key is one text (a release's name, docs/behaviour.md §14.4).
   *
   * @throws ValidationException on field {@code cursor}, as {@link #decode} does
   */
  Position decodeText(String cursor, String fingerprint) {
    return decodeOne(cursor, fingerprint, JsonNode::isTextual, JsonNode::asText);
  }

  /**
   * Checks and opens a cursor whose key is integers and texts, as many as {@code sizes} allows (a
   * history's position, docs/behaviour.md §14.1).
   *
   * @throws ValidationException on field {@code cursor}, as {@link #decode} does
   */
  Position decodeMixed(String cursor, String fingerprint, Set<Integer> sizes) {
    JsonNode body = open(cursor, fingerprint);
    JsonNode values = body.path("k");
    if (!values.isArray() || !sizes.contains(values.size())) {
      throw invalid();
    }
    List<Object> key = new ArrayList<>();
    for (JsonNode v : values) {
      if (v.isIntegralNumber()) {
        key.add(v.asLong());
      } else if (v.isTextual()) {
        key.add(v.asText());
      } else {
        throw invalid();
      }
    }
    return new Position(pinnedAt(body), key);
  }

  private Position decodeOne(String cursor, String fingerprint, Predicate<JsonNode> isKey,
      Function<JsonNode, Object> key) {
    JsonNode body = open(cursor, fingerprint);
    JsonNode values = body.path("k");
    if (!values.isArray() || values.size() != 1 || !isKey.test(values.get(0))) {
      throw invalid();
    }
    return new Position(pinnedAt(body), List.of(key.apply(values.get(0))));
  }

  private static Instant pinnedAt(JsonNode body) {
    return Instant.EPOCH.plus(body.path("t").asLong(), ChronoUnit.MICROS);
  }

  /** The body of a cursor signed by this store for the query with {@code fingerprint}. */
  private JsonNode open(String cursor, String fingerprint) {
    int dot = cursor.indexOf('.');
    byte[] payload;
    byte[] signature;
    try {
      payload = DECODER.decode(cursor.substring(0, Math.max(dot, 0)));
      signature = DECODER.decode(cursor.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    if (dot < 0 || !MessageDigest.isEqual(sign(payload), signature)) {
      throw invalid();
    }
    JsonNode body;
    try {
      body = JSON.readTree(payload);
    } catch (Exception e) {
      throw invalid();
    }
    if (!fingerprint.equals(body.path("q").asText())) {
      throw ValidationException.of(null, "cursor",
          "belongs to another query; a cursor continues only the query whose page returned it");
    }
    return body;
  }

  private static Object value(QueryField field, JsonNode node) {
    if (node.isNull()) {
      return null;
    }
    if (field.isAccessLevel()) {
      return AccessLevel.values()[node.asInt()];
    }
    return switch (field.type()) {
      case STRING -> node.asText();
      case INTEGER -> node.asLong();
      case NUMBER -> node.asDouble();
      case BOOLEAN -> node.asBoolean();
      case DATE -> LocalDate.parse(node.asText());
      case DATE_TIME -> Instant.EPOCH.plus(node.asLong(), ChronoUnit.MICROS);
    };
  }

  private byte[] sign(byte[] payload) {
    return macs.get().doFinal(payload);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ValidationException invalid() {
    return ValidationException.of(null, "cursor", "is not a cursor this store issued, or was altered");
  }
}
