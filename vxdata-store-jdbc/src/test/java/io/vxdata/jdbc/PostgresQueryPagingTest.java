package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.QueryPagingConformanceTests;

/** {@link QueryPagingConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresQueryPagingTest extends QueryPagingConformanceTests {

  @Override
  protected VxData newStore() {
    return TestPostgres.openFreshStore();
  }
}
