package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.ReleaseConformanceTests;

/** {@link ReleaseConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryReleaseTest extends ReleaseConformanceTests {

  @Override
  protected VxData newStore() {
    return TestH2.openFreshMemoryStore();
  }
}
