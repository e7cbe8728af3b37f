package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.BatchWriteConformanceTests;
import java.util.UUID;

/** {@link BatchWriteConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryBatchWriteTest extends BatchWriteConformanceTests {

  @Override
  protected VxData newStore() {
    return VxDataStore.open(VxDataStore.h2Memory("conformance-" + UUID.randomUUID()));
  }
}
