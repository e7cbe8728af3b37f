package io.vxdata.http;

import io.vxdata.VxData;
import io.vxdata.client.VxDataClient;
import io.vxdata.jdbc.TestH2;
import io.vxdata.jdbc.TestPostgres;
import io.vxdata.schema.PayloadType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server on a free port, and for each test a fresh store behind it and a {@link VxDataClient}
 * of it: what the conformance kit runs against to prove remote semantics identical to in-process.
 * Register it as a static field with {@code @RegisterExtension}: the server starts once per test
 * class and serves a stand-in {@link VxData} that forwards every call to the current test's store;
 * {@link #start()} opens that store, and it is closed after the test (after the kit's own
 * {@code @AfterEach} has closed the client). Between tests the server has no store and answers 500.
 *
 * <p><b>Access control</b> (docs/behaviour.md §13). The server runs with authentication off and no
 * anonymous principal ({@link Authentication#off(String) Authentication.off(null)}): the client
 * {@link #start()} returns sends no token and acts as the system handle, as the kit's store does in
 * process; its {@link VxDataClient#as} clients carry tokens and are authenticated as on any server.
 */
final class HttpBackend implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

  /** Tests hold no request in flight when the server stops: idle keep-alive connections may go at once. */
  private static final Duration IDLE_TIMEOUT_ON_STOP = Duration.ofMillis(10);

  /**
   * Options for a test's server: 127.0.0.1, a free port, and idle connections closed at once when it
   * stops (a test's client keeps its connection alive; the default would make each stop wait a second).
   * Not for tests that stop the server under a request in flight that pauses.
   */
  static ServerOptions testServerOptions() {
    return ServerOptions.defaults().withHost("127.0.0.1").withPort(0).withIdleTimeoutOnStop(IDLE_TIMEOUT_ON_STOP)
        .withAuthentication(Authentication.off(null));
  }

  private final Supplier<VxData> stores;
  private final ServerOptions options;
  private final Forwarder forwarder = new Forwarder();
  private VxDataServer server;
  private VxData backing;

  private HttpBackend(Supplier<VxData> stores, ServerOptions options) {
    this.stores = stores;
    this.options = options;
  }

  /** Each test on a new in-memory H2 database, a copy of the migrated template (see {@link TestH2}). */
  static HttpBackend h2() {
    return new HttpBackend(TestH2::openFreshMemoryStore, testServerOptions());
  }

  /**
   * Each test on a fresh database of the test PostgreSQL: the server named by {@code VXDATA_TEST_PG_URL},
   * or an embedded one (see {@link TestPostgres}).
   */
  static HttpBackend postgres() {
    return new HttpBackend(TestPostgres::openFreshStore, testServerOptions());
  }

  /**
   * This backend with a server that keeps no token: each request asks the store, for tests that drive the
   * store's clock past a token's expiry (the cache runs by the real time; TokenCacheTest covers it).
   */
  HttpBackend withoutTokenCache() {
    return new HttpBackend(stores, options.withAuthentication(options.authentication().withCacheTtl(Duration.ZERO)));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    VxData served = (VxData) Proxy.newProxyInstance(VxData.class.getClassLoader(), new Class<?>[] {VxData.class},
        forwarder);
    server = VxDataServer.start(served, options);
  }

  /** Opens this test's store behind the server and returns a new client of the server. */
  VxData start() {
    return start(stores);
  }

  /** Opens this test's store with {@code store} (one with a test's clock, say) and returns a new client. */
  VxData start(Supplier<VxData> store) {
    if (server == null) {
      throw new IllegalStateException("register the HttpBackend as a static field: the server starts before all tests");
    }
    backing = store.get();
    forwarder.target = backing;
    return VxDataClient.builder(server.uri()).build();
  }

  /** Registers a type through the server ({@code PUT /schemas/{name}}), as a client does. */
  void registerType(PayloadType type) {
    VxDataClient.builder(server.uri()).build().registerType(type);
  }

  /** The store's first-start bootstrap, on the server's store (there is no route for it). */
  java.util.Optional<io.vxdata.access.IssuedToken> bootstrap(String adminId) {
    return backing.access().bootstrap(adminId, null);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    forwarder.target = null;
    if (backing != null) {
      backing.close();
      backing = null;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Forwards each call of the served {@link VxData} to the current test's store. */
  private static final class Forwarder implements InvocationHandler {

    volatile VxData target;

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "HttpBackend's store of the current test";
        };
      }
      VxData current = target;
      if (current == null) {
        throw new IllegalStateException("no test is running: the server has no store");
      }
      try {
        return method.invoke(current, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
