package io.vxdata.s3;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * An S3-compatible endpoint in this process (S3Proxy) on a loopback port, checking signatures with
 * credentials made up at start. Objects live in a directory (the server's embedded default) or in
 * memory (tests). Gives a single machine the whole docs/behaviour.md §9 API without any external service.
 *
 * <p>S3Proxy is an optional dependency of this module: a user of {@link ObjectStorage} does not get
 * it; to run an embedded endpoint, declare {@code org.gaul:s3proxy} (and the servlet API it needs).
 */
public final class EmbeddedS3 implements AutoCloseable {

  /**
   * How long {@link #close()} of a directory-backed endpoint lets requests in flight finish (S3Proxy's
   * own default): an upload under way when the server stops completes into the directory.
   */
  private static final Duration FILESYSTEM_STOP_TIMEOUT = Duration.ofSeconds(30);

  private final S3Proxy proxy;
  private final BlobStore blobStore;
  private final S3Settings settings;

  private EmbeddedS3(S3Proxy proxy, BlobStore blobStore, S3Settings settings) {
    this.proxy = proxy;
    this.blobStore = blobStore;
    this.settings = settings;
  }

  /**
   * Starts an endpoint storing objects under {@code directory}, with {@code bucket} created, whose
   * settings presign URLs valid for {@code presignExpiry}.
   */
  public static EmbeddedS3 startFilesystem(Path directory, String bucket, Duration presignExpiry) throws IOException {
    Files.createDirectories(directory);
    return start(new FilesystemNio2BlobStore(directory.toAbsolutePath().toString()), bucket, presignExpiry,
        FILESYSTEM_STOP_TIMEOUT);
  }

  /**
   * Starts an endpoint keeping objects in memory, with {@code bucket} created. Its {@link #close()}
   * does not wait for requests in flight: the objects go with it, so nothing is gained by letting a
   * request finish, and S3Proxy's graceful stop otherwise waits about a second and a half whenever a
   * client (the SDK's) still holds an idle keep-alive connection: most of a test's time in the tests
   * that start one per test.
   */
  public static EmbeddedS3 startInMemory(String bucket) {
    return start(new TransientNio2BlobStore(), bucket, S3Settings.DEFAULT_EXPIRY, Duration.ZERO);
  }

  private static EmbeddedS3 start(BlobStore blobStore, String bucket, Duration presignExpiry, Duration stopTimeout) {
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    String accessKey = "vxdata-" + HexFormat.of().formatHex(secret, 0, 4);
    String secretKey = HexFormat.of().formatHex(secret);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(blobStore)
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .stopTimeout(stopTimeout.toMillis())
        .build();
    try {
      proxy.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded S3 endpoint: " + e.getMessage(), e);
    }
    if (!blobStore.containerExists(bucket)) {
      blobStore.createContainer(bucket);
    }
    URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    S3Settings settings = new S3Settings(endpoint, "us-east-1", bucket, accessKey, secretKey, true, presignExpiry);
    return new EmbeddedS3(proxy, blobStore, settings);
  }

  /** How to reach it: endpoint, bucket and the credentials it accepts. */
  public S3Settings settings() {
    return settings;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the embedded S3 endpoint", e);
    } finally {
      blobStore.close();
    }
  }
}
