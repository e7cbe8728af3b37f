package io.vxdata.client;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP/1.1 over plain TCP connections kept alive in a small pool, one request at a time on each,
 * written and read by the calling thread: the client's default for {@code http://} servers reached
 * directly. {@link java.net.http.HttpClient} hands each exchange between the caller, its selector
 * thread and an executor, which on loopback costs more than a small VxData read itself (issue 16 §6:
 * {@code GET /health} 0.37 ms through it, 0.10 ms through a socket, same server).
 *
 * <p>What it speaks: requests with a {@code Content-Length} body or none, answers with
 * {@code Content-Length}, {@code chunked} or read-to-close bodies, interim 1xx answers skipped,
 * {@code Connection: close} honoured. {@code TCP_NODELAY} is set (a request is one write). An idle
 * connection is checked for a close by the server before it is reused and dropped after
 * {@value #MAX_IDLE_SECONDS} s idle. The request timeout bounds the whole exchange's reads; the connect
 * timeout the connection.
 */
final class SocketTransport implements Transport {

  static final int MAX_IDLE_SECONDS = 20;
  private static final int MAX_POOLED = 64;
  private static final int MAX_HEADER_LINE = 64 * 1024;

  private final InetSocketAddress address;
  private final String hostHeader;
  private final int connectTimeoutMillis;
  private final long requestTimeoutNanos;
  private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger pooled = new AtomicInteger();
  private volatile boolean closed;

  SocketTransport(URI base, Duration connectTimeout, Duration requestTimeout) {
    String host = base.getHost();
    if (host == null) {
      throw new IllegalArgumentException("the server URI has no host: " + base);
    }
    int port = base.getPort() == -1 ? 80 : base.getPort();
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    this.address = InetSocketAddress.createUnresolved(bare, port);
    this.hostHeader = base.getPort() == -1 ? host : host + ":" + port;
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
    this.requestTimeoutNanos = requestTimeout.toNanos();
  }

  @Override
  public Response send(String method, URI uri, byte[] body) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + requestTimeoutNanos;
    byte[] head = head(method, uri, body);
    Connection c = take();
    boolean reusable = false;
    try {
      c.write(head, body);
      Response response = c.read(deadline, method);
      reusable = c.keepAlive;
      return response;
    } catch (SocketTimeoutException e) {
      throw (HttpTimeoutException) new HttpTimeoutException("request timed out").initCause(e);
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) {
        InterruptedException interrupted = new InterruptedException("interrupted while calling " + uri);
        interrupted.initCause(e);
        throw interrupted;
      }
      throw e;
    } finally {
      if (reusable) {
        release(c);
      } else {
        c.close();
      }
    }
  }

  private byte[] head(String method, URI uri, byte[] body) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery();
    StringBuilder h = new StringBuilder(160).append(method).append(' ').append(path);
    if (query != null) {
      h.append('?').append(query);
    }
    h.append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\nAccept: application/json\r\n");
    if (body != null) {
      h.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
    }
    h.append("\r\n");
    String text = h.toString();
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0x7e) { // a raw non-ASCII path: send it percent-encoded, as a URI's ASCII form
        return head(method, URI.create(uri.toASCIIString()), body);
      }
    }
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** An idle connection the server has not closed, or a new one. */
  private Connection take() throws IOException {
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      pooled.decrementAndGet();
      if (c.stillOpen()) {
        return c;
      }
      c.close();
    }
    if (closed) {
      throw new IOException("the client is closed");
    }
    return Connection.open(address, connectTimeoutMillis);
  }

  private void release(Connection c) {
    c.idleSince = System.nanoTime();
    if (closed || pooled.incrementAndGet() > MAX_POOLED) {
      pooled.decrementAndGet();
      c.close();
      return;
    }
    idle.offerFirst(c);
    if (closed && idle.remove(c)) { // close() ran meanwhile
      c.close();
    }
  }

  @Override
  public void close() {
    closed = true;
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      pooled.decrementAndGet();
      c.close();
    }
  }

  /** One TCP connection: blocking reads and writes with the socket's timeouts. */
  private static final class Connection {
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuffer probe = ByteBuffer.allocate(1);
    /** Read ahead of what the answer has consumed: {@code buffer[position, limit)}. */
    private final byte[] buffer = new byte[32 * 1024];
    private int position;
    private int limit;
    boolean keepAlive;
    long idleSince;

    private Connection(SocketChannel channel) throws IOException {
      this.channel = channel;
      this.in = channel.socket().getInputStream();
      this.out = new BufferedOutputStream(channel.socket().getOutputStream(), 16 * 1024);
    }

    static Connection open(InetSocketAddress unresolved, int connectTimeoutMillis) throws IOException {
      InetSocketAddress address = new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
      if (address.isUnresolved()) {
        throw new java.net.UnknownHostException(unresolved.getHostString());
      }
      SocketChannel channel = SocketChannel.open();
      try {
        channel.socket().setTcpNoDelay(true);
        channel.socket().setKeepAlive(true);
        channel.socket().connect(address, connectTimeoutMillis);
        return new Connection(channel);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    }

    /**
     * Whether the connection can carry another request: not idle too long, and nothing to read (the
     * server has not closed it, nor sent anything unasked).
     */
    boolean stillOpen() {
      if (System.nanoTime() - idleSince > MAX_IDLE_SECONDS * 1_000_000_000L || !channel.isOpen()) {
        return false;
      }
      try {
        if (position < limit) {
          return false;
        }
        channel.configureBlocking(false);
        int n;
        try {
          probe.clear();
          n = channel.read(probe);
        } finally {
          channel.configureBlocking(true);
        }
        return n == 0;
      } catch (IOException e) {
        return false;
      }
    }

    void write(byte[] head, byte[] body) throws IOException {
      out.write(head);
      if (body != null) {
        out.write(body);
      }
      out.flush();
    }

    Response read(long deadline, String method) throws IOException {
      while (true) {
        String statusLine = line(deadline);
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
          throw new ProtocolException("not an HTTP/1.x answer: " + abbreviate(statusLine));
        }
        boolean http10 = statusLine.charAt(7) == '0';
        int status;
        try {
          status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
          throw new ProtocolException("not an HTTP status line: " + abbreviate(statusLine));
        }
        long length = -1;
        boolean chunked = false;
        boolean close = http10;
        String asOf = null;
        String header;
        while (!(header = line(deadline)).isEmpty()) {
          int colon = header.indexOf(':');
          if (colon <= 0) {
            throw new ProtocolException("malformed header line: " + abbreviate(header));
          }
          String name = header.substring(0, colon);
          String value = header.substring(colon + 1).trim();
          if (name.equalsIgnoreCase("Content-Length")) {
            try {
              length = Long.parseLong(value);
            } catch (NumberFormatException e) {
              throw new ProtocolException("malformed Content-Length: " + abbreviate(value));
            }
          } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
            chunked = value.toLowerCase(java.util.Locale.ROOT).endsWith("chunked");
          } else if (name.equalsIgnoreCase("Connection")) {
            String v = value.toLowerCase(java.util.Locale.ROOT);
            if (v.contains("close")) {
              close = true;
            } else if (v.contains("keep-alive")) {
              close = false;
            }
          } else if (name.equalsIgnoreCase(VxDataClient.AS_OF_HEADER) && asOf == null) {
            asOf = value;
          }
        }
        if (status >= 100 && status < 200 && status != 101) {
          continue; // interim answer (100 Continue, 103 Early Hints): the real one follows
        }
        byte[] body;
        if (method.equals("HEAD") || status == 204 || status == 304) {
          body = new byte[0];
        } else if (chunked) {
          body = chunked(deadline);
        } else if (length >= 0) {
          if (length > Integer.MAX_VALUE - 8) {
            throw new ProtocolException("answer too large: " + length + " bytes");
          }
          body = exactly((int) length, deadline);
        } else {
          body = toEnd(deadline);
          close = true;
        }
        keepAlive = !close;
        return new Response(status, asOf, body);
      }
    }

    private byte[] chunked(long deadline) throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
      while (true) {
        String sizeLine = line(deadline);
        int semicolon = sizeLine.indexOf(';');
        String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
        int size;
        try {
          size = Integer.parseInt(hex, 16);
        } catch (NumberFormatException e) {
          throw new ProtocolException("malformed chunk size: " + abbreviate(sizeLine));
        }
        if (size < 0) {
          throw new ProtocolException("malformed chunk size: " + abbreviate(sizeLine));
        }
        if (size == 0) {
          while (!line(deadline).isEmpty()) {
            // trailers: none that matter here
          }
          return body.toByteArray();
        }
        body.write(exactly(size, deadline));
        if (!line(deadline).isEmpty()) {
          throw new ProtocolException("a chunk is longer than its size");
        }
      }
    }

    private byte[] exactly(int n, long deadline) throws IOException {
      byte[] b = new byte[n];
      int at = Math.min(n, limit - position);
      System.arraycopy(buffer, position, b, 0, at);
      position += at;
      while (at < n) {
        timeout(deadline);
        int r = in.read(b, at, n - at);
        if (r < 0) {
          throw new EOFException("the server closed the connection " + (n - at) + " bytes before the end of its answer");
        }
        at += r;
      }
      return b;
    }

    /** Reads more into the empty buffer; false at the end of the stream. */
    private boolean fill(long deadline) throws IOException {
      timeout(deadline);
      int r = in.read(buffer, 0, buffer.length);
      position = 0;
      limit = Math.max(0, r);
      return r > 0;
    }

    private byte[] toEnd(long deadline) throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
      body.write(buffer, position, limit - position);
      position = limit;
      while (fill(deadline)) {
        body.write(buffer, 0, limit);
        position = limit;
      }
      return body.toByteArray();
    }

    /** One header line (ISO-8859-1), without its CRLF. */
    private String line(long deadline) throws IOException {
      StringBuilder s = new StringBuilder(64);
      while (true) {
        if (position == limit && !fill(deadline)) {
          throw new EOFException(s.length() == 0 ? "the server closed the connection without an answer"
              : "the server closed the connection in the middle of a line");
        }
        int c = buffer[position++] & 0xff;
        if (c == '\n') {
          int end = s.length();
          if (end > 0 && s.charAt(end - 1) == '\r') {
            s.setLength(end - 1);
          }
          return s.toString();
        }
        if (s.length() >= MAX_HEADER_LINE) {
          throw new ProtocolException("a header line is longer than " + MAX_HEADER_LINE + " bytes");
        }
        s.append((char) c);
      }
    }

    /** Sets the socket's read timeout to what is left of the request's time. */
    private void timeout(long deadline) throws IOException {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new HttpTimeoutException("request timed out");
      }
      channel.socket().setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
    }

    void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing left to release
      }
    }

    private static String abbreviate(String s) {
      return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
  }
}
