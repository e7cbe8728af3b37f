package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.LifecycleConformanceTests;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link LifecycleConformanceTests} on file-based H2, a new directory per test. */
class H2FileLifecycleTest extends LifecycleConformanceTests {

  @TempDir
  Path directory;

  @Override
  protected VxData newStore() {
    return TestH2.openFreshFileStore(directory);
  }
}
