package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.TimeConformanceTests;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link TimeConformanceTests} on file-based H2, a new directory per test. */
class H2FileTimeTest extends TimeConformanceTests {

  @TempDir
  Path directory;

  @Override
  protected VxData newStore() {
    return TestH2.openFreshFileStore(directory);
  }
}
