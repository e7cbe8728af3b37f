package io.vxdata.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap use over a stretch of code, two ways that cannot exceed the heap: the largest heap in use
 * seen by a 2 ms sampler (live data plus garbage not yet collected), and the largest heap in use
 * right after a garbage collection (what survived: the live set), from the collectors'
 * notifications. The memory pools' summed peak usage ({@link ExportMain#peakHeap()}) is an upper
 * bound only: the pools peak at different moments, so the sum can exceed the maximum heap.
 */
final class HeapWatch implements AutoCloseable {

  private final AtomicLong sampledPeak = new AtomicLong();
  private final AtomicLong afterGcPeak = new AtomicLong();
  private final AtomicLong collections = new AtomicLong();
  private final List<Runnable> removals = new ArrayList<>();
  private final Thread sampler;
  private volatile boolean running = true;

  HeapWatch() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        NotificationListener listener = (n, handback) -> {
          if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
          }
          GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
          long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
              .mapToLong(MemoryUsage::getUsed).sum();
          // non-heap pools (metaspace, code cache) are in that map too; subtract them
          long nonHeap = 0;
          for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            String pool = e.getKey();
            if (pool.contains("Metaspace") || pool.contains("Code") || pool.contains("Compressed Class")
                || pool.contains("CodeHeap")) {
              nonHeap += e.getValue().getUsed();
            }
          }
          afterGcPeak.accumulateAndGet(used - nonHeap, Math::max);
          collections.incrementAndGet();
        };
        emitter.addNotificationListener(listener, null, null);
        removals.add(() -> {
          try {
            emitter.removeNotificationListener(listener);
          } catch (Exception e) {
            // gone already
          }
        });
      }
    }
    sampler = new Thread(() -> {
      var memory = ManagementFactory.getMemoryMXBean();
      while (running) {
        sampledPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-watch");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Largest heap in use the sampler saw. */
  long sampledPeak() {
    return sampledPeak.get();
  }

  /** Largest heap in use right after a collection (0 if none ran). */
  long afterGcPeak() {
    return afterGcPeak.get();
  }

  long collections() {
    return collections.get();
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
    removals.forEach(Runnable::run);
  }
}
