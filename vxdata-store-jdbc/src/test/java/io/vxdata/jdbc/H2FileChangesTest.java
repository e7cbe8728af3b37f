package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.ChangesConformanceTests;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChangesConformanceTests} on file-based H2, a new directory per test. */
class H2FileChangesTest extends ChangesConformanceTests {

  @TempDir
  Path directory;

  @Override
  protected VxData newStore() {
    return TestH2.openFreshFileStore(directory);
  }
}
