package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.QueryFilterConformanceTests;

/** {@link QueryFilterConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryQueryFilterTest extends QueryFilterConformanceTests {

  @Override
  protected VxData newStore() {
    return TestH2.openFreshMemoryStore();
  }
}
