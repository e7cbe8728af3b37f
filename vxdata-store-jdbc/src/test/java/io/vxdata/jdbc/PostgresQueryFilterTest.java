package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.QueryFilterConformanceTests;

/** {@link QueryFilterConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresQueryFilterTest extends QueryFilterConformanceTests {

  @Override
  protected VxData newStore() {
    return TestPostgres.openFreshStore();
  }
}
