package io.vxdata.s3;

import io.vxdata.NotFoundException;
import io.vxdata.StoreException;
import io.vxdata.ValidationException;
import io.vxdata.parquet.ParquetPreview;
import io.vxdata.spi.Limits;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Artefact files in one S3-compatible bucket (docs/behaviour.md §9): presigned upload and download URLs, listing, and
 * a Parquet preview that fetches only the footer and the row groups it needs. Every name is checked
 * before a request leaves the process; a bad one is a {@link ValidationException} naming the
 * problem. Thread-safe.
 */
public final class ObjectStorage implements AutoCloseable {

  /** A presigned URL and the object path it is for. */
  public record Presigned(String url, String path) {}

  /** The shared prefix of an upload directory and one presigned PUT per relative path, in order. */
  public record UploadDirectory(String root, List<Presigned> items) {}

  /** What clients need to know of the configuration: no secrets. */
  public record Config(String endpoint, String bucket) {}

  /** Which way a presigned URL transfers. */
  public enum Direction {
    UPLOAD,
    DOWNLOAD;

    /**
     * Parses {@code upload} or {@code download}.
     *
     * @throws ValidationException naming {@code direction} otherwise
     */
    public static Direction parse(String text) {
      if ("upload".equals(text)) {
        return UPLOAD;
      }
      if ("download".equals(text)) {
        return DOWNLOAD;
      }
      throw ValidationException.of(null, "direction", "must be 'upload' or 'download', not '%s'", text);
    }
  }

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final char[] DIGITS = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final S3Settings settings;
  private final ObjectPaths paths;
  private final S3Client s3;
  private final S3Presigner presigner;

  private ObjectStorage(S3Settings settings, S3Client s3, S3Presigner presigner) {
    this.settings = settings;
    this.paths = new ObjectPaths(settings.bucket());
    this.s3 = s3;
    this.presigner = presigner;
  }

  /** A client of the store described by {@code settings}; no request is made yet. */
  public static ObjectStorage connect(S3Settings settings) {
    AwsCredentialsProvider credentials = settings.accessKey() == null ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    // No aws-chunked bodies (the SDK's default over plain HTTP): the whole body is signed, under a Content-Length
    // of its own. A server may answer a chunked upload once it has read the object's bytes, before the closing
    // chunk arrives, then drop the connection: the client fails writing that chunk, often on every retry
    // (S3Proxy under load, for small objects). The parts are in memory already, so hashing them first costs
    // nothing more. Over HTTPS nothing changes: the SDK does not sign the payload there.
    S3Configuration s3Config = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle())
        .chunkedEncodingEnabled(false).build();
    Region region = Region.of(settings.region());
    // Checksums only where S3 requires them: many S3-compatible stores know no newer checksum headers.
    var client = S3Client.builder().region(region).credentialsProvider(credentials).serviceConfiguration(s3Config)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClient(UrlConnectionHttpClient.builder().build());
    var presigner = S3Presigner.builder().region(region).credentialsProvider(credentials)
        .serviceConfiguration(s3Config);
    if (settings.endpoint() != null) {
      client.endpointOverride(settings.endpoint());
      presigner.endpointOverride(settings.endpoint());
    }
    return new ObjectStorage(settings, client.build(), presigner.build());
  }

  public S3Settings settings() {
    return settings;
  }

  /** The endpoint and bucket, for {@code GET /s3/config}. */
  public Config config() {
    URI endpoint = settings.endpoint();
    return new Config(endpoint == null ? "https://s3." + settings.region() + ".amazonaws.com" : endpoint.toString(),
        settings.bucket());
  }

  /** A presigned PUT for a fresh key {@code group/<fresh>/filename}. */
  public Presigned presignUpload(String group, String filename) {
    String key = paths.group(group) + "/" + fresh() + "/" + paths.filename(filename);
    return new Presigned(putUrl(key), paths.path(key));
  }

  /** A presigned GET of an object in the bucket. */
  public Presigned presignDownload(String path) {
    String key = paths.key(path, "path", false);
    return new Presigned(call(() -> presigner.presignGetObject(r -> r.signatureDuration(settings.presignExpiry())
        .getObjectRequest(g -> g.bucket(settings.bucket()).key(key))).url().toString()), paths.path(key));
  }

  /** One fresh prefix {@code group/<fresh>/} and a presigned PUT per relative path, in order. */
  public UploadDirectory presignUploadDirectory(String group, List<String> relpaths) {
    if (relpaths == null || relpaths.isEmpty()) {
      throw ValidationException.of(null, "relpaths", "must list at least one relative path");
    }
    Limits.checkCount(relpaths.size(), Limits.MAX_PRESIGN_ITEMS, "relpaths", "relative paths");
    String root = paths.group(group) + "/" + fresh() + "/";
    for (int i = 0; i < relpaths.size(); i++) {
      paths.relpath(relpaths.get(i), i);
    }
    List<Presigned> items = new ArrayList<>(relpaths.size());
    for (String relpath : relpaths) {
      String key = root + relpath;
      items.add(new Presigned(putUrl(key), paths.path(key)));
    }
    return new UploadDirectory(paths.path(root), items);
  }

  /** Every key under {@code prefix} (an {@code s3://bucket/...} path), following continuation tokens. */
  public List<String> list(String prefix) {
    String keyPrefix = paths.key(prefix, "prefix", true);
    List<String> keys = new ArrayList<>();
    String token = null;
    do {
      String continuation = token;
      ListObjectsV2Response page = call(() -> s3.listObjectsV2(ListObjectsV2Request.builder()
          .bucket(settings.bucket()).prefix(keyPrefix).continuationToken(continuation).build()));
      page.contents().stream().map(S3Object::key).forEach(keys::add);
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    return keys;
  }

  /** Rows {@code offset..offset+limit-1} of a Parquet object, fetching only what they need. */
  public ParquetPreview.Preview previewParquet(String path, long offset, int limit) {
    return previewParquetMeasured(path, offset, limit).preview();
  }

  /**
   * A preview and what it cost.
   *
   * @param preview the rows
   * @param requests the ranged GETs made
   * @param bytesFetched the bytes the server sent
   * @param objectSize the size of the whole object
   */
  public record MeasuredPreview(ParquetPreview.Preview preview, long requests, long bytesFetched, long objectSize) {}

  /** As {@link #previewParquet}, also counting the GETs and bytes it took. */
  public MeasuredPreview previewParquetMeasured(String path, long offset, int limit) {
    String key = paths.key(path, "path", false);
    if (offset < 0) {
      throw ValidationException.of(null, "offset", "must be >= 0, not %d", offset);
    }
    if (limit < 1 || limit > ParquetPreview.MAX_LIMIT) {
      throw ValidationException.of(null, "limit", "must be between 1 and %d, not %d", ParquetPreview.MAX_LIMIT, limit);
    }
    HeadObjectResponse head;
    try {
      head = s3.headObject(h -> h.bucket(settings.bucket()).key(key));
    } catch (NoSuchKeyException e) {
      throw NotFoundException.of(null, "no object at %s", paths.path(key));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw NotFoundException.of(null, "no object at %s", paths.path(key));
      }
      throw failure(e);
    } catch (SdkException e) {
      throw failure(e);
    }
    S3InputFile file = new S3InputFile(s3, settings.bucket(), key, head.contentLength());
    try {
      ParquetPreview.Preview preview = ParquetPreview.read(file, offset, limit);
      return new MeasuredPreview(preview, file.requests(), file.bytesFetched(), head.contentLength());
    } catch (IOException | RuntimeException e) {
      if (e instanceof SdkException sdk) {
        throw failure(sdk);
      }
      throw ValidationException.of(null, "path", "%s is not a readable Parquet file: %s", paths.path(key),
          e.getMessage());
    }
  }

  /** Parts of a streamed upload are this large (S3 wants at least 5 MiB but for the last). */
  public static final int DEFAULT_PART_BYTES = 8 << 20;

  /**
   * Opens a streamed upload of one object at {@code path} (an {@code s3://bucket/key} path): what is
   * written is sent in parts of {@code partBytes} (a multipart upload, or one PUT when the object is
   * smaller than a part), so memory holds one part whatever the object's size and nothing goes to
   * disk. {@link Upload#close()} completes the object; {@link Upload#abort()} drops it.
   *
   * @throws ValidationException if the path is outside the bucket or unsafe
   */
  public Upload upload(String path, int partBytes) {
    if (partBytes < (5 << 20)) {
      throw new IllegalArgumentException("parts must be at least 5 MiB, not " + partBytes);
    }
    return new Upload(paths.key(path, "path", false), partBytes);
  }

  /** Deletes the object at {@code path}; nothing happens if there is none. */
  public void delete(String path) {
    String key = paths.key(path, "path", false);
    call(() -> s3.deleteObject(d -> d.bucket(settings.bucket()).key(key)));
  }

  /** Deletes every object under {@code prefix} (an {@code s3://bucket/...} path ending in {@code /}). */
  public void deletePrefix(String prefix) {
    if (!prefix.endsWith("/") || paths.key(prefix, "prefix", true).isEmpty()) {
      throw ValidationException.of(null, "prefix", "'%s' must name a folder below the bucket, ending in '/'", prefix);
    }
    for (String key : list(prefix)) {
      call(() -> s3.deleteObject(d -> d.bucket(settings.bucket()).key(key)));
    }
  }

  /**
   * An object being written: bytes are buffered up to one part, then sent. Not thread-safe. Closing
   * completes the object; after a failure or {@link #abort()} nothing of it is left in the bucket.
   */
  public final class Upload extends java.io.OutputStream {
    private final String key;
    private final byte[] part;
    private int filled;
    private String uploadId;
    private final List<software.amazon.awssdk.services.s3.model.CompletedPart> parts = new ArrayList<>();
    private boolean closed;

    private Upload(String key, int partBytes) {
      this.key = key;
      this.part = new byte[partBytes];
    }

    /** The {@code s3://} path of the object. */
    public String path() {
      return paths.path(key);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("upload of " + path() + " is closed");
      }
      while (len > 0) {
        int n = Math.min(len, part.length - filled);
        System.arraycopy(b, off, part, filled, n);
        filled += n;
        off += n;
        len -= n;
        if (filled == part.length) {
          sendPart();
        }
      }
    }

    private void sendPart() throws IOException {
      try {
        if (uploadId == null) {
          uploadId = s3.createMultipartUpload(c -> c.bucket(settings.bucket()).key(key)).uploadId();
        }
        int number = parts.size() + 1;
        String etag = s3.uploadPart(u -> u.bucket(settings.bucket()).key(key).uploadId(uploadId).partNumber(number),
            software.amazon.awssdk.core.sync.RequestBody.fromBytes(java.util.Arrays.copyOf(part, filled))).eTag();
        parts.add(software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(number).eTag(etag)
            .build());
        filled = 0;
      } catch (SdkException e) {
        abort();
        throw new IOException("object storage request failed: " + e.getMessage(), e);
      }
    }

    /** Sends what is left and completes the object. */
    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      try {
        if (uploadId == null) {
          byte[] body = java.util.Arrays.copyOf(part, filled);
          s3.putObject(p -> p.bucket(settings.bucket()).key(key).contentLength((long) body.length),
              software.amazon.awssdk.core.sync.RequestBody.fromBytes(body));
        } else {
          if (filled > 0) {
            sendPart();
          }
          s3.completeMultipartUpload(c -> c.bucket(settings.bucket()).key(key).uploadId(uploadId)
              .multipartUpload(m -> m.parts(parts)));
        }
        closed = true;
      } catch (SdkException e) {
        abort();
        throw new IOException("object storage request failed: " + e.getMessage(), e);
      }
    }

    /** Drops the upload: parts sent so far are discarded, and no object is made. */
    public void abort() {
      if (closed) {
        return;
      }
      closed = true;
      if (uploadId != null) {
        try {
          s3.abortMultipartUpload(a -> a.bucket(settings.bucket()).key(key).uploadId(uploadId));
        } catch (SdkException e) {
          // Best effort: a bucket lifecycle rule removes abandoned parts; the object was never made.
        }
      }
    }
  }

  private String putUrl(String key) {
    return call(() -> presigner.presignPutObject(r -> r.signatureDuration(settings.presignExpiry())
        .putObjectRequest(p -> p.bucket(settings.bucket()).key(key))).url().toString());
  }

  /** A time-ordered, unguessable path segment: the UTC second and 10 random base-32 digits. */
  private static String fresh() {
    StringBuilder sb = new StringBuilder(STAMP.format(Instant.now())).append('-');
    for (int i = 0; i < 10; i++) {
      sb.append(DIGITS[RANDOM.nextInt(32)]);
    }
    return sb.toString();
  }

  private static <T> T call(java.util.function.Supplier<T> request) {
    try {
      return request.get();
    } catch (SdkException e) {
      throw failure(e);
    }
  }

  private static StoreException failure(SdkException e) {
    return new StoreException("object storage request failed: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    s3.close();
    presigner.close();
  }

  @Override
  public String toString() {
    return "ObjectStorage[" + Objects.requireNonNullElse(settings.endpoint(), "aws") + ", " + settings.bucket() + "]";
  }
}
