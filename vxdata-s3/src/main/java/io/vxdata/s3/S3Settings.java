package io.vxdata.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where artefact files live: an S3-compatible endpoint and one bucket.
 *
 * @param endpoint the endpoint, or {@code null} for AWS's regional endpoint
 * @param region the signing region, e.g. {@code us-east-1}
 * @param bucket the bucket every path must be in
 * @param accessKey the access key, or {@code null} for the AWS default credential chain
 * @param secretKey the secret key, or {@code null} with {@code accessKey}
 * @param pathStyle whether to address the bucket in the path ({@code host/bucket/key}), as most
 *     S3-compatible stores want, rather than in the host name
 * @param presignExpiry how long presigned URLs stay valid
 */
public record S3Settings(URI endpoint, String region, String bucket, String accessKey, String secretKey,
    boolean pathStyle, Duration presignExpiry) {

  /** Presigned URLs stay valid this long unless configured otherwise. */
  public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(15);

  public S3Settings {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(presignExpiry, "presignExpiry");
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException("give both an access key and a secret key, or neither");
    }
    if (presignExpiry.isNegative() || presignExpiry.isZero() || presignExpiry.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException("presign expiry must be between 1 second and 7 days, not " + presignExpiry);
    }
  }
}
