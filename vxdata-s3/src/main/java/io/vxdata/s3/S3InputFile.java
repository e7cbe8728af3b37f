package io.vxdata.s3;

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
 * A Parquet {@link InputFile} over one object: each read is a ranged GET of exactly the bytes
 * asked for, so a reader that seeks to the footer and then to a row group fetches nothing else.
 * Counts the bytes the server sent.
 */
final class S3InputFile implements InputFile {

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final long length;
  private final AtomicLong fetched = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();

  S3InputFile(S3Client s3, String bucket, String key, long length) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.length = length;
  }

  /** Bytes the server has sent so far. */
  long bytesFetched() {
    return fetched.get();
  }

  /** Ranged GETs made so far. */
  long requests() {
    return requests.get();
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
      public void readFully(byte[] bytes) throws IOException {
        readFully(bytes, 0, bytes.length);
      }

      @Override
      public void readFully(byte[] bytes, int start, int len) throws IOException {
        if (pos + len > length) {
          throw new EOFException("reading " + len + " bytes at " + pos + " of a " + length + "-byte object");
        }
        fetch(pos, bytes, start, len);
        pos += len;
      }

      @Override
      public int read(ByteBuffer buf) throws IOException {
        int len = (int) Math.min(buf.remaining(), length - pos);
        if (len <= 0) {
          return buf.hasRemaining() ? -1 : 0;
        }
        byte[] bytes = new byte[len];
        readFully(bytes, 0, len);
        buf.put(bytes);
        return len;
      }

      @Override
      public void readFully(ByteBuffer buf) throws IOException {
        byte[] bytes = new byte[buf.remaining()];
        readFully(bytes, 0, bytes.length);
        buf.put(bytes);
      }

      @Override
      public void close() {
        // Every read is its own request: nothing stays open.
      }
    };
  }

  private void fetch(long from, byte[] into, int off, int len) throws IOException {
    GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(key)
        .range("bytes=" + from + "-" + (from + len - 1)).build();
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request)) {
      readAll(in, into, off, len);
      Long served = in.response().contentLength();
      fetched.addAndGet(served == null ? len : served);
      requests.incrementAndGet();
    }
  }

  private static void readAll(InputStream in, byte[] into, int off, int len) throws IOException {
    int done = 0;
    while (done < len) {
      int n = in.read(into, off + done, len - done);
      if (n < 0) {
        throw new EOFException("object ended after " + done + " of " + len + " bytes");
      }
      done += n;
    }
  }
}
