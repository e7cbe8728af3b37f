package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.ReleaseConformanceTests;

/** {@link ReleaseConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresReleaseTest extends ReleaseConformanceTests {

  @Override
  protected VxData newStore() {
    return TestPostgres.openFreshStore();
  }
}
