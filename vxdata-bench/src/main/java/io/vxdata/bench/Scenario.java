package io.vxdata.bench;

import java.util.List;

/**
 * One benchmark: a workload run through VxData and through a hand-written JDBC baseline on the same
 * backend. Add a scenario by implementing this and listing it in {@link BenchMain#SCENARIOS}.
 */
interface Scenario {

  /** The name {@code --scenarios} selects it by, e.g. {@code create}. */
  String key();

  /** Short name for the report, e.g. {@code bulk create}. */
  String name();

  /** One line on what is measured. */
  String describe(BenchOptions options);

  /** The header line of the scenario's result table (each backend adds rows below it). */
  String tableHeader();

  /** Runs the scenario on {@code backend}: warm-up, then the timed runs. */
  Result run(Backend backend, BenchOptions options) throws Exception;

  /**
   * What one scenario measured on one backend.
   *
   * @param backend backend name
   * @param tableRows the rows of the result table, formatted to line up with {@link #tableHeader()}
   * @param notes how the run was set up (placement, order, sanity checks), printed under the table
   */
  record Result(String backend, List<String> tableRows, List<String> notes) {}
}
