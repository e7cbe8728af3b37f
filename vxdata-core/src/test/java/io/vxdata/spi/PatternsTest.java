package io.vxdata.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The pattern subset both databases read alike (H2: Java's regex engine; PostgreSQL: ARE). */
class PatternsTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "^a.c$", "a|b", "(ab)+", "(?:ab)*?", "[a-z0-9_]", "[^\\]]", "a{2}", "a{2,}",
      "a{0,255}", "\\d+\\s\\w", "\\D\\S\\W", "[\\d\\s]", "\\.\\*\\(\\)\\[\\{\\}\\\\", "\\t\\n\\r", "[a-]", "x+?"})
  void acceptsTheCommonSubset(String regex) {
    assertThat(Patterns.regexProblem(regex)).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a++|follows another",
      "a*+|follows another",
      "*a|nothing to repeat",
      "(?<n>a)|only (?: ...) groups",
      "(?i)a|only (?: ...) groups",
      "(?=a)|only (?: ...) groups",
      "\\p{L}|escape \\p",
      "\\bword|escape \\b",
      "\\Q.\\E|escape \\Q",
      "\\x41|escape \\x",
      "\\1|escape \\1",
      "a{1,300}|must have 0 <= n <= m <= 255",
      "a{3,1}|must have 0 <= n <= m <= 255",
      "a{|must start a bound",
      "}|unescaped }",
      "[[:alpha:]]|for a bracket inside",
      "[a&&b]|class intersection",
      "[\\d-z]|cannot bound a range",
      "[abc|is not closed",
      "(ab|invalid regular expression",
      "ab)|unbalanced )",
      "a\\|lone backslash"})
  void rejectsWhatOneBackendReadsDifferentlyOrNotAtAll(String regex, String problem) {
    assertThat(Patterns.regexProblem(regex)).contains(problem);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc\\", "%\\\\\\", "\\"})
  void aLikePatternMayNotEndInTheEscapeCharacter(String pattern) {
    assertThat(Patterns.likeProblem(pattern)).isEqualTo(
        "the pattern ends in the escape character \\; write \\\\ for a backslash");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "a\\\\", "a\\%", "%_%", ""})
  void likePatternsWithEscapedEndsAreFine(String pattern) {
    assertThat(Patterns.likeProblem(pattern)).isNull();
  }

  @Test
  void patternsHoldOnlyStorableText() {
    assertThat(Patterns.likeProblem("a\u0000")).contains("NUL character");
    assertThat(Patterns.regexProblem("a\u0000")).contains("NUL character");
    assertThat(Patterns.likeProblem("\ud800")).contains("unpaired surrogate");
    assertThat(Patterns.regexProblem("\ud800")).contains("unpaired surrogate");
  }

  @ParameterizedTest
  @ValueSource(ints = {1001, 5000})
  void patternsAreBoundedInLength(int length) {
    assertThat(Patterns.regexProblem("a".repeat(length))).isEqualTo("the pattern is longer than 1000 characters");
  }
}
