package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.ResourceConformanceTests;

/** {@link ResourceConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresResourceTest extends ResourceConformanceTests {

  @Override
  protected VxData newStore() {
    return TestPostgres.openFreshStore();
  }
}
