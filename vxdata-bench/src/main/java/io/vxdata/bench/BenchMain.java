package io.vxdata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark program: runs each {@link Scenario} on each {@link Backend} and prints VxData's
 * throughput beside a hand-written JDBC baseline's. See {@code vxdata-bench/README.md}.
 */
public final class BenchMain {

  /** The scenarios, in the order they run. Add new ones here. */
  static final List<Scenario> SCENARIOS = List.of(new BulkCreateScenario(), new QueryScenario(),
      new HttpScenario(), new ParquetScenario(), new ManyParentsScenario(), new AccessScenario(),
      new ChangesScenario(), new ExportJobScenario(), new BatchWriteScenario(),
      new RelationScenario());

  /** The ratio VxData/JDBC the store aims for in bulk create. */
  static final double GOAL = 0.70;

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    // Before anything touches SLF4J: Hikari, Flyway and embedded PostgreSQL log at INFO otherwise.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (BenchOptions.UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println();
      System.err.print(BenchOptions.usage());
      System.exit(2);
      return;
    }
    if (options == null) {
      System.out.print(BenchOptions.usage());
      return;
    }
    System.exit(run(options) ? 0 : 1);
  }

  /** Runs everything and prints the report; {@code false} if a backend or scenario failed. */
  static boolean run(BenchOptions options) {
    List<String> header = new ArrayList<>();
    header.add("VxData benchmark");
    header.add("machine: " + machine());
    List<String> backendLines = new ArrayList<>();
    List<Section> sections = new ArrayList<>();
    for (Scenario scenario : SCENARIOS) {
      if (!options.scenarios().contains(scenario.key())) {
        continue;
      }
      sections.add(new Section(scenario, new ArrayList<>(), new ArrayList<>()));
    }
    boolean ok = true;
    for (String name : options.backends()) {
      progress("%s: starting", name);
      try (Backend backend = open(name)) {
        backendLines.add(name + ": " + backend.description());
        for (Section section : sections) {
          try {
            section.results.add(section.scenario.run(backend, options));
          } catch (Exception | AssertionError e) {
            ok = false;
            section.failures.add(name + ": FAILED: " + e);
            e.printStackTrace();
          }
        }
      } catch (Exception e) {
        ok = false;
        backendLines.add(name + ": could not be started: " + e);
        e.printStackTrace();
      }
    }
    StringBuilder out = new StringBuilder("\n");
    header.forEach(l -> out.append(l).append('\n'));
    backendLines.forEach(l -> out.append("backend ").append(l).append('\n'));
    for (Section section : sections) {
      out.append('\n').append("scenario: ").append(section.scenario.name()).append(" - ")
          .append(section.scenario.describe(options)).append("\n\n");
      out.append(section.scenario.tableHeader()).append('\n');
      for (Scenario.Result r : section.results) {
        r.tableRows().forEach(row -> out.append(row).append('\n'));
      }
      section.failures.forEach(f -> out.append(f).append('\n'));
      for (Scenario.Result r : section.results) {
        out.append('\n');
        r.notes().stream().filter(n -> !n.isEmpty()).forEach(n -> out.append(r.backend()).append(": ").append(n)
            .append('\n'));
      }
    }
    System.out.print(out);
    System.out.flush();
    return ok;
  }

  private record Section(Scenario scenario, List<Scenario.Result> results, List<String> failures) {}

  private static Backend open(String name) throws Exception {
    return switch (name) {
      case "h2" -> new H2FileBackend();
      case "postgresql" -> new PostgresBackend();
      default -> throw new IllegalArgumentException("unknown backend " + name);
    };
  }

  static void progress(String format, Object... args) {
    System.err.printf("[bench %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
  }

  private static String machine() {
    Runtime rt = Runtime.getRuntime();
    return rt.availableProcessors() + " cores" + cpuModel()
        + ", " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
        + " (" + System.getProperty("java.vendor") + ")"
        + ", max heap " + rt.maxMemory() / (1024 * 1024) + " MB"
        + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> " (" + l.substring(l.indexOf(':') + 1).trim() + ")")
          .findFirst().orElse("");
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
