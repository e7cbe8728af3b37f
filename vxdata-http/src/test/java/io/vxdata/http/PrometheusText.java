package io.vxdata.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: every line is a {@code #
 * HELP}, a {@code # TYPE} or a sample {@code name{label="value",…} value [timestamp]}, with label values
 * unescaped ({@code \\}, {@code \"}, {@code \n}); anything else fails the parse.
 */
final class PrometheusText {

  record Sample(String name, Map<String, String> labels, double value) {}

  final Map<String, String> types = new LinkedHashMap<>();
  final List<Sample> samples = new ArrayList<>();

  private PrometheusText() {}

  static PrometheusText parse(String text) {
    PrometheusText parsed = new PrometheusText();
    int number = 0;
    for (String line : text.split("\n", -1)) {
      number++;
      if (line.isEmpty()) {
        continue;
      }
      try {
        parsed.line(line);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + number + " is not Prometheus text: " + line, e);
      }
    }
    return parsed;
  }

  private void line(String line) {
    if (line.startsWith("# TYPE ")) {
      String[] parts = line.substring(7).split(" ");
      check(parts.length == 2 && parts[0].matches(NAME) && parts[1].matches(
          "counter|gauge|histogram|summary|untyped"), "a TYPE line names a metric and a type");
      check(types.put(parts[0], parts[1]) == null, "one TYPE line per metric");
      return;
    }
    if (line.startsWith("# HELP ") || line.startsWith("#")) {
      return;
    }
    int at = 0;
    while (at < line.length() && line.charAt(at) != '{' && line.charAt(at) != ' ') {
      at++;
    }
    String name = line.substring(0, at);
    check(name.matches(NAME), "a metric name");
    Map<String, String> labels = new LinkedHashMap<>();
    if (at < line.length() && line.charAt(at) == '{') {
      at++;
      while (line.charAt(at) != '}') {
        int eq = line.indexOf('=', at);
        String label = line.substring(at, eq);
        check(label.matches("[a-zA-Z_][a-zA-Z0-9_]*"), "a label name");
        check(line.charAt(eq + 1) == '"', "a quoted label value");
        StringBuilder value = new StringBuilder();
        int i = eq + 2;
        for (; line.charAt(i) != '"'; i++) {
          char c = line.charAt(i);
          if (c == '\\') {
            char next = line.charAt(++i);
            value.append(next == 'n' ? '\n' : next);
            check(next == 'n' || next == '\\' || next == '"', "a known escape");
          } else {
            value.append(c);
          }
        }
        check(labels.put(label, value.toString()) == null, "a label once");
        at = i + 1;
        if (line.charAt(at) == ',') {
          at++;
        }
      }
      at++;
    }
    check(line.charAt(at) == ' ', "a space before the value");
    String[] rest = line.substring(at + 1).split(" ");
    check(rest.length == 1 || rest.length == 2, "a value and an optional timestamp");
    double value = switch (rest[0]) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(rest[0]);
    };
    samples.add(new Sample(name, labels, value));
  }

  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException("expected " + what);
    }
  }

  /** The samples of {@code name} whose labels include {@code labels}. */
  List<Sample> find(String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.name().equals(name))
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
  }

  /** The value of the one sample of {@code name} with {@code labels}. */
  double value(String name, Map<String, String> labels) {
    List<Sample> found = find(name, labels);
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples of " + name + " with " + labels + ": " + found);
    }
    return found.get(0).value();
  }
}
