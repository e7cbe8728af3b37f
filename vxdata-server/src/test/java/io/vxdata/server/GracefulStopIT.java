package io.vxdata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.http.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the server jar on the H2 file store lets requests in flight finish before the store
 * closes (docs/behaviour.md §12.2), and the process then exits 0. Each request is held in flight by the test itself
 * over a plain socket (a body sent in two parts, a response read only after the signal), so the
 * signal lands while the handler runs, whatever the machine's speed.
 */
class GracefulStopIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Enough rows for several Parquet row groups: the first is sent while the rest are still read. */
  private static final int EXPORT_ROWS = 60_000;

  @Test
  void anExportInFlightCompletesAsAValidFile(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("server.log");
    List<String> args = List.of("--data-dir", dir.resolve("data").toString());
    try (ServerProcess server = ServerProcess.start(dir, log, args)) {
      RawHttp http = new RawHttp(server.base());
      Random random = new Random(7);
      for (int batch = 0; batch < EXPORT_ROWS / 1_000; batch++) {
        assertThat(http.post("/resources/create", artefacts("x" + batch, 1_000, random)).statusCode()).isEqualTo(200);
      }

      try (Socket socket = new Socket()) {
        // A small receive window: the server blocks on its first row group until the test reads.
        socket.setReceiveBufferSize(8 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", server.base().getPort()), 5_000);
        socket.setSoTimeout(120_000);
        send(socket, "/query/parquet", "{\"payload_type\":\"artefact\",\"sort_by\":\"identifier\",\"sort_order\":\"asc\"}"
            .getBytes(StandardCharsets.UTF_8));
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        assertThat(head).startsWith("HTTP/1.1 200");
        assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("PAR1");

        server.terminate(); // the export is streaming: its first bytes have arrived, the rest has not
        byte[] rest = in.readAllBytes();

        Path file = dir.resolve("export.parquet");
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.write("PAR1".getBytes(StandardCharsets.US_ASCII));
        whole.write(rest);
        Files.write(file, whole.toByteArray());
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
          assertThat(reader.getRecordCount()).as("rows in the exported file").isEqualTo(EXPORT_ROWS);
          assertThat(reader.getRowGroups()).as("row groups").hasSizeGreaterThan(1);
        }
      }
      assertThat(server.awaitExit()).as("exit status; log:%n%s", server.log()).isZero();
      assertThat(server.log()).contains("SIGTERM received", "store closed").doesNotContain("ERROR", "Exception");
    }
  }

  @Test
  void aWriteInFlightIsAcknowledgedAndKept(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("server.log");
    List<String> args = List.of("--data-dir", dir.resolve("data").toString());
    byte[] body = artefacts("w", 2_000, new Random(11)).getBytes(StandardCharsets.UTF_8);
    try (ServerProcess server = ServerProcess.start(dir, log, args); Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.base().getPort()), 5_000);
      socket.setSoTimeout(120_000);
      OutputStream out = socket.getOutputStream();
      sendHead(socket, "/resources/create", body.length);
      // A slow upload: a few bytes of the body every 50 ms, so the request is in flight and never idle
      // (a stopping Jetty closes connections idle for a second) until the stop is under way.
      AtomicInteger sent = new AtomicInteger();
      ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
      trickle.scheduleAtFixedRate(() -> {
        synchronized (out) {
          int n = Math.min(64, body.length - 1 - sent.get());
          try {
            out.write(body, sent.get(), n);
            out.flush();
            sent.addAndGet(n);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }, 0, 50, TimeUnit.MILLISECONDS);
      try {
        // Javalin reads the body inside the handler: a thread there means the request is in flight.
        server.awaitThreadIn("io.vxdata.http.ResourceController.create");
        server.terminate();
        server.awaitLog("VxData server stopping"); // the stop is under way, the request still uploading
      } finally {
        trickle.shutdown();
        assertThat(trickle.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
      synchronized (out) {
        try {
          out.write(body, sent.get(), body.length - sent.get());
          out.flush();
        } catch (IOException e) {
          throw new AssertionError("the server dropped the request in flight; log:\n" + server.log(), e);
        }
      }
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(head).as(answer).startsWith("HTTP/1.1 200");
      assertThat(answer).contains("\"created\":2000");
      assertThat(server.awaitExit()).as("exit status; log:%n%s", server.log()).isZero();
    }
    try (ServerProcess restarted = ServerProcess.start(dir, log, args)) {
      String count = new RawHttp(restarted.base()).post("/query/count", "{\"payload_type\":\"artefact\"}").body();
      assertThat(count).as("the acknowledged batch after a restart").contains("\"count\":2000");
      restarted.terminate();
      assertThat(restarted.awaitExit()).isZero();
    }
  }

  private static String artefacts(String prefix, int n, Random random) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode resources = body.putArray("resources");
    byte[] digest = new byte[32];
    for (int i = 0; i < n; i++) {
      random.nextBytes(digest);
      String sha = HexFormat.of().formatHex(digest);
      resources.addObject().put("identifier", prefix + "-" + i).put("payload_type", "artefact")
          .put("role", "image").put("size_bytes", i).put("sha256", sha)
          .put("uri", "s3://vxdata/graceful/" + prefix + "/" + sha + ".nii.gz");
    }
    return body.toString();
  }

  private static void send(Socket socket, String path, byte[] body) throws IOException {
    sendHead(socket, path, body.length);
    socket.getOutputStream().write(body);
    socket.getOutputStream().flush();
  }

  private static void sendHead(Socket socket, String path, int length) throws IOException {
    OutputStream out = socket.getOutputStream();
    // HTTP/1.0 with close: the body ends where the connection does, no chunked decoding needed.
    out.write(("POST " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while ((b = in.read()) != -1) {
      head.append((char) b);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        return head.toString();
      }
    }
    throw new IOException("the connection closed inside the response head: " + head);
  }
}
