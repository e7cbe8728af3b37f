package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.ResourceConformanceTests;

/** {@link ResourceConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryResourceTest extends ResourceConformanceTests {

  @Override
  protected VxData newStore() {
    return TestH2.openFreshMemoryStore();
  }
}
