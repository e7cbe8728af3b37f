package io.vxdata.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vxdata.AccessLevel;
import io.vxdata.Fields;
import io.vxdata.Resource;
import io.vxdata.query.QueryPage;
import io.vxdata.schema.FieldType;
import io.vxdata.schema.PayloadField;
import io.vxdata.schema.PayloadType;
import io.vxdata.spi.Values;
import java.io.IOException;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Answers read straight from their JSON text into resources, token by token, for the answers that can
 * be large (a page, a read of many identifiers): the tree path ({@link ResourceJson#fromJson}) builds a
 * node per value and then maps it.
 *
 * <p>Only well-formed answers as the server writes them are read here. At the first thing the tree
 * path would reject or treat specially (a wrong JSON type, a missing member, a value its payload type
 * does not accept, malformed JSON, an object where a payload value should be) the methods return
 * {@code null} and the caller reads the same text with the tree path, which then gives its own answer
 * or exception: the errors stay those of one implementation.
 */
final class StreamingReader {

  /** Not something this reader takes on: the tree path reads the text instead. */
  private static final class Declined extends Exception {
    private static final Declined INSTANCE = new Declined();

    private Declined() {
      super(null, null, false, false);
    }
  }

  private StreamingReader() {}

  /** A JSON array of resources, or {@code null} to leave it to the tree path. */
  static List<Resource> resources(byte[] json, Function<String, PayloadType> types) {
    if (json == null || json.length == 0) {
      return null;
    }
    try (JsonParser p = parser(json)) {
      List<Resource> out = list(p, p.nextToken(), types);
      return p.nextToken() == null ? out : null;
    } catch (Declined | IOException | RuntimeException e) {
      return null;
    }
  }

  /** A page {@code {results, next_cursor, limit}}, or {@code null} to leave it to the tree path. */
  static QueryPage page(byte[] json, Instant asOf, Function<String, PayloadType> types) {
    if (json == null || json.length == 0) {
      return null;
    }
    try (JsonParser p = parser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      List<Resource> results = null;
      String nextCursor = null;
      Integer limit = null;
      int seen = 0;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "results" -> {
            seen = once(seen, 1);
            results = v == JsonToken.VALUE_NULL ? null : list(p, v, types);
          }
          case "next_cursor" -> {
            seen = once(seen, 2);
            nextCursor = string(p, v);
          }
          case QueryJson.LIMIT -> {
            seen = once(seen, 4);
            if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
              limit = p.getIntValue();
            } else if (v == JsonToken.VALUE_NULL) {
              limit = null;
            } else {
              return null;
            }
          }
          default -> {
            return null; // not in a page the server writes: the tree path checks it (duplicate keys too)
          }
        }
      }
      if (t != JsonToken.END_OBJECT || results == null || p.nextToken() != null) {
        return null;
      }
      return new QueryPage(results, nextCursor, limit == null ? results.size() : limit, asOf);
    } catch (Declined | IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * A parser without Jackson's duplicate-key check, which costs a hash set per object: the reader
   * checks duplicates itself (a duplicate is declined, and the tree path rejects it).
   */
  private static JsonParser parser(byte[] json) throws IOException {
    JsonParser p = Json.parser(json);
    p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return p;
  }

  /** Marks the member {@code bit} as seen; a second time is declined. */
  private static int once(int seen, int bit) throws Declined {
    if ((seen & bit) != 0) {
      throw Declined.INSTANCE;
    }
    return seen | bit;
  }

  private static List<Resource> list(JsonParser p, JsonToken start, Function<String, PayloadType> types)
      throws IOException, Declined {
    if (start != JsonToken.START_ARRAY) {
      throw Declined.INSTANCE;
    }
    List<Resource> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
      out.add(resource(p, types));
    }
    if (t != JsonToken.END_ARRAY) {
      throw Declined.INSTANCE;
    }
    return out;
  }

  /** One resource object, as {@link ResourceJson#fromJson} reads it; the parser is on its START_OBJECT. */
  private static Resource resource(JsonParser p, Function<String, PayloadType> types) throws IOException, Declined {
    String identifier = null;
    String parent = null;
    String payloadType = null;
    String license = null;
    String accessLevel = null;
    List<String> derivedFrom = null;
    List<String> children = null;
    Boolean deleted = null;
    Boolean canEdit = null;
    Long version = null;
    String createdAt = null;
    String updatedAt = null;
    String createdBy = null;
    String updatedBy = null;
    Map<String, Object> others = new LinkedHashMap<>();
    int seen = 0;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case Fields.IDENTIFIER -> {
          seen = once(seen, 1);
          identifier = string(p, v);
        }
        case Fields.PARENT_IDENTIFIER -> {
          seen = once(seen, 1 << 1);
          parent = string(p, v);
        }
        case Fields.PAYLOAD_TYPE -> {
          seen = once(seen, 1 << 2);
          payloadType = string(p, v);
        }
        case Fields.LICENSE -> {
          seen = once(seen, 1 << 3);
          license = string(p, v);
        }
        case Fields.ACCESS_LEVEL -> {
          seen = once(seen, 1 << 4);
          accessLevel = string(p, v);
        }
        case Fields.DERIVED_FROM -> {
          seen = once(seen, 1 << 5);
          derivedFrom = strings(p, v);
        }
        case Fields.CHILDREN -> {
          seen = once(seen, 1 << 6);
          children = strings(p, v);
        }
        case Fields.IS_DELETED -> {
          seen = once(seen, 1 << 7);
          deleted = bool(v);
        }
        case Fields.CAN_EDIT -> {
          seen = once(seen, 1 << 13);
          canEdit = bool(v);
        }
        case Fields.VERSION -> {
          seen = once(seen, 1 << 8);
          if (v == JsonToken.VALUE_NULL) {
            version = null;
          } else if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            version = p.getLongValue();
          } else {
            throw Declined.INSTANCE;
          }
        }
        case Fields.CREATED_AT -> {
          seen = once(seen, 1 << 9);
          createdAt = string(p, v);
        }
        case Fields.UPDATED_AT -> {
          seen = once(seen, 1 << 10);
          updatedAt = string(p, v);
        }
        case Fields.CREATED_BY -> {
          seen = once(seen, 1 << 11);
          createdBy = string(p, v);
        }
        case Fields.UPDATED_BY -> {
          seen = once(seen, 1 << 12);
          updatedBy = string(p, v);
        }
        default -> {
          if (Fields.RESERVED.contains(name) || name.equals(Fields.LINKS) || others.containsKey(name)) {
            throw Declined.INSTANCE; // a reserved key not read above, links, or a duplicate: the tree path's to handle
          }
          others.put(name, plain(p, v));
        }
      }
    }
    if (t != JsonToken.END_OBJECT || identifier == null || payloadType == null) {
      throw Declined.INSTANCE;
    }
    PayloadType type = types.apply(payloadType);
    Map<String, Object> payload = new LinkedHashMap<>();
    if (type != null) {
      for (PayloadField field : type.fields()) {
        if (others.containsKey(field.name())) {
          Object plain = others.get(field.name());
          if (field.type() == FieldType.DATE && !field.list() && plain instanceof String text) {
            plain = date(text);
          }
          payload.put(field.name(), plain == null ? null
              : field.list() ? Values.coerceList(field.type(), plain) : Values.coerce(field.type(), plain));
        }
      }
    }
    if (payload.size() < others.size()) {
      for (Map.Entry<String, Object> e : others.entrySet()) {
        if (!payload.containsKey(e.getKey())) {
          payload.put(e.getKey(), e.getValue());
        }
      }
    }
    return new Resource(identifier, parent, payloadType, license,
        accessLevel == null ? AccessLevel.DEFAULT : AccessLevel.parse(accessLevel),
        derivedFrom == null ? List.of() : derivedFrom, deleted != null && deleted, version == null ? 0 : version,
        instant(createdAt), instant(updatedAt), createdBy, updatedBy, payload, Optional.ofNullable(children),
        Optional.empty(), Optional.ofNullable(canEdit));
  }

  /**
   * A {@code yyyy-mm-dd} date read by hand ({@code LocalDate.parse} costs about 1 µs); any other text
   * as it is, for {@link Values#coerce} to parse or reject.
   */
  private static Object date(String s) {
    if (s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
      return s;
    }
    int year = 0;
    int month = 0;
    int day = 0;
    for (int i = 0; i < 10; i++) {
      char c = s.charAt(i);
      if (i == 4 || i == 7) {
        continue;
      }
      if (c < '0' || c > '9') {
        return s;
      }
      if (i < 4) {
        year = year * 10 + (c - '0');
      } else if (i < 7) {
        month = month * 10 + (c - '0');
      } else {
        day = day * 10 + (c - '0');
      }
    }
    try {
      return LocalDate.of(year, month, day);
    } catch (DateTimeException e) {
      return s;
    }
  }

  private static Instant instant(String text) {
    return text == null ? null : Json.parseInstant(text, "");
  }

  /** A boolean member; JSON null as absent, as {@code Members} reads it. */
  private static Boolean bool(JsonToken v) throws Declined {
    return switch (v) {
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw Declined.INSTANCE;
    };
  }

  /** A string member; JSON null as absent, as {@code Members} reads it. */
  private static String string(JsonParser p, JsonToken v) throws IOException, Declined {
    if (v == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    throw Declined.INSTANCE;
  }

  private static List<String> strings(JsonParser p, JsonToken v) throws IOException, Declined {
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    if (v != JsonToken.START_ARRAY) {
      throw Declined.INSTANCE;
    }
    List<String> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.VALUE_STRING) {
      out.add(p.getText());
    }
    if (t != JsonToken.END_ARRAY) {
      throw Declined.INSTANCE;
    }
    return out;
  }

  /** The plain Java value of {@link Json#plainValue} for the value at {@code v}; objects are declined. */
  private static Object plain(JsonParser p, JsonToken v) throws IOException, Declined {
    switch (v) {
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? toLongOr(p.getBigIntegerValue())
            : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        if (p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL) {
          throw Declined.INSTANCE;
        }
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t == null) {
            throw Declined.INSTANCE;
          }
          list.add(plain(p, t));
        }
        return list;
      }
      default:
        throw Declined.INSTANCE;
    }
  }

  private static Object toLongOr(BigInteger value) {
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }
}
