package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.RegistrationConformanceTests;

/** {@link RegistrationConformanceTests} on in-memory H2, a new database per test. */
class H2MemoryRegistrationTest extends RegistrationConformanceTests {

  @Override
  protected VxData newStore() {
    return TestH2.openFreshMemoryStore();
  }
}
