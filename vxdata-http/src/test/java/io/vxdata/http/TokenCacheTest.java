package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.AccessLevel;
import io.vxdata.VxData;
import io.vxdata.access.IssuedToken;
import io.vxdata.access.Principal;
import io.vxdata.access.PrincipalUpdate;
import io.vxdata.jdbc.TestH2;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-process token cache (docs/behaviour.md §13.5): a token revoked or a principal disabled by
 * another process is refused within a second; through this server at once; and a cached token costs
 * far less than the 0.1 ms per request allowed.
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
  void aTokenRevokedElsewhereIsRefusedWithinASecond() throws InterruptedException {
    assertThat(whoami(token.secret())).isEqualTo(200);
    long revoked = System.nanoTime();
    store.access().revokeToken(token.id()); // another process: this server's cache does not know
    while (whoami(token.secret()) == 200) {
      assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(Duration.ofMillis(1100));
      Thread.sleep(20);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(Duration.ofMillis(1100));
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
  void aCachedTokenCostsWellUnderATenthOfAMillisecond() {
    Authenticator authenticator = new Authenticator(store, Authentication.required());
    String header = "Bearer " + token.secret();
    long missStart = System.nanoTime();
    assertThat(authenticator.principal(header)).isEqualTo("alice");
    long miss = System.nanoTime() - missStart;
    int n = 200_000;
    for (int i = 0; i < n; i++) { // warm-up
      authenticator.principal(header);
    }
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      authenticator.principal(header);
    }
    double perCallMicros = (System.nanoTime() - start) / 1000.0 / n;
    System.out.printf("token resolution: cached %.2f µs per request; first (store) %.2f ms%n", perCallMicros,
        miss / 1e6);
    assertThat(perCallMicros).isLessThan(100.0);
    // For the record: the view each request then runs through reads the principal's admin flag (one query).
    for (int i = 0; i < 2000; i++) {
      store.as("alice", "r");
    }
    long viewStart = System.nanoTime();
    for (int i = 0; i < 2000; i++) {
      store.as("alice", "r");
    }
    System.out.printf("vx.as(principal, requestId) on H2 in memory: %.2f µs per request%n",
        (System.nanoTime() - viewStart) / 1000.0 / 2000);
  }
}
