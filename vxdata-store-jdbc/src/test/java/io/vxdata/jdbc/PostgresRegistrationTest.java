package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.RegistrationConformanceTests;

/** {@link RegistrationConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresRegistrationTest extends RegistrationConformanceTests {

  @Override
  protected VxData newStore() {
    return TestPostgres.openFreshStore();
  }
}
