package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.QueryDeletedConformanceTests;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link QueryDeletedConformanceTests} on file-based H2, a new directory per test. */
class H2FileQueryDeletedTest extends QueryDeletedConformanceTests {

  @TempDir
  Path directory;

  @Override
  protected VxData newStore() {
    return TestH2.openFreshFileStore(directory);
  }
}
