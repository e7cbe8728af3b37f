package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.AccessConformanceTests;
import java.util.UUID;

/** {@link AccessConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryAccessTest extends AccessConformanceTests {

  @Override
  protected VxData newStore() {
    return VxDataStore.open(VxDataStore.h2Memory("conformance-" + UUID.randomUUID()));
  }
}
