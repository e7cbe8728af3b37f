package io.vxdata.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * How {@link VxDataClient} sends one request and gets its whole answer: a status, the
 * {@code VxData-As-Of} header and the body bytes.
 */
interface Transport extends AutoCloseable {

  /** An answer. */
  record Response(int status, String asOfHeader, byte[] body) {}

  /**
   * Sends {@code method} to {@code uri} with {@code body} ({@code null} for none; then no
   * {@code Content-Type}) and reads the whole answer.
   *
   * @throws IOException if the server cannot be reached, the connection breaks, or no answer comes
   *     within the request timeout
   */
  Response send(String method, URI uri, byte[] body) throws IOException, InterruptedException;

  @Override
  void close();

  /** Through a {@link HttpClient}: for a caller's own client, HTTPS, and servers behind a proxy. */
  final class Jdk implements Transport {
    private final HttpClient http;
    private final Duration requestTimeout;

    Jdk(HttpClient http, Duration requestTimeout) {
      this.http = http;
      this.requestTimeout = requestTimeout;
    }

    @Override
    public Response send(String method, URI uri, byte[] body) throws IOException, InterruptedException {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
          .header("Accept", "application/json");
      if (body == null) {
        request.GET();
      } else {
        request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
      }
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(response.statusCode(),
          response.headers().firstValue(VxDataClient.AS_OF_HEADER).orElse(null), response.body());
    }

    @Override
    public void close() {
      // java.net.http.HttpClient has no close() before Java 21; idle connections time out.
    }
  }
}
