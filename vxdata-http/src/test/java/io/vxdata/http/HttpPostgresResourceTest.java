package io.vxdata.http;

import io.vxdata.VxData;
import io.vxdata.schema.PayloadType;
import io.vxdata.testkit.ResourceConformanceTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ResourceConformanceTests} through the HTTP client and server, on PostgreSQL from VXDATA_TEST_PG_URL (skipped without it), a new schema per test. */
class HttpPostgresResourceTest extends ResourceConformanceTests {

  @RegisterExtension
  final HttpBackend backend = HttpBackend.postgres();

  @Override
  protected VxData newStore() {
    return backend.start();
  }

  @Override
  protected void registerType(PayloadType type) {
    backend.registerType(type);
  }
}
