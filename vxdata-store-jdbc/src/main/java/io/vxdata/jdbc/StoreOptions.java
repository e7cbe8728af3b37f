package io.vxdata.jdbc;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
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
 * @param poolMetrics where the connection pool reports its metrics (HikariCP's, e.g. its
 *     {@code MicrometerMetricsTrackerFactory} over a Micrometer registry), or {@code null} for nowhere
 */
public record StoreOptions(String jdbcUrl, String user, String password, int maxPoolSize, Clock clock,
    MetricsTrackerFactory poolMetrics) {

  /** Connections a store opens unless told otherwise. */
  public static final int DEFAULT_POOL_SIZE = 10;

  public StoreOptions {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(clock, "clock");
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1, not " + maxPoolSize);
    }
  }

  /** Options without pool metrics. */
  public StoreOptions(String jdbcUrl, String user, String password, int maxPoolSize, Clock clock) {
    this(jdbcUrl, user, password, maxPoolSize, clock, null);
  }

  /** Options for {@code jdbcUrl} with no credentials, the default pool size and the system clock. */
  public static StoreOptions of(String jdbcUrl) {
    return new StoreOptions(jdbcUrl, null, null, DEFAULT_POOL_SIZE, Clock.systemUTC());
  }

  /** These options with credentials. */
  public StoreOptions withCredentials(String user, String password) {
    return new StoreOptions(jdbcUrl, user, password, maxPoolSize, clock, poolMetrics);
  }

  /** These options with another pool size. */
  public StoreOptions withMaxPoolSize(int maxPoolSize) {
    return new StoreOptions(jdbcUrl, user, password, maxPoolSize, clock, poolMetrics);
  }

  /** These options with another clock for transaction times. */
  public StoreOptions withClock(Clock clock) {
    return new StoreOptions(jdbcUrl, user, password, maxPoolSize, clock, poolMetrics);
  }

  /** These options with the pool reporting its metrics to {@code poolMetrics} ({@code null}: nowhere). */
  public StoreOptions withPoolMetrics(MetricsTrackerFactory poolMetrics) {
    return new StoreOptions(jdbcUrl, user, password, maxPoolSize, clock, poolMetrics);
  }
}
