package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.QueryPagingConformanceTests;
import java.util.UUID;

/** {@link QueryPagingConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryQueryPagingTest extends QueryPagingConformanceTests {

  @Override
  protected VxData newStore() {
    return VxDataStore.open(VxDataStore.h2Memory("conformance-" + UUID.randomUUID()));
  }
}
