package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.ChangesConformanceTests;

/** {@link ChangesConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryChangesTest extends ChangesConformanceTests {

  @Override
  protected VxData newStore() {
    return TestH2.openFreshMemoryStore();
  }
}
