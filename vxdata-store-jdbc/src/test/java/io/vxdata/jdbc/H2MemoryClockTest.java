package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.ClockConformanceTests;
import java.time.Clock;

/** {@link ClockConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryClockTest extends ClockConformanceTests {

  @Override
  protected VxData newStore(Clock clock) {
    return VxDataStore.open(TestH2.freshMemoryOptions().withClock(clock));
  }
}
