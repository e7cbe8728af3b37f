package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.BatchWriteConformanceTests;

/** {@link BatchWriteConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresBatchWriteTest extends BatchWriteConformanceTests {

  @Override
  protected VxData newStore() {
    return TestPostgres.openFreshStore();
  }
}
