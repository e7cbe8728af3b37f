package io.vxdata.bench;

import io.vxdata.VxData;
import io.vxdata.jdbc.StoreOptions;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.parquet.ParquetExport;
import io.vxdata.query.QueryRequest;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The parquet scenario's child JVM (started with {@code -Xmx256m}): opens the store at a JDBC URL,
 * exports every study to a Parquet file and prints one line {@code RESULT rows=.. bytes=.. ms=..
 * peakHeap=.. maxHeap=.. gcCount=.. gcMs=..}. Credentials, if any, come from the environment
 * variables {@value #USER} / {@value #PASSWORD}.
 *
 * <p>Usage: {@code ExportMain JDBC_URL OUTPUT_FILE}
 */
public final class ExportMain {

  static final String USER = "VXDATA_BENCH_EXPORT_USER";
  static final String PASSWORD = "VXDATA_BENCH_EXPORT_PASSWORD";

  private ExportMain() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    if (args.length != 2) {
      System.err.println("usage: ExportMain JDBC_URL OUTPUT_FILE");
      System.exit(2);
    }
    StoreOptions options = StoreOptions.of(args[0]);
    String user = System.getenv(USER);
    if (user != null) {
      options = options.withCredentials(user, System.getenv(PASSWORD));
    }
    try (VxData vx = VxDataStore.open(options)) {
      System.gc();
      resetPeaks();
      long t = System.nanoTime();
      ParquetExport.Result result;
      long sampled;
      long afterGc;
      try (HeapWatch watch = new HeapWatch();
          OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[1])), 1 << 16)) {
        result = ParquetExport.write(vx, QueryRequest.of("study").build(), out);
        sampled = watch.sampledPeak();
        afterGc = watch.afterGcPeak();
      }
      long ms = (System.nanoTime() - t) / 1_000_000;
      long gcCount = 0;
      long gcMs = 0;
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        gcCount += Math.max(0, gc.getCollectionCount());
        gcMs += Math.max(0, gc.getCollectionTime());
      }
      System.out.printf(Locale.ROOT, "RESULT rows=%d bytes=%d ms=%d peakHeap=%d sampledHeap=%d afterGcHeap=%d maxHeap=%d"
          + " gcCount=%d gcMs=%d%n", result.rows(), result.bytes(), ms, peakHeap(), sampled, afterGc, Runtime.getRuntime().maxMemory(), gcCount, gcMs);
    }
  }

  /** Resets the peak usage of every heap memory pool. */
  static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /**
   * The sum of the heap pools' peak usage since the last reset: an upper bound of the peak heap in
   * use (the pools may peak at different moments).
   */
  static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
