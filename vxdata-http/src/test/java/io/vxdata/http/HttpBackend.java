package io.vxdata.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vxdata.VxData;
import io.vxdata.client.VxDataClient;
import io.vxdata.jdbc.TestPostgres;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.schema.PayloadType;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server on a free port over a fresh store, and a {@link VxDataClient} of it: what the
 * conformance kit runs against to prove remote semantics identical to in-process. Register it as an
 * instance field with {@code @RegisterExtension}; the server and the store stop after each test
 * (after the kit's own {@code @AfterEach} has closed the client).
 */
final class HttpBackend implements AfterEachCallback {

  private final Supplier<VxData> stores;
  private VxData backing;
  private VxDataServer server;

  private HttpBackend(Supplier<VxData> stores) {
    this.stores = stores;
  }

  /** Each test on a new in-memory H2 database. */
  static HttpBackend h2() {
    return new HttpBackend(() -> VxDataStore.open(VxDataStore.h2Memory("http-" + UUID.randomUUID())));
  }

  /** Each test on a fresh schema of the PostgreSQL named by {@code VXDATA_TEST_PG_URL}; skipped without it. */
  static HttpBackend postgres() {
    return new HttpBackend(() -> {
      String url = System.getenv(TestPostgres.URL_VARIABLE);
      assumeTrue(url != null && !url.isBlank(), "SKIPPED: the HTTP conformance run on PostgreSQL needs "
          + TestPostgres.URL_VARIABLE + " (a jdbc:postgresql: URL, with VXDATA_TEST_PG_USER/_PASSWORD); it is not set. "
          + "The store itself is tested on PostgreSQL by vxdata-store-jdbc.");
      return TestPostgres.openFreshStore();
    });
  }

  /** Opens the store, starts the server on a free port and returns a client of it. */
  VxData start() {
    backing = stores.get();
    server = VxDataServer.start(backing, ServerOptions.defaults().withHost("127.0.0.1").withPort(0));
    return VxDataClient.builder(server.uri()).build();
  }

  /** Registers a type on the server's store: the one thing the HTTP API does not offer. */
  void registerType(PayloadType type) {
    backing.registerType(type);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (backing != null) {
        backing.close();
      }
      server = null;
      backing = null;
    }
  }
}
