package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.AccessLevel;
import io.vxdata.UnauthenticatedException;
import io.vxdata.VxData;
import io.vxdata.access.IssuedToken;
import io.vxdata.access.Principal;
import io.vxdata.access.PrincipalUpdate;
import io.vxdata.jdbc.TestH2;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-process token cache (docs/behaviour.md §13.5): a token revoked or a principal disabled by
 * another process is refused once the cache's time (at most a second) has run out, by the cache's own clock;
 * through this server at once; and a cached token is answered from memory (its cost is printed).
 */
class TokenCacheTest {

  private VxData store;
  private VxDataServer server;
  private IssuedToken token;

  @BeforeEach
  void start() {
    store = TestH2.openFreshMemoryStore();
    store.access().createPrincipal(Principal.of("alice", "Alice", AccessLevel.INTERNAL));
    store.access().createPrincipal(new Principal("root", "Root", true, AccessLevel.RESTRICTED, false));
    token = store.access().issueToken("alice", null);
    server = VxDataServer.start(store, HttpBackend.testServerOptions().withAuthentication(Authentication.required()));
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private int whoami(String secret) {
    return new RawHttp(server.uri()).send("GET", "/whoami", null, "Authorization", "Bearer " + secret).statusCode();
  }

  @Test
  void aTokenRevokedElsewhereIsTrustedForAtMostTheCacheTtl() {
    AtomicLong now = new AtomicLong(-5_000_000_000L); // the clock the cache runs by, wherever it starts
    Authenticator authenticator = new Authenticator(store, Authentication.required(), now::get);
    String header = "Bearer " + token.secret();
    assertThat(authenticator.principal(header)).isEqualTo("alice");
    store.access().revokeToken(token.id()); // as another process would: this cache does not know
    now.addAndGet(Authentication.MAX_CACHE_TTL.toNanos() - 1);
    assertThat(authenticator.principal(header)).as("trusted from the cache, inside its second").isEqualTo("alice");
    now.incrementAndGet();
    assertThatThrownBy(() -> authenticator.principal(header)).isInstanceOf(UnauthenticatedException.class);
    now.addAndGet(-10); // the refusal was not cached: the store is asked again, and refuses again
    assertThatThrownBy(() -> authenticator.principal(header)).isInstanceOf(UnauthenticatedException.class);
  }

  @Test
  void aPrincipalDisabledElsewhereIsRefusedOnceTheCacheTtlHasRunOut() {
    AtomicLong now = new AtomicLong();
    Authenticator authenticator = new Authenticator(store,
        Authentication.required().withCacheTtl(Duration.ofMillis(250)), now::get);
    String header = "Bearer " + token.secret();
    assertThat(authenticator.principal(header)).isEqualTo("alice");
    store.access().updatePrincipal("alice", PrincipalUpdate.disabled(true));
    now.addAndGet(Duration.ofMillis(249).toNanos());
    assertThat(authenticator.principal(header)).isEqualTo("alice");
    now.addAndGet(Duration.ofMillis(1).toNanos());
    assertThatThrownBy(() -> authenticator.principal(header)).isInstanceOf(UnauthenticatedException.class);
  }

  @Test
  void withoutACacheATokenRevokedElsewhereIsRefusedOnTheNextRequest() {
    try (VxDataServer uncached = VxDataServer.start(store, HttpBackend.testServerOptions()
        .withAuthentication(Authentication.required().withCacheTtl(Duration.ZERO)))) {
      RawHttp http = new RawHttp(uncached.uri());
      String bearer = "Bearer " + token.secret();
      assertThat(http.send("GET", "/whoami", null, "Authorization", bearer).statusCode()).isEqualTo(200);
      store.access().revokeToken(token.id());
      assertThat(http.send("GET", "/whoami", null, "Authorization", bearer).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void aDisabledPrincipalIsRefusedAtOnceWhenDisabledThroughThisServer() {
    String root = store.access().issueToken("root", null).secret();
    assertThat(whoami(token.secret())).isEqualTo(200);
    var answer = new RawHttp(server.uri()).send("PATCH", "/principals/alice", "{\"disabled\":true}",
        "Authorization", "Bearer " + root);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(whoami(token.secret())).isEqualTo(401);
    store.access().updatePrincipal("alice", PrincipalUpdate.disabled(false));
    assertThat(whoami(token.secret())).isEqualTo(200);
  }

  @Test
  void aCachedTokenIsAnsweredFromMemoryWithoutTheStore() {
    AtomicLong now = new AtomicLong();
    Authenticator authenticator = new Authenticator(store, Authentication.required(), now::get);
    String header = "Bearer " + token.secret();
    long missStart = System.nanoTime();
    assertThat(authenticator.principal(header)).isEqualTo("alice");
    long miss = System.nanoTime() - missStart;
    store.access().revokeToken(token.id()); // every answer below comes from the cache, or it would be a refusal
    int n = 200_000;
    for (int i = 0; i < n; i++) { // warm-up
      authenticator.principal(header);
    }
    int answered = 0;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      answered += "alice".equals(authenticator.principal(header)) ? 1 : 0;
    }
    double perCallMicros = (System.nanoTime() - start) / 1000.0 / n;
    assertThat(answered).isEqualTo(n);
    // For the record, not asserted (a test has no wall-clock limits): what a cached token costs, and the view
    // each request then runs through, which reads the principal's admin flag (one query).
    for (int i = 0; i < 2000; i++) {
      store.as("alice", "r");
    }
    long viewStart = System.nanoTime();
    for (int i = 0; i < 2000; i++) {
      store.as("alice", "r");
    }
    System.out.printf("token resolution: cached %.2f µs per request; first (store) %.2f ms;"
        + " vx.as(principal, requestId) on H2 in memory: %.2f µs%n", perCallMicros, miss / 1e6,
        (System.nanoTime() - viewStart) / 1000.0 / 2000);
  }
}
