package io.vxdata.exports;

import io.vxdata.ValidationException;

/** The file format of an export's outputs (docs/behaviour.md §14.5). */
public enum ExportFormat {
  /** One Parquet file per payload type, typed columns as {@code POST /query/parquet} writes them. */
  PARQUET("parquet"),
  /** One file per payload type of newline-delimited JSON: a resource per line, as {@code /query} returns it. */
  NDJSON("ndjson");

  private final String wireName;

  ExportFormat(String wireName) {
    this.wireName = wireName;
  }

  /** The name in requests and the file extension: {@code parquet} or {@code ndjson}. */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses {@code parquet} or {@code ndjson}.
   *
   * @throws ValidationException naming {@code format} otherwise
   */
  public static ExportFormat parse(String text) {
    for (ExportFormat f : values()) {
      if (f.wireName.equals(text)) {
        return f;
      }
    }
    throw ValidationException.of(null, "format", "must be 'parquet' or 'ndjson', not '%s'", text);
  }
}
