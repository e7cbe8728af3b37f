package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.LinkChangesConformanceTests;

/** {@link LinkChangesConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresLinkChangesTest extends LinkChangesConformanceTests {

  @Override
  protected VxData newStore() {
    return TestPostgres.openFreshStore();
  }
}
