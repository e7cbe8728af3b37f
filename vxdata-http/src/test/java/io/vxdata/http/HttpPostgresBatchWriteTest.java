package io.vxdata.http;

import io.vxdata.VxData;
import io.vxdata.testkit.BatchWriteConformanceTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BatchWriteConformanceTests} through the HTTP client and server, on PostgreSQL (see {@link io.vxdata.jdbc.TestPostgres}), a new database per test, one server per class. */
class HttpPostgresBatchWriteTest extends BatchWriteConformanceTests {

  @RegisterExtension
  static final HttpBackend backend = HttpBackend.postgres();

  @Override
  protected VxData newStore() {
    return backend.start();
  }
}
