package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.ChangesConformanceTests;

/** {@link ChangesConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresChangesTest extends ChangesConformanceTests {

  @Override
  protected VxData newStore() {
    return TestPostgres.openFreshStore();
  }
}
