package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.ReleaseConformanceTests;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReleaseConformanceTests} on file-based H2, a new directory per test. */
class H2FileReleaseTest extends ReleaseConformanceTests {

  @TempDir
  Path directory;

  @Override
  protected VxData newStore() {
    return TestH2.openFreshFileStore(directory);
  }
}
