package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server's command line: options, environment variables, help and errors. */
class ServerCommandLineTest {

  @Test
  void defaultsServeTheEmbeddedH2FileStoreOnPort8080() {
    ServerCommandLine cl = ServerCommandLine.parse(new String[0], Map.of());

    assertThat(cl.port()).isEqualTo(8080);
    assertThat(cl.host()).isEqualTo("0.0.0.0");
    assertThat(cl.jdbcUrl()).startsWith("jdbc:h2:file:").contains("vxdata-data");
    assertThat(cl.jdbcUser()).isNull();
    assertThat(cl.maxBodyBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(cl.help()).isFalse();
  }

  @Test
  void environmentVariablesSetEveryOptionAndTheCommandLineWins() {
    Map<String, String> env = Map.of("VXDATA_PORT", "9090", "VXDATA_JDBC_URL", "jdbc:postgresql://db/vx",
        "VXDATA_JDBC_USER", "vx", "VXDATA_JDBC_PASSWORD", "secret", "VXDATA_MAX_BODY", "1MiB", "VXDATA_HOST", "127.0.0.1");

    ServerCommandLine fromEnv = ServerCommandLine.parse(new String[0], env);
    assertThat(fromEnv).isEqualTo(new ServerCommandLine(false, "127.0.0.1", 9090, "jdbc:postgresql://db/vx", "vx",
        "secret", 1024 * 1024));

    ServerCommandLine overridden = ServerCommandLine.parse(new String[] {"--port", "7070", "--jdbc-url=jdbc:h2:mem:x",
        "--max-body", "512KiB"}, env);
    assertThat(overridden.port()).isEqualTo(7070);
    assertThat(overridden.jdbcUrl()).isEqualTo("jdbc:h2:mem:x");
    assertThat(overridden.jdbcUser()).isEqualTo("vx");
    assertThat(overridden.maxBodyBytes()).isEqualTo(512 * 1024);
  }

  @Test
  void badCommandLinesSayWhatIsWrong() {
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--prot", "1"}, Map.of()))
        .hasMessageContainingAll("unknown option '--prot'", "--help");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--port"}, Map.of()))
        .hasMessageContainingAll("--port", "needs a value");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--port", "http"}, Map.of()))
        .hasMessageContainingAll("--port", "'http'");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[0], Map.of("VXDATA_PORT", "70000")))
        .hasMessageContainingAll("--port", "70000");
    assertThatThrownBy(() -> ServerCommandLine.parse(new String[] {"--max-body", "lots"}, Map.of()))
        .hasMessageContainingAll("--max-body", "lots");
  }

  @Test
  void helpListsEveryOptionWithItsEnvironmentVariable() {
    Output out = new Output();
    Output err = new Output();

    int status = ServerMain.run(new String[] {"--help"}, Map.of(), out.stream, err.stream);

    assertThat(status).isZero();
    assertThat(out.text()).contains("--port", "VXDATA_PORT", "--jdbc-url", "VXDATA_JDBC_URL", "--jdbc-user",
        "VXDATA_JDBC_USER", "--jdbc-password", "VXDATA_JDBC_PASSWORD", "--max-body", "VXDATA_MAX_BODY", "--help",
        "./vxdata-data");
    assertThat(err.text()).isEmpty();
  }

  @Test
  void anUnknownOptionExitsWithStatus2AndAClearMessage() {
    Output out = new Output();
    Output err = new Output();

    int status = ServerMain.run(new String[] {"--verbose"}, Map.of(), out.stream, err.stream);

    assertThat(status).isEqualTo(ServerMain.USAGE_ERROR).isEqualTo(2);
    assertThat(err.text()).contains("unknown option '--verbose'", "--help");
    assertThat(out.text()).isEmpty();
  }

  @Test
  void startFromTheCommandLineServesTheStoreAndCloseStopsBoth() {
    ServerCommandLine cl = ServerCommandLine.parse(new String[] {"--port", "0", "--host", "127.0.0.1"},
        Map.of("VXDATA_JDBC_URL", "jdbc:h2:mem:cli-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
    ServerMain.Running running = ServerMain.start(cl);
    try {
      RawHttp http = new RawHttp(running.server().uri());
      assertThat(http.get("/health").statusCode()).isEqualTo(200);
      assertThat(http.post("/resources/create", "{\"resources\":[{\"identifier\":\"ds-1\",\"payload_type\":"
          + "\"datasource\",\"name\":\"n\"}]}").body()).isEqualTo("{\"created\":1}");
    } finally {
      running.close();
    }
    assertThatThrownBy(() -> running.store().lastCommitTime()).isInstanceOf(RuntimeException.class);
  }

  private static final class Output {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
