package io.vxdata.http;

import io.vxdata.VxData;
import io.vxdata.jdbc.TestPostgres;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.testkit.ClockConformanceTests;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ClockConformanceTests} through the HTTP client and server, on PostgreSQL (see {@link TestPostgres})
 * with the test's clock, behind a server keeping no token.
 */
class HttpPostgresClockTest extends ClockConformanceTests {

  @RegisterExtension
  static final HttpBackend backend = HttpBackend.postgres().withoutTokenCache();

  @Override
  protected VxData newStore(Clock clock) {
    return backend.start(() -> VxDataStore.open(TestPostgres.freshDatabase().storeOptions().withClock(clock)));
  }
}
