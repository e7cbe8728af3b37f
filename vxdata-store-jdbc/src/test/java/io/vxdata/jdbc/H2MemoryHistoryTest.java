package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.HistoryConformanceTests;

/** {@link HistoryConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryHistoryTest extends HistoryConformanceTests {

  @Override
  protected VxData newStore() {
    return TestH2.openFreshMemoryStore();
  }
}
