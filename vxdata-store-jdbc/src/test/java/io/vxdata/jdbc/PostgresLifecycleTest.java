package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.LifecycleConformanceTests;

/** {@link LifecycleConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresLifecycleTest extends LifecycleConformanceTests {

  @Override
  protected VxData newStore() {
    return TestPostgres.openFreshStore();
  }
}
