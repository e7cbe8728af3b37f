package io.vxdata.http;

import io.vxdata.VxData;
import io.vxdata.schema.PayloadType;
import io.vxdata.testkit.LinkChangesConformanceTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LinkChangesConformanceTests} through the HTTP client and server, on in-memory H2, a new database per test, one server per class. */
class HttpH2LinkChangesTest extends LinkChangesConformanceTests {

  @RegisterExtension
  static final HttpBackend backend = HttpBackend.h2();

  @Override
  protected VxData newStore() {
    return backend.start();
  }

  @Override
  protected void registerType(PayloadType type) {
    backend.registerType(type);
  }
}
