package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.HistoryConformanceTests;
import java.util.UUID;

/** {@link HistoryConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryHistoryTest extends HistoryConformanceTests {

  @Override
  protected VxData newStore() {
    return VxDataStore.open(VxDataStore.h2Memory("conformance-" + UUID.randomUUID()));
  }
}
