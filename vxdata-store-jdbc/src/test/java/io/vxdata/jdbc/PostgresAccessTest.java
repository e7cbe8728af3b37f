package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.AccessConformanceTests;

/** {@link AccessConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresAccessTest extends AccessConformanceTests {

  @Override
  protected VxData newStore() {
    return TestPostgres.openFreshStore();
  }
}
