package io.cdc2esdb.dev.bench;

import io.cdc2esdb.dev.proc.JavaProcess;
import io.cdc2esdb.dev.proc.JvmProbe;
import io.cdc2esdb.dev.proc.ProcStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Samples a process under load every {@link #INTERVAL}: events written (as its own metric says),
 * CPU and memory from {@code /proc}, heap and GC over JMX, until it has written the expected
 * events.
 */
final class Sampler {

  static final Duration INTERVAL = Duration.ofMillis(200);

  private Sampler() {}

  /**
   * @throws IllegalStateException when the process dies, or {@code timeout} passes, first
   */
  static List<Sample> until(
      JavaProcess process,
      List<JavaProcess> others,
      LongSupplier written,
      long expected,
      Duration timeout) {
    List<Sample> samples = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(process.name() + " exited:\n" + process.tail(30));
      }
      Sample sample = sample(process, others, written);
      samples.add(sample);
      if (sample.written() >= expected) {
        return samples;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            process.name()
                + " wrote "
                + sample.written()
                + " of "
                + expected
                + " events within "
                + timeout
                + ":\n"
                + process.tail(30));
      }
      sleep(INTERVAL);
    }
  }

  static Sample sample(JavaProcess process, List<JavaProcess> others, LongSupplier written) {
    long count = written.getAsLong();
    long othersCpu = 0;
    for (JavaProcess other : others) {
      othersCpu += other.stats().cpuNanos();
    }
    long now = System.nanoTime();
    ProcStats stats = process.stats();
    JvmProbe jvm = process.jvm();
    JvmProbe.GcTotals gc = jvm.gc();
    return new Sample(
        now,
        count,
        stats.cpuNanos(),
        stats.rssBytes(),
        stats.peakRssBytes(),
        jvm.heapUsedBytes(),
        gc.count(),
        gc.millis(),
        othersCpu);
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
