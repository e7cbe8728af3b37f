package io.vxdata.http;

import io.vxdata.VxData;
import io.vxdata.jdbc.VxDataStore;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What a test of the server's own routes needs and nothing more: a server over a fresh in-memory H2
 * store for each test, and a raw HTTP client to it.
 */
abstract class H2ServerTest {

  VxData store;
  VxDataServer server;
  RawHttp http;

  @BeforeEach
  void startServer() {
    store = VxDataStore.open(VxDataStore.h2Memory(getClass().getSimpleName() + "-" + UUID.randomUUID()));
    server = VxDataServer.start(store, HttpBackend.testServerOptions());
    http = new RawHttp(server.uri());
  }

  @AfterEach
  void stopServer() {
    server.close();
    store.close();
  }
}
