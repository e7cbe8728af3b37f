package io.vxdata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's defaults for access control (docs/behaviour.md §13.7): authentication on, the first start
 * writes the admin's token to {@code DATA_DIR/admin-token} (mode 600) and logs the path but never the
 * token, {@code VXDATA_ADMIN_TOKEN} sets it, and {@code --auth off} is refused off loopback.
 */
class AuthStartIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static int status(ServerProcess server, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.base().resolve(path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void theFirstStartWritesTheAdminTokenForItsOwnerOnlyAndLogsOnlyItsPath(@TempDir Path dir) throws Exception {
    try (ServerProcess server = ServerProcess.start(dir, dir.resolve("server.log"), List.of("--auth", "on"))) {
      Path file = dir.resolve("vxdata-data/admin-token");
      String token = Files.readString(file).strip();
      assertThat(token).hasSizeGreaterThanOrEqualTo(43);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(server.log()).contains(file.toRealPath().toString()).doesNotContain(token);
      assertThat(status(server, "/health", null)).isEqualTo(200);
      assertThat(status(server, "/whoami", null)).isEqualTo(401);
      assertThat(status(server, "/whoami", token)).isEqualTo(200);
      assertThat(server.log()).doesNotContain(token);
    }
    // A second start on the same store keeps the admin and its token.
    try (ServerProcess again = ServerProcess.start(dir, dir.resolve("server2.log"), List.of("--auth", "on"))) {
      assertThat(status(again, "/whoami", Files.readString(dir.resolve("vxdata-data/admin-token")).strip()))
          .isEqualTo(200);
      assertThat(again.log()).doesNotContain("First start");
    }
  }

  @Test
  void vxdataAdminTokenSetsTheTokenAndAuthOffMakesTokenlessRequestsTheAdmin(@TempDir Path dir) throws Exception {
    String secret = "a".repeat(20) + "B".repeat(20) + "-_9";
    try (ServerProcess server = ServerProcess.start(dir, dir.resolve("server.log"), List.of("--auth", "off"),
        Map.of("VXDATA_ADMIN_TOKEN", secret))) {
      assertThat(status(server, "/whoami", null)).isEqualTo(200);
      assertThat(status(server, "/whoami", secret)).isEqualTo(200);
      assertThat(status(server, "/whoami", "x".repeat(43))).isEqualTo(401);
      assertThat(server.log()).contains("Authentication OFF").doesNotContain(secret);
    }
  }

  @Test
  void authOffIsRefusedOffLoopbackUnlessForced(@TempDir Path dir) throws Exception {
    ServerProcess.Exited refused = ServerProcess.runToExit(dir, List.of("--auth", "off", "--host", "0.0.0.0",
        "--port", "0"));
    assertThat(refused.status()).isEqualTo(ServerMain.USAGE_ERROR);
    assertThat(refused.stderrLines()).singleElement().asString().startsWith("vxdata-server: --auth off")
        .contains("--allow-insecure");
  }
}
