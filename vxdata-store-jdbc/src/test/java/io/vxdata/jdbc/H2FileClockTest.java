package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.ClockConformanceTests;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClockConformanceTests} on file-based H2, a new directory per test. */
class H2FileClockTest extends ClockConformanceTests {

  @TempDir
  Path directory;

  @Override
  protected VxData newStore(Clock clock) {
    return VxDataStore.open(TestH2.freshFileOptions(directory).withClock(clock));
  }
}
