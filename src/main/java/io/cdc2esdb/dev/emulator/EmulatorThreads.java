package io.cdc2esdb.dev.emulator;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The emulator's own threads (gRPC event loops, its executor, read pumps), all daemons named {@code
 * emulator-...}, and the CPU time they have used: what the emulator costs, apart from a client in
 * the same JVM.
 */
final class EmulatorThreads {

  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  private final Set<Thread> live = ConcurrentHashMap.newKeySet();
  private final LongAdder finishedCpuNanos = new LongAdder();

  /** A factory of daemon threads named {@code prefix + n}, counted in {@link #cpuNanos()}. */
  ThreadFactory factory(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(() -> run(runnable), prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private void run(Runnable body) {
    Thread self = Thread.currentThread();
    live.add(self);
    try {
      body.run();
    } finally {
      long used = cpu(self);
      live.remove(self);
      finishedCpuNanos.add(used);
    }
  }

  /** CPU time used by these threads so far, in nanoseconds (0 where the JVM cannot tell). */
  long cpuNanos() {
    long total = finishedCpuNanos.sum();
    for (Thread thread : live) {
      total += cpu(thread);
    }
    return total;
  }

  private static long cpu(Thread thread) {
    if (!MX.isThreadCpuTimeSupported()) {
      return 0;
    }
    long nanos = MX.getThreadCpuTime(thread.getId());
    return Math.max(nanos, 0);
  }
}
