package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.HistoryAccessConformanceTests;

/** {@link HistoryAccessConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresHistoryAccessTest extends HistoryAccessConformanceTests {

  @Override
  protected VxData newStore() {
    return TestPostgres.openFreshStore();
  }
}
