package io.vxdata.jdbc;

import io.vxdata.VxData;
import io.vxdata.testkit.LinkChangesConformanceTests;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link LinkChangesConformanceTests} on file-based H2, a new directory per test. */
class H2FileLinkChangesTest extends LinkChangesConformanceTests {

  @TempDir
  Path directory;

  @Override
  protected VxData newStore() {
    return VxDataStore.open(VxDataStore.h2File(directory));
  }
}
