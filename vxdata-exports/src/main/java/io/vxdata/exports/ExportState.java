package io.vxdata.exports;

/** Where an export job is in its life (docs/behaviour.md §14.5). */
public enum ExportState {
  /** Waiting for a worker. */
  QUEUED,
  /** Being written. */
  RUNNING,
  /** Written: its manifest lists the files. */
  FINISHED,
  /** Stopped by an error, which its status names. */
  FAILED,
  /** Cancelled before it finished; nothing of it is left in object storage. */
  CANCELLED;

  /** The name on the wire: the constant in lower case. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether the job will not change any more (finished, failed or cancelled). */
  public boolean ended() {
    return this != QUEUED && this != RUNNING;
  }

  /** The state named {@code wireName}. */
  public static ExportState parse(String wireName) {
    return valueOf(wireName.toUpperCase(java.util.Locale.ROOT));
  }
}
