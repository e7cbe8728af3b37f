package io.vxdata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Samples the calling thread with Java Flight Recorder, during the calls marked with
 * {@link #enter()} and {@link #exit()} only (Java and native-method samples, so time
 * spent waiting for a database server counts too) and summarises where the time went: inclusive
 * per store method, and per innermost store frame with what it was calling.
 */
final class JfrProfile {

  private static final Duration PERIOD = Duration.ofMillis(5);

  private final Recording recording = new Recording();
  private final long threadId = Thread.currentThread().getId();
  /** Start and end of each measured call, alternating; only samples inside them count. */
  private final List<Instant> windows = new ArrayList<>();

  private JfrProfile() {
    recording.enable("jdk.ExecutionSample").withPeriod(PERIOD);
    recording.enable("jdk.NativeMethodSample").withPeriod(PERIOD);
    recording.setToDisk(true);
  }

  /** Starts sampling the current thread. */
  static JfrProfile start() {
    JfrProfile profile = new JfrProfile();
    profile.recording.start();
    return profile;
  }

  /** Marks the start of a call whose samples count. */
  void enter() {
    windows.add(Instant.now());
  }

  /** Marks the end of the call {@link #enter()} started. */
  void exit() {
    windows.add(Instant.now());
  }

  private boolean inWindow(Instant t) {
    int i = java.util.Collections.binarySearch(windows, t);
    int insertion = i >= 0 ? i : -i - 1;
    return i >= 0 || insertion % 2 == 1;
  }

  /** Stops sampling and returns report lines. */
  List<String> stopAndSummarize(String title) throws IOException {
    recording.stop();
    // -Dvxdata.bench.jfr=DIR keeps the recordings there, for `jfr print` or JDK Mission Control.
    String keep = System.getProperty("vxdata.bench.jfr");
    Path file = keep != null
        ? Files.createDirectories(Path.of(keep)).resolve("vxdata-bench-" + System.currentTimeMillis() + ".jfr")
        : Files.createTempFile("vxdata-bench-", ".jfr");
    try {
      recording.dump(file);
      recording.close();
      List<String> lines = summarize(title, RecordingFile.readAllEvents(file));
      if (keep != null) {
        lines.add("  recording kept in " + file);
      }
      return lines;
    } finally {
      if (keep == null) {
        Files.deleteIfExists(file);
      }
    }
  }

  private List<String> summarize(String title, List<RecordedEvent> events) {
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> innermost = new HashMap<>();
    Map<String, Integer> leaves = new HashMap<>();
    int samples = 0;
    int javaSamples = 0;
    int otherThreads = 0;
    int outside = 0;
    for (RecordedEvent e : events) {
      String type = e.getEventType().getName();
      if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
        continue;
      }
      RecordedThread thread = e.getThread("sampledThread");
      RecordedStackTrace stack = e.getStackTrace();
      if (stack == null || thread == null) {
        continue;
      }
      if (thread.getJavaThreadId() != threadId) {
        otherThreads++;
        continue;
      }
      if (!windows.isEmpty() && !inWindow(e.getStartTime())) {
        outside++;
        continue;
      }
      samples++;
      if (type.equals("jdk.ExecutionSample")) {
        javaSamples++;
      }
      List<RecordedFrame> frames = stack.getFrames(); // innermost first
      if (frames.isEmpty()) {
        continue;
      }
      leaves.merge(name(frames.get(0), false) + (type.equals("jdk.NativeMethodSample") ? " [native]" : ""), 1,
          Integer::sum);
      Set<String> seen = new LinkedHashSet<>();
      String inner = null;
      for (int k = 0; k < frames.size(); k++) {
        RecordedFrame f = frames.get(k);
        if (!isStore(f)) {
          continue;
        }
        seen.add(name(f, false));
        if (inner == null) {
          String callee = k > 0 ? name(frames.get(k - 1), false) : "(self)";
          inner = name(f, true) + "  ->  " + callee;
        }
      }
      seen.forEach(m -> inclusive.merge(m, 1, Integer::sum));
      innermost.merge(inner == null ? "(outside io.vxdata)" : inner, 1, Integer::sum);
    }
    List<String> out = new ArrayList<>();
    out.add("profile of " + title + ": " + samples + " samples of the benchmark thread every " + PERIOD.toMillis()
        + " ms (" + javaSamples + " running Java, " + (samples - javaSamples) + " in native code, e.g. waiting on"
        + " the server); not counted: " + outside + " samples of the same thread outside the measured calls, "
        + otherThreads + " of other threads");
    out.add("  inclusive time per store method (share of samples with the method on the stack):");
    top(inclusive, samples, 16).forEach(l -> out.add("    " + l));
    out.add("  innermost store frame (file:line)  ->  the method it was calling:");
    top(innermost, samples, 16).forEach(l -> out.add("    " + l));
    out.add("  top of stack (self time):");
    top(leaves, samples, 10).forEach(l -> out.add("    " + l));
    return out;
  }

  private static boolean isStore(RecordedFrame f) {
    String cls = f.getMethod().getType().getName();
    return cls.startsWith("io.vxdata.") && !cls.startsWith("io.vxdata.bench.") && !cls.contains("$$Lambda");
  }

  private static String name(RecordedFrame f, boolean line) {
    String cls = f.getMethod().getType().getName();
    String simple = cls.substring(cls.lastIndexOf('.') + 1);
    String pkg = cls.startsWith("io.vxdata.") ? "" : abbreviate(cls.substring(0, Math.max(0, cls.lastIndexOf('.'))));
    String s = (pkg.isEmpty() ? "" : pkg + ".") + simple + "." + f.getMethod().getName();
    return line && f.getLineNumber() > 0 ? s + ":" + f.getLineNumber() : s;
  }

  /** {@code org.h2.mvstore} becomes {@code o.h.mvstore}: the last package part stays readable. */
  private static String abbreviate(String pkg) {
    String[] parts = pkg.split("\\.");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sb.append('.');
      }
      sb.append(i == parts.length - 1 ? parts[i] : parts[i].substring(0, 1));
    }
    return sb.toString();
  }

  private static List<String> top(Map<String, Integer> counts, int total, int n) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(n)
        .map(e -> String.format("%5.1f%%  %s", 100.0 * e.getValue() / Math.max(1, total), e.getKey()))
        .toList();
  }
}
