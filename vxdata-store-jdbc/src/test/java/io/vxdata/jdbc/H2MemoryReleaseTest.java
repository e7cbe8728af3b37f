package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.ReleaseConformanceTests;
import java.util.UUID;

/** {@link ReleaseConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryReleaseTest extends ReleaseConformanceTests {

  @Override
  protected VxData newStore() {
    return VxDataStore.open(VxDataStore.h2Memory("conformance-" + UUID.randomUUID()));
  }
}
