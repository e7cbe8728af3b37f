package io.vxdata;

import java.util.Objects;

/**
 * One problem found in a request: which resource, which field, and what is wrong.
 *
 * @param identifier the resource identifier the problem concerns, or {@code null} if none applies
 * @param field the field (metadata, payload or request field), or {@code null} if none applies
 * @param message a human-readable description that makes sense on its own
 */
public record Violation(String identifier, String field, String message) {

  public Violation {
    Objects.requireNonNull(message, "message");
  }

  /** Renders as {@code identifier 'x', field 'f': message}, leaving out the parts that are absent. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (identifier != null) {
      sb.append("identifier '").append(identifier).append("'");
    }
    if (field != null) {
      sb.append(sb.isEmpty() ? "" : ", ").append("field '").append(field).append("'");
    }
    return sb.isEmpty() ? message : sb.append(": ").append(message).toString();
  }
}
