package io.vxdata.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A Parquet {@link InputFile} over one object in the way the store's object storage reads it
 * (vxdata-s3's package-private S3InputFile: every read is one ranged GET of exactly the bytes
 * asked for), counting the GETs and the bytes the endpoint served (Content-Length of each answer).
 */
final class CountingS3InputFile implements InputFile {

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final long length;
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong requests = new AtomicLong();

  CountingS3InputFile(S3Client s3, String bucket, String key, long length) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.length = length;
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() {
    return new SeekableInputStream() {
      private long pos;

      @Override
      public long getPos() {
        return pos;
      }

      @Override
      public void seek(long newPos) throws IOException {
        if (newPos < 0 || newPos > length) {
          throw new EOFException("seek to " + newPos + " outside a " + length + "-byte object");
        }
        pos = newPos;
      }

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        if (pos >= length) {
          return -1;
        }
        int n = (int) Math.min(len, length - pos);
        fetch(pos, b, off, n);
        pos += n;
        return n;
      }

      @Override
      public void readFully(byte[] b) throws IOException {
        readFully(b, 0, b.length);
      }

      @Override
      public void readFully(byte[] b, int start, int len) throws IOException {
        if (pos + len > length) {
          throw new EOFException("reading " + len + " bytes at " + pos + " of a " + length + "-byte object");
        }
        fetch(pos, b, start, len);
        pos += len;
      }

      @Override
      public int read(ByteBuffer buf) throws IOException {
        int len = (int) Math.min(buf.remaining(), length - pos);
        if (len <= 0) {
          return buf.hasRemaining() ? -1 : 0;
        }
        byte[] b = new byte[len];
        readFully(b, 0, len);
        buf.put(b);
        return len;
      }

      @Override
      public void readFully(ByteBuffer buf) throws IOException {
        byte[] b = new byte[buf.remaining()];
        readFully(b, 0, b.length);
        buf.put(b);
      }

      @Override
      public void close() {}
    };
  }

  private void fetch(long from, byte[] into, int off, int len) throws IOException {
    GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(key)
        .range("bytes=" + from + "-" + (from + len - 1)).build();
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request)) {
      int done = 0;
      while (done < len) {
        int n = in.read(into, off + done, len - done);
        if (n < 0) {
          throw new EOFException("object ended after " + done + " of " + len + " bytes");
        }
        done += n;
      }
      Long served = in.response().contentLength();
      bytes.addAndGet(served == null ? len : served);
      requests.incrementAndGet();
    }
  }
}
