package io.vxdata.http;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link HttpIsolationTests} on in-memory H2. */
class HttpH2IsolationTest extends HttpIsolationTests {

  @RegisterExtension
  static final HttpBackend backend = HttpBackend.h2();

  @Override
  HttpBackend backend() {
    return backend;
  }
}
