package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.LifecycleConformanceTests;

/** {@link LifecycleConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryLifecycleTest extends LifecycleConformanceTests {

  @Override
  protected VxData newStore() {
    return TestH2.openFreshMemoryStore();
  }
}
