package io.vxdata.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vxdata.NotFoundException;
import io.vxdata.StoreException;
import io.vxdata.ValidationException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HttpURLConnection transport against the JDK's own HTTP server answering as a VxData server would:
 * connections are reused across answers and error answers (whose bodies are read to the end), errors
 * map to the core exceptions, a stalled answer times out. Against the real server: vxdata-http's
 * ClientTest and the conformance kit.
 */
class TransportTest {

  private HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Answer> answer = new AtomicReference<>(new Answer(200, "[]", false));
  /** Holds every answer marked {@code held} until the test counts it down. */
  private final CountDownLatch release = new CountDownLatch(1);
  private URI base;

  private record Answer(int status, String body, boolean held) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(handlers);
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    clientPorts.add(exchange.getRemoteAddress().getPort());
    exchange.getRequestBody().readAllBytes();
    Answer a = answer.get();
    if (a.held()) {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add(VxDataClient.AS_OF_HEADER, "2026-12-01T10:00:00.000001Z");
    exchange.sendResponseHeaders(a.status(), body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Test
  void oneConnectionServesSuccessiveAnswersAndErrorAnswers() {
    VxDataClient client = VxDataClient.builder(base).build();
    for (int i = 0; i < 5; i++) {
      answer.set(new Answer(200, "[]", false));
      assertThat(client.read(List.of()).value()).isEmpty();
      answer.set(new Answer(404, error(404, "not_found", "no resource 'x'"), false));
      assertThatThrownBy(() -> client.read(List.of("x"))).isInstanceOf(NotFoundException.class);
      answer.set(new Answer(400, error(400, "validation_failed", "bad"), false));
      assertThatThrownBy(() -> client.read(List.of("x"))).isInstanceOf(ValidationException.class)
          .hasMessageContaining("bad");
      answer.set(new Answer(500, error(500, "internal_error", "boom"), false));
      assertThatThrownBy(() -> client.read(List.of("x"))).isInstanceOf(StoreException.class)
          .hasMessageContainingAll("500", "internal_error", "boom");
      answer.set(new Answer(413, "", false));
      assertThatThrownBy(() -> client.read(List.of("x"))).isInstanceOf(ValidationException.class)
          .hasMessageContaining("413");
    }
    assertThat(clientPorts).as("client-side ports of the connections used").hasSize(1);
  }

  /** An error body as the server writes it (ErrorJson), with one violation. */
  private static String error(int status, String type, String message) {
    return "{\"error\":{\"status\":" + status + ",\"type\":\"" + type + "\",\"message\":\"" + message
        + "\",\"details\":[{\"identifier\":\"x\",\"field\":null,\"message\":\"" + message + "\"}]}}";
  }

  @Test
  void anAnswerThatIsNotJsonIsAStoreErrorWithItsText() {
    VxDataClient client = VxDataClient.builder(base).build();
    answer.set(new Answer(502, "<html>bad gateway</html>", false));
    assertThatThrownBy(() -> client.read(List.of("x"))).isInstanceOf(StoreException.class)
        .hasMessageContainingAll("502", "bad gateway");
    answer.set(new Answer(200, "[{", false));
    assertThatThrownBy(() -> client.read(List.of("x"))).isInstanceOf(StoreException.class)
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void anAnswerSlowerThanTheRequestTimeoutIsAStoreErrorAndTheNextCallWorks() {
    VxDataClient client = VxDataClient.builder(base).requestTimeout(Duration.ofMillis(200)).build();
    answer.set(new Answer(200, "[]", true)); // not answered until released, after the call has given up
    assertThatThrownBy(() -> client.read(List.of())).isInstanceOf(StoreException.class)
        .hasRootCauseInstanceOf(SocketTimeoutException.class);
    release.countDown();
    answer.set(new Answer(200, "[]", false));
    assertThat(client.read(List.of()).value()).isEmpty();
  }

  @Test
  void anUnreachableServerIsAStoreError() throws IOException {
    server.stop(0);
    VxDataClient client = VxDataClient.builder(base).connectTimeout(Duration.ofSeconds(2)).build();
    assertThatThrownBy(() -> client.read(List.of())).isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot reach");
  }
}
