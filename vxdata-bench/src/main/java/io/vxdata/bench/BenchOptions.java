package io.vxdata.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of the benchmark program.
 *
 * @param rows rows each scenario writes in its timed run
 * @param batch rows per write call / per JDBC batch
 * @param warmupRows rows of the untimed warm-up run on a separate fresh database (0: none)
 * @param repeat timed runs per scenario and backend, each on fresh databases; the median is reported
 * @param order whether the two paths alternate batch by batch or run one after the other
 * @param backends backend names in the order to run them
 * @param profile whether to sample the VxData path with Java Flight Recorder and print where its time goes
 * @param scenarios the {@link Scenario#key()}s to run
 * @param queryRows studies the query scenario loads (patients: a tenth of that)
 * @param queryReps timed repetitions of each query and path; the median is reported
 * @param queryWarmup untimed repetitions of each query and path before the timed ones
 * @param queryTimeoutSeconds a query running longer is cancelled and reported as such
 * @param explain whether the query scenario prints EXPLAIN ANALYZE of each query's baseline and store SQL
 * @param httpRows studies the http scenario loads (patients: a tenth of that)
 * @param httpSeconds how long the http scenario's sustained-throughput run lasts
 * @param httpClients concurrent HTTP clients of the sustained-throughput run
 * @param httpCreateRows studies the http scenario creates through each path (client, in-process) in its bulk-create part
 * @param httpCreateBatch studies per create call of that part
 * @param parquetRows studies the parquet scenario loads and exports
 * @param parentsRows studies the many-parents scenario ingests (patients: a tenth of that)
 * @param parentsReps timed runs of each read of the many-parents scenario; the best and the median are reported
 * @param parentsWarmup untimed runs of each read and path of the many-parents scenario first
 * @param parentsVariants study types the many-parents scenario runs with: plain (built-in), indexed (modality
 *     indexed), composite (one index on modality and study date)
 * @param writesRows patients the writes scenario registers and creates, and studies it updates by filter
 */
record BenchOptions(int rows, int batch, int warmupRows, int repeat, Order order, List<String> backends,
    boolean profile, List<String> scenarios, int queryRows, int queryReps, int queryWarmup, int queryTimeoutSeconds, boolean explain,
    int httpRows, int httpSeconds, int httpClients, int httpCreateRows, int httpCreateBatch, int parquetRows, int parentsRows, int parentsReps,
    int parentsWarmup, List<String> parentsVariants, int writesRows) {

  /** How the timed runs order the two paths' batches. */
  enum Order { INTERLEAVED, SEQUENTIAL }

  static final int DEFAULT_ROWS = 200_000;
  static final int DEFAULT_BATCH = 1_000;
  static final List<String> ALL_BACKENDS = List.of("h2", "postgresql");
  static final List<String> ALL_SCENARIOS = List.of("create", "query", "http", "parquet", "parents",
      "access", "changes", "exports", "writes", "relations");
  static final int DEFAULT_QUERY_ROWS = 1_000_000;
  static final int DEFAULT_QUERY_REPS = 31;
  static final int DEFAULT_QUERY_WARMUP = 3;
  static final int DEFAULT_QUERY_TIMEOUT = 120;
  static final int DEFAULT_HTTP_ROWS = 100_000;
  static final int DEFAULT_HTTP_SECONDS = 20;
  static final int DEFAULT_HTTP_CLIENTS = 16;
  static final int DEFAULT_HTTP_CREATE_ROWS = 20_000;
  static final int DEFAULT_HTTP_CREATE_BATCH = 2_000;
  static final int DEFAULT_PARQUET_ROWS = 1_000_000;
  static final int DEFAULT_PARENTS_ROWS = 200_000;
  static final int DEFAULT_WRITES_ROWS = 100_000;
  static final int DEFAULT_PARENTS_REPS = 15;
  static final int DEFAULT_PARENTS_WARMUP = 5;
  static final List<String> ALL_PARENTS_VARIANTS = List.of("plain", "indexed", "composite");

  /** Thrown for a bad command line; the message says what is wrong. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static String usage() {
    return """
        Usage: BenchMain [options]
          --rows N           rows per timed run (default %d)
          --batch N          rows per VxData.create call and per JDBC batch (default %d)
          --warmup N         rows of the untimed warm-up run on a separate fresh database
                             (default rows/10, at least one batch; 0 disables it)
          --repeat N         timed runs per backend, each on fresh databases; medians are
                             reported (default 1)
          --order MODE       interleaved (default): the two paths alternate batch by batch, the
                             first alternating; sequential: all JDBC batches, then all VxData
          --backends LIST    comma-separated, from: h2, postgresql (default: h2,postgresql)
          --scenarios LIST   comma-separated, from: create, query, http, parquet, parents,
                             access, changes, exports, writes, relations (default: all)
          --profile          sample the timed VxData run with Java Flight Recorder and print
                             which store methods the time goes to (create)
          --query-rows N     studies the query, access and changes scenarios load through VxData, under
                             N/10 patients in 10 datasources (default %,d)
          --query-reps N     timed repetitions of each query per path, median reported
                             (default %d)
          --query-warmup N   untimed repetitions of each query per path first (default %d)
          --query-timeout S  cancel a query running longer than S seconds and report it as
                             such (default %d)
          --explain          print EXPLAIN ANALYZE of each query's baseline SQL and of the SQL
                             the store runs for it (rebuilt as QuerySql writes it)
          --http-rows N      studies the http scenario loads (default %,d)
          --http-seconds S   duration of the sustained /resources/read run (default %d)
          --http-clients N   concurrent HTTP clients of that run (default %d)
          --http-create-rows N  studies the http scenario creates through the client and as many
                             in-process, batch by batch alternating (default %,d)
          --http-create-batch N studies per create call of that part (default %,d)
          --parquet-rows N   studies the parquet and exports scenarios load and export (default %,d)
          --parents-rows N   studies the many-parents scenario ingests under N/10 patients, then
                             updates (every fifth, 3 times) and reads (default %,d)
          --parents-reps N   timed runs of each many-parents read per path; best and median
                             reported (default %d)
          --parents-warmup N untimed runs of each many-parents read per path first (default %d)
          --parents-variants LIST  comma-separated, from: plain (the built-in study type),
                             indexed (study re-registered with x-vxdata-index on modality),
                             composite (x-vxdata-index: ["study_date"] on modality: one index
                             on both) (default: plain,indexed)
          --writes-rows N    patients the writes scenario registers (and as many it creates), and
                             studies it updates by filter per path (default %,d)
          --help             print this help

        PostgreSQL: the server named by VXDATA_BENCH_PG_URL (a jdbc:postgresql: URL, with
        VXDATA_BENCH_PG_USER / VXDATA_BENCH_PG_PASSWORD) if set, otherwise an embedded PostgreSQL
        started for the run. Each run uses a fresh schema, dropped afterwards.
        H2: file databases in a fresh temporary directory, deleted afterwards.
        """.formatted(DEFAULT_ROWS, DEFAULT_BATCH, DEFAULT_QUERY_ROWS, DEFAULT_QUERY_REPS, DEFAULT_QUERY_WARMUP,
            DEFAULT_QUERY_TIMEOUT, DEFAULT_HTTP_ROWS, DEFAULT_HTTP_SECONDS, DEFAULT_HTTP_CLIENTS, DEFAULT_HTTP_CREATE_ROWS,
            DEFAULT_HTTP_CREATE_BATCH, DEFAULT_PARQUET_ROWS,
            DEFAULT_PARENTS_ROWS, DEFAULT_PARENTS_REPS, DEFAULT_PARENTS_WARMUP, DEFAULT_WRITES_ROWS);
  }

  /**
   * Parses the arguments.
   *
   * @return the options, or {@code null} if {@code --help} was given
   */
  static BenchOptions parse(String[] args) throws UsageException {
    int rows = DEFAULT_ROWS;
    int batch = DEFAULT_BATCH;
    Integer warmup = null;
    int repeat = 1;
    Order order = Order.INTERLEAVED;
    List<String> backends = ALL_BACKENDS;
    boolean profile = false;
    List<String> scenarios = ALL_SCENARIOS;
    int queryRows = DEFAULT_QUERY_ROWS;
    int queryReps = DEFAULT_QUERY_REPS;
    int queryWarmup = DEFAULT_QUERY_WARMUP;
    int queryTimeout = DEFAULT_QUERY_TIMEOUT;
    boolean explain = false;
    int httpRows = DEFAULT_HTTP_ROWS;
    int httpSeconds = DEFAULT_HTTP_SECONDS;
    int httpClients = DEFAULT_HTTP_CLIENTS;
    int httpCreateRows = DEFAULT_HTTP_CREATE_ROWS;
    int httpCreateBatch = DEFAULT_HTTP_CREATE_BATCH;
    int parquetRows = DEFAULT_PARQUET_ROWS;
    int parentsRows = DEFAULT_PARENTS_ROWS;
    int parentsReps = DEFAULT_PARENTS_REPS;
    int parentsWarmup = DEFAULT_PARENTS_WARMUP;
    List<String> parentsVariants = List.of("plain", "indexed");
    int writesRows = DEFAULT_WRITES_ROWS;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      switch (arg) {
        case "--help", "-h" -> {
          return null;
        }
        case "--profile" -> profile = true;
        case "--explain" -> explain = true;
        case "--rows", "--batch", "--warmup", "--repeat", "--order", "--backends", "--scenarios", "--query-rows",
            "--query-reps", "--query-warmup", "--query-timeout", "--http-rows", "--http-seconds", "--http-clients",
            "--http-create-rows", "--http-create-batch",
            "--parquet-rows", "--parents-rows", "--parents-reps", "--parents-warmup", "--parents-variants",
            "--writes-rows" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new UsageException("option " + arg + " needs a value");
            }
            value = args[++i];
          }
          switch (arg) {
            case "--rows" -> rows = positive(arg, value, 1);
            case "--batch" -> batch = positive(arg, value, 1);
            case "--warmup" -> warmup = positive(arg, value, 0);
            case "--repeat" -> repeat = positive(arg, value, 1);
            case "--query-rows" -> queryRows = positive(arg, value, 1000);
            case "--query-reps" -> queryReps = positive(arg, value, 1);
            case "--query-warmup" -> queryWarmup = positive(arg, value, 0);
            case "--query-timeout" -> queryTimeout = positive(arg, value, 1);
            case "--http-rows" -> httpRows = positive(arg, value, 1000);
            case "--http-seconds" -> httpSeconds = positive(arg, value, 1);
            case "--http-clients" -> httpClients = positive(arg, value, 1);
            case "--http-create-rows" -> httpCreateRows = positive(arg, value, 1);
            case "--http-create-batch" -> httpCreateBatch = positive(arg, value, 1);
            case "--parquet-rows" -> parquetRows = positive(arg, value, 1000);
            case "--parents-rows" -> parentsRows = positive(arg, value, 1000);
            case "--parents-reps" -> parentsReps = positive(arg, value, 1);
            case "--parents-warmup" -> parentsWarmup = positive(arg, value, 0);
            case "--parents-variants" -> parentsVariants = variants(value);
            case "--writes-rows" -> writesRows = positive(arg, value, 1);
            case "--scenarios" -> scenarios = scenarios(value);
            case "--order" -> order = switch (value.toLowerCase(Locale.ROOT)) {
              case "interleaved" -> Order.INTERLEAVED;
              case "sequential" -> Order.SEQUENTIAL;
              default -> throw new UsageException("--order is interleaved or sequential, not '" + value + "'");
            };
            default -> backends = backends(value);
          }
        }
        default -> throw new UsageException("unknown option '" + args[i] + "'");
      }
    }
    int warmupRows = warmup != null ? warmup : Math.max(rows / 10, Math.min(batch, rows));
    return new BenchOptions(rows, batch, warmupRows, repeat, order, backends, profile, scenarios, queryRows, queryReps,
        queryWarmup, queryTimeout, explain, httpRows, httpSeconds, httpClients, httpCreateRows, httpCreateBatch, parquetRows, parentsRows, parentsReps,
        parentsWarmup, parentsVariants, writesRows);
  }

  private static int positive(String option, String value, int min) throws UsageException {
    try {
      int n = Integer.parseInt(value.replace("_", ""));
      if (n < min) {
        throw new UsageException("option " + option + " must be at least " + min + ", not " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException("option " + option + " needs a whole number, not '" + value + "'");
    }
  }

  private static List<String> scenarios(String value) throws UsageException {
    Set<String> chosen = new LinkedHashSet<>();
    for (String part : value.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      if (!ALL_SCENARIOS.contains(name)) {
        throw new UsageException("unknown scenario '" + part.trim() + "' in --scenarios; choose from " + ALL_SCENARIOS);
      }
      chosen.add(name);
    }
    if (chosen.isEmpty()) {
      throw new UsageException("--scenarios names no scenario; choose from " + ALL_SCENARIOS);
    }
    return new ArrayList<>(chosen);
  }

  private static List<String> variants(String value) throws UsageException {
    Set<String> chosen = new LinkedHashSet<>();
    for (String part : value.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      if (!ALL_PARENTS_VARIANTS.contains(name)) {
        throw new UsageException("unknown variant '" + part.trim() + "' in --parents-variants; choose from "
            + ALL_PARENTS_VARIANTS);
      }
      chosen.add(name);
    }
    if (chosen.isEmpty()) {
      throw new UsageException("--parents-variants names no variant; choose from " + ALL_PARENTS_VARIANTS);
    }
    return new ArrayList<>(chosen);
  }

  private static List<String> backends(String value) throws UsageException {
    Set<String> chosen = new LinkedHashSet<>();
    for (String part : value.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (name.equals("pg") || name.equals("postgres")) {
        name = "postgresql";
      }
      if (name.isEmpty()) {
        continue;
      }
      if (!ALL_BACKENDS.contains(name)) {
        throw new UsageException("unknown backend '" + part.trim() + "' in --backends; choose from " + ALL_BACKENDS);
      }
      chosen.add(name);
    }
    if (chosen.isEmpty()) {
      throw new UsageException("--backends names no backend; choose from " + ALL_BACKENDS);
    }
    return new ArrayList<>(chosen);
  }
}
