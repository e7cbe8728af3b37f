package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.QueryPagingConformanceTests;

/** {@link QueryPagingConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryQueryPagingTest extends QueryPagingConformanceTests {

  @Override
  protected VxData newStore() {
    return TestH2.openFreshMemoryStore();
  }
}
