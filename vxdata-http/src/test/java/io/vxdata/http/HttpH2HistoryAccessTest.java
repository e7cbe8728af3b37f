package io.vxdata.http;

import io.vxdata.VxData;
import io.vxdata.testkit.HistoryAccessConformanceTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link HistoryAccessConformanceTests} through the HTTP client and server, on in-memory H2, a new database per test, one server per class. */
class HttpH2HistoryAccessTest extends HistoryAccessConformanceTests {

  @RegisterExtension
  static final HttpBackend backend = HttpBackend.h2();

  @Override
  protected VxData newStore() {
    return backend.start();
  }
}
