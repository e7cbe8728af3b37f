package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.ClockConformanceTests;
import java.time.Clock;

/** {@link ClockConformanceTests} on PostgreSQL (see {@link TestPostgres}), a new database per test. */
class PostgresClockTest extends ClockConformanceTests {

  @Override
  protected VxData newStore(Clock clock) {
    return VxDataStore.open(TestPostgres.freshDatabase().storeOptions().withClock(clock));
  }
}
