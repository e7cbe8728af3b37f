package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.LinkChangesConformanceTests;

/** {@link LinkChangesConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryLinkChangesTest extends LinkChangesConformanceTests {

  @Override
  protected VxData newStore() {
    return TestH2.openFreshMemoryStore();
  }
}
