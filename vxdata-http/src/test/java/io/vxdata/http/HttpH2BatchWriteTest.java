package io.vxdata.http;

import io.vxdata.VxData;
import io.vxdata.testkit.BatchWriteConformanceTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BatchWriteConformanceTests} through the HTTP client and server, on in-memory H2, a new database per test, one server per class. */
class HttpH2BatchWriteTest extends BatchWriteConformanceTests {

  @RegisterExtension
  static final HttpBackend backend = HttpBackend.h2();

  @Override
  protected VxData newStore() {
    return backend.start();
  }
}
