package io.vxdata.http;

import io.vxdata.VxData;
import io.vxdata.jdbc.TestH2;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What a test of the server's own routes needs and nothing more: a server over a fresh in-memory H2
 * store for each test (a copy of the migrated template, see {@link TestH2}), and a raw HTTP client to it.
 */
abstract class H2ServerTest {

  VxData store;
  VxDataServer server;
  RawHttp http;

  @BeforeEach
  void startServer() {
    store = TestH2.openFreshMemoryStore();
    server = VxDataServer.start(store, HttpBackend.testServerOptions());
    http = new RawHttp(server.uri());
  }

  @AfterEach
  void stopServer() {
    server.close();
    store.close();
  }
}
