package io.vxdata.http;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link HttpIsolationTests} on PostgreSQL (see {@link io.vxdata.jdbc.TestPostgres}). */
class HttpPostgresIsolationTest extends HttpIsolationTests {

  @RegisterExtension
  static final HttpBackend backend = HttpBackend.postgres();

  @Override
  HttpBackend backend() {
    return backend;
  }
}
