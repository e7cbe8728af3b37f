package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.QueryDeletedConformanceTests;

/** {@link QueryDeletedConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresQueryDeletedTest extends QueryDeletedConformanceTests {

  @Override
  protected VxData newStore() {
    return TestPostgres.openFreshStore();
  }
}
