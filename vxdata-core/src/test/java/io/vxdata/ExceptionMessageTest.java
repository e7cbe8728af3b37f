package io.vxdata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Messages built from request text: a {@code %} in it is text, never a format conversion. */
class ExceptionMessageTest {

  @ParameterizedTest
  @ValueSource(strings = {"%Z", "%|", "%'", "%s%n%d", "100%", "%"})
  void aMessageWithoutArgumentsIsTakenAsItIs(String input) {
    String built = "'" + input + "' is not a valid identifier";

    assertThat(ValidationException.of(input, "identifier", built)).hasMessage(
        "identifier '" + input + "', field 'identifier': " + built);
    assertThat(NotFoundException.of(input, built)).hasMessage("identifier '" + input + "': " + built);
    assertThat(new ValidationException(built)).hasMessage(built);
    assertThat(new NotFoundException(built)).hasMessage(built);
  }

  @Test
  void argumentsAreStillFormattedAndNeverReadAsFormats() {
    assertThat(ValidationException.of(null, "f", "'%s' is bad", "%Z")).hasMessage("field 'f': '%Z' is bad");
  }
}
