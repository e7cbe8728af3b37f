package io.vxdata.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Requests written byte for byte on a socket, for what {@link java.net.http.HttpClient} refuses to
 * send: malformed URIs, dot segments, over-long request lines and odd headers.
 */
final class RawSocket {

  /**
   * A parsed answer: status, the Content-Type header (lower case, or empty), the body, and whether
   * the server first asked for the body with {@code 100 Continue}.
   */
  record Answer(int status, String contentType, String body, boolean continued) {
    Answer(int status, String contentType, String body) {
      this(status, contentType, body, false);
    }
  }

  private RawSocket() {}

  /** Sends {@code head} (request line and headers, without the blank line) and an optional body. */
  static Answer send(URI base, String head, byte[] body) {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write("\r\nConnection: close\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
          out.write(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
          out.write(body);
        }
        out.flush();
      } catch (java.net.SocketException e) {
        // The server may answer and close before it has read everything (431, 413): read the answer.
      }
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends {@code head} with {@code Expect: 100-continue}, as curl does for large bodies, and the body
   * only if the server answers {@code 100 Continue} (RFC 9110 §10.1.1). A server that refuses the
   * request on its headers answers at once and the body is never sent, so the answer cannot be lost
   * to a connection reset while the client is still uploading.
   */
  static Answer sendExpectingContinue(URI base, String head, byte[] body) {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
      out.write((head + "\r\nConnection: close\r\nExpect: 100-continue\r\nContent-Length: " + body.length
          + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      byte[] first = readHead(in);
      if (!new String(first, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 100")) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(first);
        all.write(readAll(in));
        return parse(all.toByteArray());
      }
      out.write(body);
      out.flush();
      Answer last = parse(readAll(in));
      return new Answer(last.status(), last.contentType(), last.body(), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads up to and including the blank line that ends a response head. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int matched = 0;
    for (int b; matched < 4 && (b = in.read()) >= 0; ) {
      bytes.write(b);
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
    }
    return bytes.toByteArray();
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        bytes.write(buffer, 0, n);
      }
    } catch (java.net.SocketException e) {
      // The server may reset the connection once it has answered a request it would not read on.
      if (bytes.size() == 0) {
        throw e;
      }
    }
    return bytes.toByteArray();
  }

  private static Answer parse(byte[] raw) {
    String all = new String(raw, StandardCharsets.ISO_8859_1);
    int end = all.indexOf("\r\n\r\n");
    String head = end < 0 ? all : all.substring(0, end);
    byte[] body = end < 0 ? new byte[0] : java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    String[] lines = head.split("\r\n");
    int status = lines[0].startsWith("HTTP/") ? Integer.parseInt(lines[0].split(" ")[1]) : -1;
    String contentType = "";
    boolean chunked = false;
    for (String line : lines) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-type:")) {
        contentType = lower.substring("content-type:".length()).trim();
      }
      chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
    }
    return new Answer(status, contentType, new String(chunked ? unchunk(body) : body, StandardCharsets.UTF_8));
  }

  private static byte[] unchunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String text = new String(body, StandardCharsets.ISO_8859_1);
    int at = 0;
    while (at < body.length) {
      int eol = text.indexOf("\r\n", at);
      if (eol < 0) {
        break;
      }
      int size = Integer.parseInt(text.substring(at, eol).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(body, eol + 2, Math.min(size, body.length - eol - 2));
      at = eol + 2 + size + 2;
    }
    return out.toByteArray();
  }
}
