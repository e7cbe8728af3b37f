package io.vxdata.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vxdata.NotFoundException;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.WriteResult;
import io.vxdata.exports.ExportListener;
import io.vxdata.exports.ExportState;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.EnumMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link ServerMetrics} over Micrometer, served in the Prometheus text format. Needs {@code
 * io.micrometer:micrometer-registry-prometheus} on the class path: the adapter declares it optional, so
 * an embedder that never names this class needs no Micrometer.
 *
 * <p>Meters (Prometheus names):
 *
 * <ul>
 *   <li>{@code http_server_requests_seconds} (count, sum, max and histogram buckets), tagged {@code
 *       method}, {@code route} (the route template, e.g. {@code /parents/{identifier}}, or {@code
 *       unmatched}) and {@code status};
 *   <li>{@code vxdata_store_writes_seconds}, if the store is wrapped with {@link #timeWrites(VxData)}:
 *       every write call, tagged {@code operation} ({@code create}, {@code update}, {@code delete},
 *       {@code restore}, {@code register_patient}, {@code register_study}, {@code register_patients},
 *       {@code register_studies}, {@code register_type}, {@code update_where}, {@code delete_where}) and
 *       {@code outcome}: {@code committed}, {@code unchanged} (a write that changed nothing commits
 *       nothing), {@code refused} (invalid, forbidden, or naming something missing) or {@code failed};
 *   <li>the export jobs, with {@link #exportListener()} given to the exports ({@code vxdata_export_jobs_*},
 *       {@code vxdata_export_rows_written_total});
 *   <li>the connection pool, when the store's pool reports to {@link #registry()} ({@code hikaricp_connections*}:
 *       the server opens its store so);
 *   <li>with {@link #prometheus()}, the JVM: memory, GC, threads, class loading, CPU and uptime
 *       ({@code jvm_memory_used_bytes}, {@code jvm_gc_pause_seconds}, {@code process_cpu_usage}, …).
 * </ul>
 *
 * <pre>{@code
 * try (MicrometerMetrics metrics = MicrometerMetrics.prometheus();
 *      VxData vx = metrics.timeWrites(VxDataStore.open(url));
 *      VxDataServer server = VxDataServer.start(vx, ServerOptions.defaults().withMetrics(metrics))) {
 *   // GET /metrics
 * }
 * }</pre>
 */
public final class MicrometerMetrics implements ServerMetrics, AutoCloseable {

  /** The Prometheus text format, version 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Map<String, String> WRITES = Map.ofEntries(Map.entry("create", "create"),
      Map.entry("update", "update"), Map.entry("delete", "delete"), Map.entry("restore", "restore"),
      Map.entry("registerPatient", "register_patient"), Map.entry("registerStudy", "register_study"),
      Map.entry("registerPatients", "register_patients"), Map.entry("registerStudies", "register_studies"),
      Map.entry("registerType", "register_type"), Map.entry("updateWhere", "update_where"),
      Map.entry("deleteWhere", "delete_where"));

  private final PrometheusMeterRegistry registry;
  private final List<AutoCloseable> binders;

  private MicrometerMetrics(PrometheusMeterRegistry registry, List<AutoCloseable> binders) {
    this.registry = registry;
    this.binders = binders;
  }

  /** A new Prometheus registry with the JVM's memory, GC, thread, class loading, CPU and uptime meters. */
  public static MicrometerMetrics prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<AutoCloseable> binders = new ArrayList<>();
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    binders.add(gc);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return new MicrometerMetrics(registry, binders);
  }

  /** Request and store meters in {@code registry}, which the caller binds and closes; no JVM meters added. */
  public static MicrometerMetrics of(PrometheusMeterRegistry registry) {
    return new MicrometerMetrics(Objects.requireNonNull(registry, "registry"), List.of());
  }

  /** The registry, for meters of the embedding application. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void request(String method, String route, int status, long durationNanos) {
    Timer.builder("http.server.requests")
        .description("HTTP requests answered, by route template and status")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry)
        .record(durationNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public String contentType() {
    return CONTENT_TYPE;
  }

  @Override
  public String scrape() {
    return registry.scrape();
  }

  /**
   * {@code vx} with every write timed in {@code vxdata_store_writes_seconds}; reads pass straight
   * through. The wrapper implements {@link VxData} by delegation whatever its methods (a dynamic proxy),
   * and closing it closes {@code vx}.
   */
  public VxData timeWrites(VxData vx) {
    Objects.requireNonNull(vx, "vx");
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class && method.getName().equals("equals")) {
        return proxy == args[0];
      }
      if (method.getName().equals("as") && method.getReturnType() == VxData.class) {
        // A principal's view (every request of a server with authentication): its writes are timed too.
        return timeWrites((VxData) invoke(vx, method, args));
      }
      String operation = WRITES.get(method.getName());
      if (operation == null) {
        return invoke(vx, method, args);
      }
      long start = System.nanoTime();
      String outcome = "failed";
      try {
        Object result = invoke(vx, method, args);
        outcome = result instanceof WriteResult w && w.count() == 0 ? "unchanged" : "committed";
        return result;
      } catch (ValidationException | NotFoundException | io.vxdata.ForbiddenException e) {
        outcome = "refused";
        throw e;
      } finally {
        storeTimer(operation, outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      }
    };
    return (VxData) Proxy.newProxyInstance(VxData.class.getClassLoader(), new Class<?>[] {VxData.class}, handler);
  }

  private Timer storeTimer(String operation, String outcome) {
    return Timer.builder("vxdata.store.writes")
        .description("Writes to the store (each one transaction), by operation and outcome")
        .tag("operation", operation)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry);
  }

  private static Object invoke(VxData vx, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(vx, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * A listener for {@link io.vxdata.exports.ExportOptions#withListener} that counts the export jobs of this
   * process in the registry: {@code vxdata_export_jobs_submitted_total} (queued: submitted, or resumed when
   * the exports opened), {@code vxdata_export_jobs_ended_total} tagged {@code state} ({@code finished},
   * {@code failed}, {@code cancelled}: jobs that had started), the gauges {@code vxdata_export_jobs_running}
   * and {@code vxdata_export_jobs_queued}, and {@code vxdata_export_rows_written_total}. Give it to one
   * service: the gauges count that service's jobs.
   */
  public ExportListener exportListener() {
    return new ExportMeters(registry);
  }

  /** The meters of {@link #exportListener()}. */
  private static final class ExportMeters implements ExportListener {
    private final Map<String, Boolean> running = new ConcurrentHashMap<>(); // job id → started
    private final Map<String, Long> written = new ConcurrentHashMap<>(); // job id → rows counted so far
    private final Counter submitted;
    private final Counter rows;
    private final Map<ExportState, Counter> ended = new EnumMap<>(ExportState.class);

    ExportMeters(MeterRegistry registry) {
      submitted = Counter.builder("vxdata.export.jobs.submitted")
          .description("Export jobs queued: submitted, or resumed when the exports opened").register(registry);
      rows = Counter.builder("vxdata.export.rows.written").description("Rows written by export jobs")
          .register(registry);
      for (ExportState state : List.of(ExportState.FINISHED, ExportState.FAILED, ExportState.CANCELLED)) {
        ended.put(state, Counter.builder("vxdata.export.jobs.ended").description("Export jobs that ran and ended")
            .tag("state", state.wireName()).register(registry));
      }
      Gauge.builder("vxdata.export.jobs.running", running, m -> m.values().stream().filter(b -> b).count())
          .description("Export jobs running now").register(registry);
      Gauge.builder("vxdata.export.jobs.queued", running, m -> m.values().stream().filter(b -> !b).count())
          .description("Export jobs waiting for a worker").register(registry);
    }

    @Override
    public void queued(String jobId) {
      submitted.increment();
      running.put(jobId, false);
    }

    @Override
    public void started(String jobId) {
      running.put(jobId, true);
    }

    @Override
    public void batch(String jobId, long rowsDone, long rowsTotal) {
      count(jobId, rowsDone);
    }

    @Override
    public void ended(String jobId, ExportState state, long rowsWritten) {
      count(jobId, rowsWritten);
      Counter counter = ended.get(state);
      if (counter != null) {
        counter.increment();
      }
    }

    @Override
    public void left(String jobId) {
      running.remove(jobId);
      written.remove(jobId);
    }

    /** Adds the rows of {@code jobId} not counted yet. */
    private void count(String jobId, long done) {
      long before = written.getOrDefault(jobId, 0L);
      if (done > before) {
        written.put(jobId, done);
        rows.increment(done - before);
      }
    }
  }

  /** Stops the JVM meters that listen for events (GC); the registry stays readable. */
  @Override
  public void close() {
    for (AutoCloseable binder : binders) {
      try {
        binder.close();
      } catch (Exception e) {
        // nothing to do: a listener that does not come off goes with the JVM
      }
    }
  }
}
