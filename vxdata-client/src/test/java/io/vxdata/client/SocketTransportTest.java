package io.vxdata.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's own HTTP/1.1 transport against a scripted server: framing, reuse, closes, timeouts. */
class SocketTransportTest {

  /** What the scripted server answers to the next request; {@code close} closes the connection after it. */
  private record Answer(String text, boolean close, long delayMillis) {}

  private ServerSocket listener;
  private final BlockingQueue<Answer> script = new LinkedBlockingQueue<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private SocketTransport transport;

  @BeforeEach
  void start() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!listener.isClosed()) {
        try {
          Socket s = listener.accept();
          connections.incrementAndGet();
          open.add(s);
          Thread t = new Thread(() -> serve(s));
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    transport = new SocketTransport(URI.create("http://127.0.0.1:" + listener.getLocalPort()), Duration.ofSeconds(5),
        Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() throws IOException {
    transport.close();
    listener.close();
    for (Socket s : open) {
      s.close();
    }
  }

  private void serve(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      while (true) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
          int c = in.read();
          if (c < 0) {
            return;
          }
          head.write(c);
          matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
          if (line.toLowerCase().startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        requests.add(text + body);
        Answer answer = script.poll(5, TimeUnit.SECONDS);
        if (answer == null) {
          return;
        }
        Thread.sleep(answer.delayMillis());
        out.write(answer.text().getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (answer.close()) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the test is over
    }
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort() + pathAndQuery);
  }

  private static String text(Transport.Response r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void sendsOneRequestWithItsBodyAndReusesTheConnection() throws Exception {
    script.add(new Answer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nvxdata-as-of: 2026-01-02T03:04:05.000000Z"
        + "\r\nContent-Length: 2\r\n\r\n[]", false, 0));
    script.add(new Answer("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\n{}\r\n", false, 0));
    Transport.Response first = transport.send("POST", uri("/resources/read"), "{\"identifiers\":[]}".getBytes(
        StandardCharsets.UTF_8));
    Transport.Response second = transport.send("GET", uri("/parents/a%20b?as_of=x"), null);

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.asOfHeader()).isEqualTo("2026-01-02T03:04:05.000000Z");
    assertThat(text(first)).isEqualTo("[]");
    assertThat(second.status()).isEqualTo(404);
    assertThat(second.asOfHeader()).isNull();
    assertThat(text(second)).isEqualTo("{}\r\n");
    assertThat(connections.get()).isEqualTo(1);
    assertThat(requests.get(0)).startsWith("POST /resources/read HTTP/1.1\r\nHost: 127.0.0.1:" + listener.getLocalPort())
        .contains("Content-Type: application/json\r\n", "Content-Length: 18\r\n").endsWith("\r\n\r\n{\"identifiers\":[]}");
    assertThat(requests.get(1)).startsWith("GET /parents/a%20b?as_of=x HTTP/1.1\r\n").doesNotContain("Content-Length");
  }

  @Test
  void readsChunkedAnswersWithExtensionsAndTrailersAndSkipsInterimAnswers() throws Exception {
    script.add(new Answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;ext=1\r\nhello\r\n1A\r\n abcdefghijklmnopqrstuvwxy\r\n0\r\nX-Trailer: t\r\n\r\n", false, 0));
    script.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1", false, 0));

    assertThat(text(transport.send("GET", uri("/a"), null))).isEqualTo("hello abcdefghijklmnopqrstuvwxy");
    assertThat(text(transport.send("GET", uri("/b"), null))).isEqualTo("1");
    assertThat(connections.get()).isEqualTo(1);
  }

  @Test
  void aClosedOrCloseAnnouncingConnectionIsNotReused() throws Exception {
    script.add(new Answer("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na", true, 0));
    script.add(new Answer("HTTP/1.0 200 OK\r\n\r\nto the end", true, 0));
    script.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nc", true, 0)); // closed after, unannounced
    script.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nd", false, 0));

    assertThat(text(transport.send("GET", uri("/1"), null))).isEqualTo("a");
    assertThat(text(transport.send("GET", uri("/2"), null))).isEqualTo("to the end");
    assertThat(text(transport.send("GET", uri("/3"), null))).isEqualTo("c");
    Thread.sleep(200); // the server's close reaches the idle connection
    assertThat(text(transport.send("GET", uri("/4"), null))).isEqualTo("d");
    assertThat(connections.get()).isEqualTo(4);
  }

  @Test
  void anAnswerSlowerThanTheRequestTimeoutIsATimeout() throws Exception {
    SocketTransport quick = new SocketTransport(uri(""), Duration.ofSeconds(5), Duration.ofMillis(200));
    script.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na", false, 2_000));
    try {
      assertThatThrownBy(() -> quick.send("GET", uri("/slow"), null)).isInstanceOf(HttpTimeoutException.class);
    } finally {
      quick.close();
    }
  }

  @Test
  void anAnswerCutShortOrNotHttpIsAnIoException() throws Exception {
    script.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true, 0));
    script.add(new Answer("SSH-2.0-OpenSSH\r\n\r\n", true, 0));
    assertThatThrownBy(() -> transport.send("GET", uri("/short"), null)).isInstanceOf(IOException.class)
        .hasMessageContaining("7 bytes before the end");
    assertThatThrownBy(() -> transport.send("GET", uri("/other"), null)).isInstanceOf(IOException.class)
        .hasMessageContaining("not an HTTP/1.x answer");
  }

  @Test
  void aClosedTransportRefusesRequests() {
    transport.close();
    assertThatThrownBy(() -> transport.send("GET", uri("/x"), null)).isInstanceOf(IOException.class)
        .hasMessageContaining("closed");
  }
}
