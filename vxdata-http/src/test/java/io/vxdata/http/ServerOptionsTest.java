package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {

  @Test
  void defaultsCloseConnectionsIdleForASecondOnceAStopBegins() {
    assertThat(ServerOptions.defaults().idleTimeoutOnStop()).isEqualTo(Duration.ofSeconds(1));
    assertThat(ServerOptions.defaults().withPort(0).withIdleTimeoutOnStop(Duration.ofMillis(5)))
        .isEqualTo(new ServerOptions("0.0.0.0", 0, ServerOptions.DEFAULT_MAX_BODY_BYTES, Duration.ofMillis(5)));
  }

  @Test
  void idleTimeoutOnStopMustBeAtLeastAMillisecond() {
    // Jetty reads 0 as "no timeout": the stop would wait for idle connections for ever.
    assertThatThrownBy(() -> ServerOptions.defaults().withIdleTimeoutOnStop(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeoutOnStop must be at least 1 ms");
    assertThatThrownBy(() -> ServerOptions.defaults().withIdleTimeoutOnStop(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeoutOnStop");
    assertThatThrownBy(() -> ServerOptions.defaults().withIdleTimeoutOnStop(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("idleTimeoutOnStop");
  }
}
