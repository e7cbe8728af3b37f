package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.BatchWriteConformanceTests;

/** {@link BatchWriteConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryBatchWriteTest extends BatchWriteConformanceTests {

  @Override
  protected VxData newStore() {
    return TestH2.openFreshMemoryStore();
  }
}
