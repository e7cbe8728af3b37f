package io.vxdata.http;

import io.vxdata.VxData;
import io.vxdata.jdbc.TestH2;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.testkit.ClockConformanceTests;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ClockConformanceTests} through the HTTP client and a server keeping no token, on in-memory H2 with the test's clock. */
class HttpH2ClockTest extends ClockConformanceTests {

  @RegisterExtension
  static final HttpBackend backend = HttpBackend.h2().withoutTokenCache();

  @Override
  protected VxData newStore(Clock clock) {
    return backend.start(() -> VxDataStore.open(TestH2.freshMemoryOptions().withClock(clock)));
  }
}
