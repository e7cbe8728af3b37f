package io.vxdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AsOfTest {

  @Test
  void aReleaseIsNeitherLatestNorATime() {
    AsOf release = AsOf.release("v1.0");
    assertThat(release.release()).contains("v1.0");
    assertThat(release.instant()).isEmpty();
    assertThat(release.isLatest()).isFalse();
    assertThat(release).isEqualTo(AsOf.release("v1.0")).hasSameHashCodeAs(AsOf.release("v1.0"))
        .isNotEqualTo(AsOf.release("v1.1")).isNotEqualTo(AsOf.latest());
    assertThat(release.toString()).isEqualTo("release v1.0");
  }

  @Test
  void theOtherKindsNameNoRelease() {
    Instant t = Instant.parse("2026-05-20T00:00:00Z");
    assertThat(AsOf.latest().release()).isEmpty();
    assertThat(AsOf.latest().isLatest()).isTrue();
    assertThat(AsOf.at(t).release()).isEmpty();
    assertThat(AsOf.at(t).instant()).contains(t);
    assertThat(AsOf.at(t).isLatest()).isFalse();
    assertThat(AsOf.parse("2026-05-20")).isEqualTo(AsOf.at(t));
  }

  @Test
  void aMalformedReleaseNameIsRefusedNamingRelease() {
    for (String bad : new String[] {null, "", "_a", "a/b", "a b", "ü", "x".repeat(101)}) {
      ValidationException e = catchThrowableOfType(ValidationException.class, () -> AsOf.release(bad));
      assertThat(e).as("'%s'", bad).isNotNull();
      assertThat(e.violations()).extracting(Violation::field).containsExactly("release");
    }
    assertThat(AsOf.release("x".repeat(100)).release()).contains("x".repeat(100));
    assertThat(AsOf.release("0.9_beta-1").release()).contains("0.9_beta-1");
  }
}
