package io.vxdata.spi;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The pattern syntax every backend accepts, checked before any SQL runs. H2 matches {@code regex}
 * with Java's engine and PostgreSQL with its own (ARE); they disagree on much (possessive
 * quantifiers, named groups, inline flags, {@code \p}, {@code \b}, {@code [[:alpha:]]}, bounds over
 * 255), so the filter language accepts only a common subset, which means the same on both:
 *
 * <ul>
 *   <li>literal characters, and any non-alphanumeric character escaped with a backslash;
 *   <li>{@code .}, {@code ^}, {@code $}, alternation {@code |}, groups {@code (...)} and {@code (?:...)};
 *   <li>bracket expressions {@code [...]} and {@code [^...]} with ranges;
 *   <li>the classes {@code \d \D \s \S \w \W} (inside brackets {@code \d \s \w}), and {@code \t \n \r};
 *   <li>quantifiers {@code * + ? {n} {n,} {n,m}} (n, m at most 255) after an atom, each optionally
 *       lazy ({@code *?}).
 * </ul>
 *
 * <p>{@code like} and {@code ilike} patterns use {@code %} and {@code _}, and a backslash escapes the
 * next character, so a pattern may not end in a lone backslash.
 */
final class Patterns {

  /** Largest {@code {n,m}} bound: PostgreSQL's limit. */
  static final int MAX_REPEAT = 255;

  private Patterns() {}

  /** Why {@code pattern} is not a valid {@code like} pattern, or {@code null} if it is. */
  static String likeProblem(String pattern) {
    String common = common(pattern);
    if (common != null) {
      return common;
    }
    int trailing = 0;
    for (int i = pattern.length() - 1; i >= 0 && pattern.charAt(i) == '\\'; i--) {
      trailing++;
    }
    return trailing % 2 == 1 ? "the pattern ends in the escape character \\; write \\\\ for a backslash" : null;
  }

  /** Why {@code regex} is outside the common subset, or {@code null} if it is inside. */
  static String regexProblem(String regex) {
    String common = common(regex);
    if (common != null) {
      return common;
    }
    String problem = new Checker(regex).check();
    if (problem != null) {
      return "unsupported regular expression: " + problem + " (the filter language takes a subset that "
          + "means the same on every backend; see the README)";
    }
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      return "invalid regular expression: " + e.getDescription();
    }
    return null;
  }

  private static String common(String pattern) {
    if (pattern.length() > Limits.MAX_PATTERN_LENGTH) {
      return "the pattern is longer than " + Limits.MAX_PATTERN_LENGTH + " characters";
    }
    String text = Limits.textProblem(pattern, false);
    return text == null ? null : "the pattern " + text;
  }

  /** A one-pass check of the subset; {@link Pattern#compile} then catches what is left (unbalanced groups). */
  private static final class Checker {
    private final String s;
    private int i;

    Checker(String s) {
      this.s = s;
    }

    String check() {
      boolean atom = false;
      int depth = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        switch (c) {
          case '\\' -> {
            String p = escape(false);
            if (p != null) {
              return p;
            }
            atom = true;
          }
          case '[' -> {
            String p = bracket();
            if (p != null) {
              return p;
            }
            atom = true;
          }
          case '(' -> {
            if (s.startsWith("(?", i)) {
              if (!s.startsWith("(?:", i)) {
                return "only (?: ...) groups are supported at position " + i;
              }
              i += 2;
            }
            i++;
            depth++;
            atom = false;
          }
          case ')' -> {
            if (depth == 0) {
              return "unbalanced ) at position " + i;
            }
            depth--;
            i++;
            atom = true;
          }
          case '|' -> {
            i++;
            atom = false;
          }
          case '^', '$' -> {
            i++;
            atom = false;
          }
          case '*', '+', '?', '{' -> {
            if (!atom) {
              return "a quantifier at position " + i + " has nothing to repeat";
            }
            String p = quantifier();
            if (p != null) {
              return p;
            }
            atom = false;
          }
          case '}', ']' -> {
            return "unescaped " + c + " at position " + i;
          }
          default -> {
            i++;
            atom = true;
          }
        }
      }
      return null;
    }

    private String quantifier() {
      char c = s.charAt(i);
      if (c == '{') {
        int close = s.indexOf('}', i);
        String body = close < 0 ? "" : s.substring(i + 1, close);
        if (!body.matches("\\d{1,3}(,\\d{0,3})?")) {
          return "a { at position " + i + " must start a bound {n}, {n,} or {n,m}; write \\{ for a brace";
        }
        String[] parts = body.split(",", -1);
        int low = Integer.parseInt(parts[0]);
        int high = parts.length == 1 || parts[1].isEmpty() ? low : Integer.parseInt(parts[1]);
        if (low > MAX_REPEAT || high > MAX_REPEAT || high < low) {
          return "the bound {" + body + "} must have 0 <= n <= m <= " + MAX_REPEAT;
        }
        i = close + 1;
      } else {
        i++;
      }
      if (i < s.length() && s.charAt(i) == '?') {
        i++;
      }
      if (i < s.length() && "*+?{".indexOf(s.charAt(i)) >= 0) {
        return "a quantifier at position " + i + " follows another (possessive and stacked quantifiers differ "
            + "between backends)";
      }
      return null;
    }

    private String escape(boolean inBracket) {
      if (i + 1 >= s.length()) {
        return "the pattern ends in a lone backslash";
      }
      char e = s.charAt(i + 1);
      boolean ok = !Character.isLetterOrDigit(e) || (inBracket ? "dswtnr" : "dDsSwWtnr").indexOf(e) >= 0;
      if (!ok || e > 0x7e) {
        return "the escape \\" + e + " at position " + i + " is not supported";
      }
      i += 2;
      return null;
    }

    private String bracket() {
      int start = i;
      i++;
      if (i < s.length() && s.charAt(i) == '^') {
        i++;
      }
      boolean first = true;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == ']' && !first) {
          i++;
          return null;
        }
        if (c == ']' || c == '[') {
          return "write \\" + c + " for a bracket inside [...] at position " + i;
        }
        if (c == '\\') {
          boolean classEscape = i + 1 < s.length() && "dsw".indexOf(s.charAt(i + 1)) >= 0;
          if (classEscape && (s.charAt(i - 1) == '-' && !first || s.startsWith("-", i + 2) && !s.startsWith("-]", i + 2))) {
            return "a class escape cannot bound a range inside [...] at position " + i;
          }
          String p = escape(true);
          if (p != null) {
            return p;
          }
        } else if (c == '&' && i + 1 < s.length() && s.charAt(i + 1) == '&') {
          return "class intersection && at position " + i + " is not supported";
        } else {
          i++;
        }
        first = false;
      }
      return "the [ at position " + start + " is not closed";
    }
  }
}
