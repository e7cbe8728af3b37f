package io.vxdata;

import java.time.Instant;
import java.util.Objects;

/**
 * A patient or study just registered (docs/behaviour.md §5, §12.4): its server-allocated identifier and the
 * transaction time it was created at (its {@code created_at}).
 *
 * @param identifier the new resource's identifier: opaque, URL-safe, unique and time-ordered
 * @param committedAt the transaction time of the registration
 */
public record Registration(String identifier, Instant committedAt) {

  public Registration {
    Objects.requireNonNull(identifier, "identifier");
    Objects.requireNonNull(committedAt, "committedAt");
  }
}
