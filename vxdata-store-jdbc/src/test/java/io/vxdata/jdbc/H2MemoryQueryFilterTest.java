package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.QueryFilterConformanceTests;
import java.util.UUID;

/** {@link QueryFilterConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryQueryFilterTest extends QueryFilterConformanceTests {

  @Override
  protected VxData newStore() {
    return VxDataStore.open(VxDataStore.h2Memory("conformance-" + UUID.randomUUID()));
  }
}
