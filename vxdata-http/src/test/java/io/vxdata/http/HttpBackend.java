package io.vxdata.http;

import io.vxdata.VxData;
import io.vxdata.client.VxDataClient;
import io.vxdata.jdbc.TestPostgres;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.schema.PayloadType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.UUID;
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
 * <p><b>NOT YET: access control (#12, docs/behaviour.md §13).</b> The HTTP half of access control
 * (tokens, admin routes, 401/403) is not built, {@link VxDataClient#as} and
 * {@link VxDataClient#access()} throw {@link UnsupportedOperationException}, and so <b>no
 * {@code Http*AccessTest} runs {@code AccessConformanceTests} or {@code HistoryAccessConformanceTests}
 * through this backend yet</b>: the access kits run in process only (vxdata-store-jdbc, H2 and
 * PostgreSQL). Adding those subclasses is part of the server step.
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
    return ServerOptions.defaults().withHost("127.0.0.1").withPort(0).withIdleTimeoutOnStop(IDLE_TIMEOUT_ON_STOP);
  }

  private final Supplier<VxData> stores;
  private final Forwarder forwarder = new Forwarder();
  private VxDataServer server;
  private VxData backing;

  private HttpBackend(Supplier<VxData> stores) {
    this.stores = stores;
  }

  /** Each test on a new in-memory H2 database. */
  static HttpBackend h2() {
    return new HttpBackend(() -> VxDataStore.open(VxDataStore.h2Memory("http-" + UUID.randomUUID())));
  }

  /**
   * Each test on a fresh schema of the test PostgreSQL: the server named by {@code VXDATA_TEST_PG_URL},
   * or an embedded one (see {@link TestPostgres}).
   */
  static HttpBackend postgres() {
    return new HttpBackend(TestPostgres::openFreshStore);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    VxData served = (VxData) Proxy.newProxyInstance(VxData.class.getClassLoader(), new Class<?>[] {VxData.class},
        forwarder);
    server = VxDataServer.start(served, testServerOptions());
  }

  /** Opens this test's store behind the server and returns a new client of the server. */
  VxData start() {
    if (server == null) {
      throw new IllegalStateException("register the HttpBackend as a static field: the server starts before all tests");
    }
    backing = stores.get();
    forwarder.target = backing;
    return VxDataClient.builder(server.uri()).build();
  }

  /** Registers a type on the server's store: the one thing the HTTP API does not offer. */
  void registerType(PayloadType type) {
    backing.registerType(type);
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
