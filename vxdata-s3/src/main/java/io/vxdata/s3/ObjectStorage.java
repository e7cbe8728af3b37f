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
    S3Configuration s3Config = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build();
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
