package io.vxdata.jdbc;

import java.time.Clock;
import java.util.Objects;

/**
 * How {@link VxDataStore#open(StoreOptions)} connects.
 *
 * @param jdbcUrl a {@code jdbc:h2:} or {@code jdbc:postgresql:} URL
 * @param user database user, or {@code null}
 * @param password database password, or {@code null}
 * @param maxPoolSize the most connections the pool opens
 * @param clock source of transaction times; tests may drive it, production uses the system clock
 */
public record StoreOptions(String jdbcUrl, String user, String password, int maxPoolSize, Clock clock) {

  /** Connections a store opens unless told otherwise. */
  public static final int DEFAULT_POOL_SIZE = 10;

  public StoreOptions {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(clock, "clock");
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1, not " + maxPoolSize);
    }
  }

  /** Options for {@code jdbcUrl} with no credentials, the default pool size and the system clock. */
  public static StoreOptions of(String jdbcUrl) {
    return new StoreOptions(jdbcUrl, null, null, DEFAULT_POOL_SIZE, Clock.systemUTC());
  }

  /** These options with credentials. */
  public StoreOptions withCredentials(String user, String password) {
    return new StoreOptions(jdbcUrl, user, password, maxPoolSize, clock);
  }

  /** These options with another pool size. */
  public StoreOptions withMaxPoolSize(int maxPoolSize) {
    return new StoreOptions(jdbcUrl, user, password, maxPoolSize, clock);
  }

  /** These options with another clock for transaction times. */
  public StoreOptions withClock(Clock clock) {
    return new StoreOptions(jdbcUrl, user, password, maxPoolSize, clock);
  }
}
