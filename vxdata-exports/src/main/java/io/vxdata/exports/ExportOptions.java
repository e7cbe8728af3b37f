package io.vxdata.exports;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How an {@link Exports} service runs its jobs.
 *
 * @param workers jobs that run at once
 * @param queueCapacity jobs that may wait for a worker; one more is refused ({@link ExportQueueFullException})
 * @param keyPrefix the folder of the bucket the jobs' files go under, one folder per job
 * @param partBytes the part size of the streamed uploads: the memory one running job holds for its file
 * @param batchRows rows between two checks for cancellation and two progress updates
 * @param logInterval how often a running job logs its progress and ETA
 * @param listener told of every batch
 * @param lease how long a running job's service may go silent before another service on the database
 *     takes the job over (the running service renews it every second); the servers' clocks must agree
 *     to well within it
 * @param retention how long a job that has ended (and its files) is kept after it ended; then any
 *     service on the database removes both
 */
public record ExportOptions(int workers, int queueCapacity, String keyPrefix, int partBytes, int batchRows,
    Duration logInterval, ExportListener listener, Duration lease, Duration retention) {

  /** Jobs that run at once unless configured otherwise. */
  public static final int DEFAULT_WORKERS = 2;
  /** Jobs that may wait unless configured otherwise. */
  public static final int DEFAULT_QUEUE = 16;
  /** How long a job's service may go silent unless configured otherwise. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  /** How long an ended job is kept unless configured otherwise. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  public ExportOptions {
    Objects.requireNonNull(logInterval, "logInterval");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(lease, "lease");
    if (retention == null || retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("the retention must be positive, not " + retention);
    }
    if (lease.compareTo(Duration.ofSeconds(5)) < 0) {
      // Renewed every second: a shorter lease would take jobs from services that are merely busy.
      throw new IllegalArgumentException("the lease must be at least 5 s, not " + lease);
    }
    if (workers < 1 || queueCapacity < 0 || batchRows < 1) {
      throw new IllegalArgumentException("need at least one worker, a queue of 0 or more, batches of 1 row or more");
    }
    if (partBytes < (5 << 20)) {
      throw new IllegalArgumentException("upload parts must be at least 5 MiB (S3's smallest), not " + partBytes);
    }
    if (keyPrefix == null || !PREFIX.matcher(keyPrefix).matches() || keyPrefix.matches("\\.+")) {
      throw new IllegalArgumentException("the key prefix must be 1-128 characters of [A-Za-z0-9._-], not " + keyPrefix);
    }
  }

  /**
   * 2 workers, 16 waiting, files under {@code exports/}, 8 MiB parts, batches of 1,000 rows, a log line
   * every 10 s, a 30 s lease, ended jobs kept 7 days.
   */
  public static ExportOptions defaults() {
    return new ExportOptions(DEFAULT_WORKERS, DEFAULT_QUEUE, "exports", io.vxdata.s3.ObjectStorage.DEFAULT_PART_BYTES,
        1000, Duration.ofSeconds(10), ExportListener.NONE, DEFAULT_LEASE, DEFAULT_RETENTION);
  }

  /** These options with other worker and queue sizes. */
  public ExportOptions withConcurrency(int workers, int queueCapacity) {
    return new ExportOptions(workers, queueCapacity, keyPrefix, partBytes, batchRows, logInterval, listener, lease, retention);
  }

  /** These options with another batch size. */
  public ExportOptions withBatchRows(int batchRows) {
    return new ExportOptions(workers, queueCapacity, keyPrefix, partBytes, batchRows, logInterval, listener, lease, retention);
  }

  /** These options with another listener. */
  public ExportOptions withListener(ExportListener listener) {
    return new ExportOptions(workers, queueCapacity, keyPrefix, partBytes, batchRows, logInterval, listener, lease, retention);
  }

  /** These options with another key prefix. */
  public ExportOptions withKeyPrefix(String keyPrefix) {
    return new ExportOptions(workers, queueCapacity, keyPrefix, partBytes, batchRows, logInterval, listener, lease, retention);
  }

  /** These options with another lease. */
  public ExportOptions withLease(Duration lease) {
    return new ExportOptions(workers, queueCapacity, keyPrefix, partBytes, batchRows, logInterval, listener, lease, retention);
  }

  /** These options with another retention. */
  public ExportOptions withRetention(Duration retention) {
    return new ExportOptions(workers, queueCapacity, keyPrefix, partBytes, batchRows, logInterval, listener, lease,
        retention);
  }
}
