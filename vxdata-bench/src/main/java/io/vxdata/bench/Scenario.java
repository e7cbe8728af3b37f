package io.vxdata.bench;

import java.util.List;

/**
 * One benchmark: a workload run through VxData and through a hand-written JDBC baseline on the same
 * backend. Add a scenario by implementing this and listing it in {@link BenchMain#SCENARIOS}.
 */
interface Scenario {

  /** Short name for the report, e.g. {@code bulk create}. */
  String name();

  /** One line on what is measured. */
  String describe(BenchOptions options);

  /** Runs the scenario on {@code backend}: warm-up, then the timed runs. */
  Result run(Backend backend, BenchOptions options) throws Exception;

  /**
   * What one scenario measured on one backend.
   *
   * @param backend backend name
   * @param rows rows in each timed run
   * @param vxRowsPerSecond VxData throughput
   * @param jdbcRowsPerSecond baseline throughput
   * @param notes how the run was set up (placement, order, sanity checks), printed under the table
   */
  record Result(String backend, int rows, double vxRowsPerSecond, double jdbcRowsPerSecond, List<String> notes) {

    double ratio() {
      return vxRowsPerSecond / jdbcRowsPerSecond;
    }
  }
}
