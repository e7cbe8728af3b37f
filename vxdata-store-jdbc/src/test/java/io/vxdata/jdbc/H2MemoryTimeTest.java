package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.TimeConformanceTests;

/** {@link TimeConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryTimeTest extends TimeConformanceTests {

  @Override
  protected VxData newStore() {
    return TestH2.openFreshMemoryStore();
  }
}
