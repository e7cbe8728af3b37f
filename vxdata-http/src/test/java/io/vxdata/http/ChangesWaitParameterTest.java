package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.ValidationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code wait} parameter of {@code GET /changes} (docs/behaviour.md §14.2): seconds, 0 to 20, three decimals at most. */
class ChangesWaitParameterTest {

  @Test
  void secondsWithUpToThreeDecimals() {
    assertThat(ChangesController.waitParam(null)).isNull();
    assertThat(ChangesController.waitParam("0")).isEqualTo(Duration.ZERO);
    assertThat(ChangesController.waitParam("0.001")).isEqualTo(Duration.ofMillis(1));
    assertThat(ChangesController.waitParam("2.5")).isEqualTo(Duration.ofMillis(2500));
    assertThat(ChangesController.waitParam("20")).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void anythingElseIsRefusedNamingWait() {
    for (String bad : new String[] {"", "-1", "20.001", "21", "1e3", "0.0001", "soon", "NaN", "99999999999999999999"}) {
      assertThatThrownBy(() -> ChangesController.waitParam(bad)).as(bad).isInstanceOf(ValidationException.class)
          .satisfies(e -> assertThat(((ValidationException) e).violations())
              .extracting(io.vxdata.Violation::field).containsExactly("wait"));
    }
  }
}
