package io.vxdata.http;

import io.vxdata.VxData;
import io.vxdata.access.IssuedToken;
import io.vxdata.schema.PayloadType;
import io.vxdata.testkit.AccessConformanceTests;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AccessConformanceTests} through the HTTP client and server, on PostgreSQL (see {@link io.vxdata.jdbc.TestPostgres}), a new database per test, one server per class. */
class HttpPostgresAccessTest extends AccessConformanceTests {

  @RegisterExtension
  static final HttpBackend backend = HttpBackend.postgres();

  @Override
  protected VxData newStore() {
    return backend.start();
  }

  @Override
  protected void registerType(PayloadType type) {
    backend.registerType(type);
  }

  @Override
  protected Optional<IssuedToken> bootstrap(String adminId) {
    return backend.bootstrap(adminId);
  }
}
