package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.TimeConformanceTests;

/** {@link TimeConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresTimeTest extends TimeConformanceTests {

  @Override
  protected VxData newStore() {
    return TestPostgres.openFreshStore();
  }
}
