package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.AccessConformanceTests;

/** {@link AccessConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryAccessTest extends AccessConformanceTests {

  @Override
  protected VxData newStore() {
    return TestH2.openFreshMemoryStore();
  }
}
