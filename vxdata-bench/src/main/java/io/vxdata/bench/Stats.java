package io.vxdata.bench;

import java.util.Arrays;
import java.util.Locale;

/** Medians and percentiles of recorded nanosecond timings. */
final class Stats {

  private Stats() {}

  /** The median of {@code nanos}, in milliseconds. */
  static double medianMs(long[] nanos) {
    long[] v = nanos.clone();
    Arrays.sort(v);
    double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    return median / 1e6;
  }

  /** The {@code p}-th percentile (nearest rank) of sorted {@code nanos}, in milliseconds. */
  static double percentileMs(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  /** "median m ms (min a, max b, n runs)". */
  static String describe(long[] nanos) {
    long[] v = nanos.clone();
    Arrays.sort(v);
    return String.format(Locale.ROOT, "median %.2f ms (min %.2f, max %.2f, %d runs)", medianMs(v), v[0] / 1e6,
        v[v.length - 1] / 1e6, v.length);
  }

  /** Heap in MB. */
  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }
}
