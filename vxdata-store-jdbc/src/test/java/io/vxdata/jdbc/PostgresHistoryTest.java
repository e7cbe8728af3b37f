package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.HistoryConformanceTests;

/** {@link HistoryConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresHistoryTest extends HistoryConformanceTests {

  @Override
  protected VxData newStore() {
    return TestPostgres.openFreshStore();
  }
}
