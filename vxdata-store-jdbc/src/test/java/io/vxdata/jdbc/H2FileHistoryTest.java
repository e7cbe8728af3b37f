package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.HistoryConformanceTests;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link HistoryConformanceTests} on file-based H2, a new directory per test. */
class H2FileHistoryTest extends HistoryConformanceTests {

  @TempDir
  Path directory;

  @Override
  protected VxData newStore() {
    return TestH2.openFreshFileStore(directory);
  }
}
