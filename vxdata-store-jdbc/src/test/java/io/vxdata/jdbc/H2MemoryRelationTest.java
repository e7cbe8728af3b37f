package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.RelationConformanceTests;

/** {@link RelationConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryRelationTest extends RelationConformanceTests {

  @Override
  protected VxData newStore() {
    return TestH2.openFreshMemoryStore();
  }
}
