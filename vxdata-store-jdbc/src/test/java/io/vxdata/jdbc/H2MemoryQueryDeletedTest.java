package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.QueryDeletedConformanceTests;

/** {@link QueryDeletedConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryQueryDeletedTest extends QueryDeletedConformanceTests {

  @Override
  protected VxData newStore() {
    return TestH2.openFreshMemoryStore();
  }
}
