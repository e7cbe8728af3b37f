package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.QueryDeletedConformanceTests;
import java.util.UUID;

/** {@link QueryDeletedConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryQueryDeletedTest extends QueryDeletedConformanceTests {

  @Override
  protected VxData newStore() {
    return VxDataStore.open(VxDataStore.h2Memory("conformance-" + UUID.randomUUID()));
  }
}
