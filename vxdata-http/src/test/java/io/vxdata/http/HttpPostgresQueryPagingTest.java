package io.vxdata.http;

import io.vxdata.VxData;
import io.vxdata.schema.PayloadType;
import io.vxdata.testkit.QueryPagingConformanceTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link QueryPagingConformanceTests} through the HTTP client and server, on PostgreSQL (see {@link io.vxdata.jdbc.TestPostgres}), a new database per test, one server per class. */
class HttpPostgresQueryPagingTest extends QueryPagingConformanceTests {

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
}
