package io.vxdata.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.AsOf;
import io.vxdata.spi.Instants;
import io.vxdata.spi.ReleaseNames;
import io.vxdata.ValidationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Strict, typed access to the members of one JSON object of a request: unknown keys and wrong JSON
 * types fail with a {@link ValidationException} naming the member (as {@code prefix.key}).
 */
final class Members {

  private final ObjectNode node;
  private final String prefix;
  private final String identifier;

  private Members(ObjectNode node, String prefix, String identifier) {
    this.node = node;
    this.prefix = prefix;
    this.identifier = identifier;
  }

  /**
   * Checks that {@code json} is an object whose keys are all in {@code allowed}.
   *
   * @param what what the object is, for messages ("the request body")
   * @param prefix prepended to member names in violations ("" for a body)
   */
  static Members of(JsonNode json, String what, String prefix, Set<String> allowed) {
    Members members = object(json, what, prefix, null);
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw ValidationException.of(null, members.name(key), "unknown key '%s' in %s; allowed: %s", key, what,
            allowed.stream().sorted().toList());
      }
    }
    return members;
  }

  /** Checks only that {@code json} is an object (its keys are open, e.g. payload fields). */
  static Members object(JsonNode json, String what, String prefix, String identifier) {
    if (json == null || !json.isObject()) {
      throw ValidationException.of(identifier, prefix.isEmpty() ? null : prefix, "%s must be a JSON object, not %s",
          what, describe(json));
    }
    return new Members((ObjectNode) json, prefix, identifier);
  }

  ObjectNode node() {
    return node;
  }

  String name(String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  boolean has(String key) {
    return node.has(key);
  }

  /** The member, or {@code null} if absent or JSON null. */
  JsonNode get(String key) {
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? null : value;
  }

  JsonNode required(String key) {
    JsonNode value = get(key);
    if (value == null) {
      throw fail(key, "is required");
    }
    return value;
  }

  String string(String key) {
    JsonNode value = get(key);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw fail(key, "must be a string, not " + describe(value));
    }
    return value.asText();
  }

  String requiredString(String key) {
    required(key);
    return string(key);
  }

  Boolean bool(String key) {
    JsonNode value = get(key);
    if (value == null) {
      return null;
    }
    if (!value.isBoolean()) {
      throw fail(key, "must be true or false, not " + describe(value));
    }
    return value.asBoolean();
  }

  Integer integer(String key) {
    JsonNode value = get(key);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw fail(key, "must be an integer, not " + describe(value));
    }
    return value.asInt();
  }

  Long longValue(String key) {
    JsonNode value = get(key);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw fail(key, "must be an integer, not " + describe(value));
    }
    return value.asLong();
  }

  /** A list of strings, or {@code null} if absent. */
  List<String> strings(String key) {
    JsonNode value = get(key);
    if (value == null) {
      return null;
    }
    return strings(value, name(key));
  }

  List<String> requiredStrings(String key) {
    required(key);
    return strings(key);
  }

  /** A string or a list of strings, as a list; {@code null} if absent. */
  List<String> stringOrStrings(String key) {
    JsonNode value = get(key);
    if (value == null) {
      return null;
    }
    if (value.isTextual()) {
      return List.of(value.asText());
    }
    if (!value.isArray()) {
      throw fail(key, "must be a string or a list of strings, not " + describe(value));
    }
    return strings(value, name(key));
  }

  /**
   * The time a read asks for: an {@code as_of} member, a date or an offset date-time (docs/behaviour.md §4),
   * or a {@code release} member naming a release (§14.4); the latest state if neither.
   *
   * @throws ValidationException naming {@code release} if both are given or the name is malformed
   */
  AsOf asOf(String key, String releaseKey) {
    String text = string(key);
    String release = string(releaseKey);
    if (release != null) {
      if (text != null) {
        throw fail(releaseKey, "give either " + name(key) + " or " + name(releaseKey) + ", not both");
      }
      return AsOf.release(ReleaseNames.check(release, name(releaseKey)));
    }
    return text == null ? AsOf.latest() : AsOf.at(Instants.parse(text, name(key)));
  }

  /**
   * A time given as {@code as_of} is (docs/behaviour.md §4): a date or an offset date-time, truncated
   * to microseconds; {@code null} if absent.
   */
  Instant time(String key) {
    String text = string(key);
    return text == null ? null : Instants.parse(text, name(key));
  }

  /** A timestamp as responses write it, or {@code null}. */
  Instant instant(String key) {
    String text = string(key);
    return text == null ? null : Json.parseInstant(text, name(key));
  }

  ValidationException fail(String key, String message) {
    return ValidationException.of(identifier, name(key), "%s", message);
  }

  private List<String> strings(JsonNode value, String name) {
    if (!value.isArray()) {
      throw ValidationException.of(identifier, name, "must be a list of strings, not %s", describe(value));
    }
    List<String> out = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      if (!element.isTextual()) {
        throw ValidationException.of(identifier, name + "[" + i + "]", "must be a string, not %s", describe(element));
      }
      out.add(element.asText());
    }
    return out;
  }

  /** A short description of a JSON value for messages: its type and, when small, itself. */
  static String describe(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "nothing";
    }
    String type = value.isObject() ? "an object" : value.isArray() ? "a list" : value.isTextual() ? "a string"
        : value.isBoolean() ? "a boolean" : value.isNumber() ? "a number" : value.isNull() ? "null" : "a value";
    if (value.isContainerNode() || value.isNull()) {
      return type;
    }
    String text = value.toString();
    return type + " " + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
  }
}
