package io.vxdata.relation;

import io.vxdata.ValidationException;
import io.vxdata.spi.Identifiers;

/**
 * One link of a relation (docs/behaviour.md §15.1): {@code from} is linked to {@code to} by
 * {@code relation}. Written by {@link Relations#attach} and {@link Relations#detach}, read with
 * {@link io.vxdata.ReadOptions#withLinks()}.
 *
 * @param relation the registered relation's name
 * @param from the source resource
 * @param to the target resource
 */
public record Link(String relation, String from, String to) {

  /** @throws ValidationException naming the field if one is missing or malformed */
  public Link {
    if (relation == null || relation.isEmpty()) {
      throw ValidationException.of(null, "relation", "is required");
    }
    check(from, "from");
    check(to, "to");
  }

  private static void check(String identifier, String field) {
    if (identifier == null) {
      throw ValidationException.of(null, field, "is required");
    }
    if (!Identifiers.isValid(identifier)) {
      throw ValidationException.of(identifier, field, "%s", Identifiers.describeProblem(identifier));
    }
  }
}
