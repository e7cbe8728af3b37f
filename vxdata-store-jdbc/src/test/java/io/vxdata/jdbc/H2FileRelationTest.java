package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.RelationConformanceTests;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link RelationConformanceTests} on file-based H2, a new directory per test. */
class H2FileRelationTest extends RelationConformanceTests {

  @TempDir
  Path directory;

  @Override
  protected VxData newStore() {
    return TestH2.openFreshFileStore(directory);
  }
}
