package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.RelationConformanceTests;

/** {@link RelationConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresRelationTest extends RelationConformanceTests {

  @Override
  protected VxData newStore() {
    return TestPostgres.openFreshStore();
  }
}
