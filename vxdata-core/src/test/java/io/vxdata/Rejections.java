package io.vxdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test support: the violations a call is rejected with, each naming its identifier, field and problem. */
public final class Rejections {

  private Rejections() {}

  /**
   * Runs {@code call}, asserts that it throws a {@link ValidationException} whose message is the
   * first violation (with a count of the others), and returns the violations.
   */
  public static List<Violation> violationsOf(ThrowingCallable call) {
    ValidationException e = catchThrowableOfType(ValidationException.class, call);
    assertThat(e).as("the call should be rejected with a ValidationException").isNotNull();
    List<Violation> violations = e.violations();
    assertThat(violations).isNotEmpty();
    String more = violations.size() == 1 ? "" : " (and " + (violations.size() - 1) + " more)";
    assertThat(e).hasMessage(violations.get(0) + more);
    return violations;
  }

  /** As {@link #violationsOf}, asserting there is exactly one violation, and returning it. */
  public static Violation violationOf(ThrowingCallable call) {
    List<Violation> violations = violationsOf(call);
    assertThat(violations).hasSize(1);
    return violations.get(0);
  }
}
