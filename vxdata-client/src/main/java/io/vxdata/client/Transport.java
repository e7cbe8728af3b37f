package io.vxdata.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * How {@link VxDataClient} sends one request and gets its whole answer (a status, the
 * {@code VxData-As-Of} header and the body bytes): the JDK's {@link HttpURLConnection}, which keeps
 * connections alive and reuses them when an answer has been read to its end, as every answer here is
 * (error bodies too). It uses the JVM's proxy selector and authenticator, and for {@code https://} the
 * {@link VxDataClient.Builder#sslContext SSL context} given to the client, else the JVM's default.
 *
 * <p>A request body up to {@value #EXPECT_CONTINUE_OVER} bytes is handed to the connection whole, which
 * sends it with the request head in one write: in fixed-length streaming mode the head and the body go
 * in two writes, and on loopback the second waits for the first's delayed acknowledgement (an empty
 * read took 1.9 ms that way, 0.5 ms buffered; the connection does not offer {@code TCP_NODELAY}). The
 * JDK may send such a POST once more if its connection fails before any answer
 * ({@code sun.net.http.retryPost}). A larger body is streamed with its fixed length after asking
 * {@code Expect: 100-continue}, so a server that refuses its size (413) says so before the upload, and
 * is never sent twice. A smaller body over a server's (unusually small) limit can still end in a
 * connection error instead of the 413.
 *
 * <p>{@link HttpURLConnection} refuses the method {@code PATCH} (JDK-7016595), which one admin route
 * needs ({@code PATCH /principals/{id}}); those requests go through {@code java.net.http}, created on
 * first use.
 */
final class Transport {

  /**
   * Bodies larger than this are sent after the server's {@code 100 Continue}. Small, because a body
   * uploaded whole past the server's limit races the server's 413 and close: the client may see its
   * write fail instead of the answer (it did in CI, with a 150 KB body and a 64 KiB limit). The wait
   * for the 100 is one round trip, little beside uploading more than 64 KiB.
   */
  static final int EXPECT_CONTINUE_OVER = 64 * 1024;

  /** An answer. */
  record Response(int status, String asOfHeader, byte[] body) {}

  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private volatile HttpClient patchClient;

  /** For {@code https://}: the trust (and key) material, or {@code null} for the JVM's defaults. */
  private final SSLContext ssl;

  Transport(Duration connectTimeout, Duration readTimeout, SSLContext ssl) {
    this.connectTimeoutMillis = millis(connectTimeout);
    this.readTimeoutMillis = millis(readTimeout);
    this.ssl = ssl;
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }

  /**
   * Sends {@code method} to {@code uri} with {@code body} ({@code null} for none; then no
   * {@code Content-Type}) and {@code headers}, and reads the whole answer.
   *
   * @throws IOException if the server cannot be reached, the connection breaks, or the answer stalls
   *     longer than the read timeout
   */
  Response send(String method, URI uri, byte[] body, Map<String, String> headers) throws IOException {
    if (method.equals("PATCH")) {
      return patch(uri, body, headers);
    }
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    if (ssl != null && c instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(ssl.getSocketFactory());
    }
    try {
      c.setConnectTimeout(connectTimeoutMillis);
      c.setReadTimeout(readTimeoutMillis);
      c.setUseCaches(false);
      c.setInstanceFollowRedirects(false);
      c.setRequestMethod(method);
      c.setRequestProperty("Accept", "application/json");
      headers.forEach(c::setRequestProperty);
      if (body != null) {
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        if (body.length > EXPECT_CONTINUE_OVER) {
          c.setFixedLengthStreamingMode(body.length);
          c.setRequestProperty("Expect", "100-continue");
        }
        if (!upload(c, body)) {
          // Refused before the upload: HttpURLConnection keeps the status but not the body, and the connection
          // is spent.
          int status = c.getResponseCode();
          c.disconnect();
          return new Response(status, null, new byte[0]);
        }
      }
      int status = c.getResponseCode();
      byte[] bytes;
      try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        bytes = in == null ? new byte[0] : in.readAllBytes(); // read to the end: the connection goes back to the pool
      }
      return new Response(status, c.getHeaderField(VxDataClient.AS_OF_HEADER), bytes);
    } catch (IOException | RuntimeException e) {
      c.disconnect();
      throw e;
    }
  }

  /**
   * Writes the body; {@code false} if the server answered the {@code Expect: 100-continue} with a
   * final status instead ({@link HttpURLConnection} then reports "Server rejected operation").
   */
  private static boolean upload(HttpURLConnection c, byte[] body) throws IOException {
    OutputStream out;
    try {
      out = c.getOutputStream();
    } catch (java.net.ProtocolException e) {
      if (body.length > EXPECT_CONTINUE_OVER && c.getResponseCode() > 0) {
        return false;
      }
      throw e;
    }
    try (out) {
      out.write(body);
    }
    return true;
  }

  private Response patch(URI uri, byte[] body, Map<String, String> headers) throws IOException {
    HttpClient client = patchClient;
    if (client == null) {
      synchronized (this) {
        if (patchClient == null) {
          HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofMillis(connectTimeoutMillis));
          patchClient = (ssl == null ? builder : builder.sslContext(ssl)).build();
        }
        client = patchClient;
      }
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(readTimeoutMillis))
        .header("Accept", "application/json").header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body == null ? new byte[0] : body));
    headers.forEach(request::header);
    try {
      HttpResponse<byte[]> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(answer.statusCode(), answer.headers().firstValue(VxDataClient.AS_OF_HEADER).orElse(null),
          answer.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for " + uri);
    }
  }
}
