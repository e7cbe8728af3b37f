package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.HistoryAccessConformanceTests;

/** {@link HistoryAccessConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryHistoryAccessTest extends HistoryAccessConformanceTests {

  @Override
  protected VxData newStore() {
    return TestH2.openFreshMemoryStore();
  }
}
