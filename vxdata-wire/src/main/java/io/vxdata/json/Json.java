package io.vxdata.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.AccessLevel;
import io.vxdata.AsOf;
import io.vxdata.ValidationException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON basics shared by the VxData HTTP server and client: parsing bodies, writing timestamps
 * (ISO 8601 with offset and exactly six fraction digits, e.g. {@code 2026-01-02T03:04:05.123456Z})
 * and converting payload values to JSON.
 */
public final class Json {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);

  /**
   * The response header stating the transaction time a read was made at, or a write committed at
   * (ISO 8601, UTC, microseconds).
   */
  public static final String AS_OF_HEADER = "VxData-As-Of";

  /** The request member and query parameter naming a release to read at, in place of {@code as_of}. */
  public static final String RELEASE = "release";

  private Json() {}

  /** A shared, thread-safe mapper: strict about trailing tokens and duplicate keys. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The node factory used for every node the codec builds. */
  static JsonNodeFactory nodes() {
    return JsonNodeFactory.instance;
  }

  /**
   * Parses a JSON document.
   *
   * @throws MalformedJsonException if the bytes are empty or not one well-formed JSON value
   */
  public static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw new MalformedJsonException("the request body is empty; a JSON document is required", null);
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new MalformedJsonException("the request body holds no JSON value", null);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new MalformedJsonException("malformed JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr()), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a JSON text; see {@link #parse(byte[])}. */
  public static JsonNode parse(String text) {
    return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Serializes a node to UTF-8 bytes. */
  public static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
  }

  /** An instant as on the wire: UTC, microseconds, e.g. {@code 2026-01-02T03:04:05.123456Z}. */
  public static String formatInstant(Instant instant) {
    // By hand for the years 0-9999 (every instant a store holds): the formatter costs about 1 µs a
    // call, and a page of resources writes two per resource. Same text as TIMESTAMP.
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
    int year = t.getYear();
    if (year < 0 || year > 9999) {
      return TIMESTAMP.format(instant);
    }
    char[] c = new char[27];
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, t.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, t.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, t.getHour(), 2);
    c[13] = ':';
    digits(c, 14, t.getMinute(), 2);
    c[16] = ':';
    digits(c, 17, t.getSecond(), 2);
    c[19] = '.';
    digits(c, 20, t.getNano() / 1000, 6);
    c[26] = 'Z';
    return new String(c);
  }

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** Puts {@code as_of}, or {@code release} for a release, into a request body unless it reads the latest state. */
  public static void putAsOf(ObjectNode node, AsOf asOf) {
    asOf.instant().ifPresent(t -> node.put("as_of", formatInstant(t)));
    asOf.release().ifPresent(name -> node.put(RELEASE, name));
  }

  /**
   * Parses a timestamp written with an offset, as responses carry them.
   *
   * @throws ValidationException naming {@code field} if the text is not an offset date-time
   */
  public static Instant parseInstant(String text, String field) {
    Instant wire = parseWireInstant(text);
    if (wire != null) {
      return wire;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException | NullPointerException e) {
      throw ValidationException.of(null, field, "'%s' is not an ISO 8601 date-time with offset", text);
    }
  }

  /**
   * The exact wire form {@code uuuu-MM-ddTHH:mm:ss.SSSSSSZ} read by hand (OffsetDateTime.parse costs
   * a few µs), or {@code null} for any other text or an invalid date or time, which the general parse
   * then reads or rejects.
   */
  private static Instant parseWireInstant(String s) {
    if (s == null || s.length() != 27 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(19) != '.' || s.charAt(26) != 'Z') {
      return null;
    }
    int year = number(s, 0, 4);
    int month = number(s, 5, 2);
    int day = number(s, 8, 2);
    int hour = number(s, 11, 2);
    int minute = number(s, 14, 2);
    int second = number(s, 17, 2);
    int micros = number(s, 20, 6);
    if ((year | month | day | hour | minute | second | micros) < 0) {
      return null;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The decimal number of {@code width} ASCII digits at {@code at}, or -1. */
  private static int number(String s, int at, int width) {
    int n = 0;
    for (int i = at; i < at + width; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /**
   * The JSON form of a payload or filter value: strings, numbers, booleans, dates as
   * {@code yyyy-mm-dd}, instants in the wire format (other date-times as ISO text with their offset),
   * enums by name ({@link AccessLevel} by wire name), lists element-wise.
   *
   * @throws IllegalArgumentException for any other Java type
   */
  public static JsonNode value(Object value) {
    JsonNodeFactory f = nodes();
    if (value == null) {
      return f.nullNode();
    }
    if (value instanceof String s) {
      return f.textNode(s);
    }
    if (value instanceof Boolean b) {
      return f.booleanNode(b);
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return f.numberNode(((Number) value).longValue());
    }
    if (value instanceof BigInteger b) {
      return f.numberNode(b);
    }
    if (value instanceof BigDecimal d) {
      return f.numberNode(d);
    }
    if (value instanceof Double d) {
      return f.numberNode(d);
    }
    if (value instanceof Float d) {
      return f.numberNode(d.doubleValue());
    }
    if (value instanceof Instant i) {
      // Full precision: the receiving store truncates to microseconds, exactly as in-process.
      return f.textNode(i.getNano() % 1000 == 0 ? formatInstant(i) : i.toString());
    }
    if (value instanceof LocalDate || value instanceof OffsetDateTime) {
      return f.textNode(value.toString());
    }
    if (value instanceof ZonedDateTime z) {
      return f.textNode(z.toOffsetDateTime().toString());
    }
    if (value instanceof AccessLevel level) {
      return f.textNode(level.wireName());
    }
    if (value instanceof Enum<?> e) {
      return f.textNode(e.name());
    }
    if (value instanceof List<?> list) {
      ArrayNode array = f.arrayNode();
      list.forEach(v -> array.add(value(v)));
      return array;
    }
    if (value instanceof JsonNode node) {
      return node;
    }
    throw new IllegalArgumentException("a " + value.getClass().getName() + " cannot be sent as JSON; use a "
        + "String, Number, Boolean, LocalDate, Instant, OffsetDateTime or a List of those");
  }

  /**
   * Writes {@code value} as {@link #value(Object)} converts it, straight to {@code g}: the same JSON
   * text, without building a node.
   *
   * @throws IllegalArgumentException for a Java type {@link #value(Object)} rejects
   */
  public static void writeValue(JsonGenerator g, Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (value instanceof BigDecimal d) {
      g.writeNumber(d);
    } else if (value instanceof Double d) {
      g.writeNumber(d.doubleValue());
    } else if (value instanceof Float d) {
      g.writeNumber(d.doubleValue());
    } else if (value instanceof List<?> list) {
      g.writeStartArray();
      for (Object v : list) {
        writeValue(g, v);
      }
      g.writeEndArray();
    } else if (value instanceof JsonNode node) {
      MAPPER.writeTree(g, node);
    } else {
      // Dates, times and enums: their text, as value() makes it (it rejects any other type).
      g.writeString(value(value).textValue());
    }
  }

  /** A generator of compact UTF-8 JSON to {@code out} (closing it does not close {@code out}). */
  public static JsonGenerator generator(OutputStream out) throws IOException {
    JsonGenerator g = MAPPER.createGenerator(out, JsonEncoding.UTF8);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return g;
  }

  /** A parser of {@code json}, as strict as {@link #parse(byte[])} about duplicate keys. */
  static JsonParser parser(byte[] json) throws IOException {
    return MAPPER.createParser(json);
  }

  /**
   * The plain Java value of a JSON node, as payloads and filter values arrive: String, Long (or
   * BigInteger), Double (or BigDecimal), Boolean, List, or null; objects stay nodes, for the type
   * checks to reject.
   */
  static Object plainValue(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? (Object) node.asLong() : node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return node.isBigDecimal() ? node.decimalValue() : (Object) node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(plainValue(n)));
      return list;
    }
    return node;
  }

  /** A JSON array of strings. */
  static ArrayNode strings(List<String> values) {
    ArrayNode array = nodes().arrayNode();
    values.forEach(array::add);
    return array;
  }

  /** Puts {@code value} under {@code key}, {@code null} as JSON null. */
  static void putNullable(ObjectNode node, String key, String value) {
    if (value == null) {
      node.putNull(key);
    } else {
      node.put(key, value);
    }
  }
}
