package io.vxdata.exports;

/**
 * One file an export wrote.
 *
 * @param payloadType the payload type of its rows
 * @param path where it is, {@code s3://bucket/key}
 * @param url a presigned GET of it, made when a status is answered; {@code null} in a stored manifest
 * @param rows the number of rows (resources, or deleted identifiers)
 * @param bytes the file's size
 * @param sha256 the SHA-256 of its bytes, in lower-case hex
 */
public record ExportOutput(String payloadType, String path, String url, long rows, long bytes, String sha256) {

  /** This output with a presigned URL. */
  public ExportOutput withUrl(String url) {
    return new ExportOutput(payloadType, path, url, rows, bytes, sha256);
  }
}
