package io.cdc2esdb.dev.bench;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The figures of one measured run, from its samples: start-up (launch to first event written) and
 * any warm-up apart from the steady rate, which is taken between 10 % and 90 % of the measured
 * events (interpolated between samples), and the CPU the process spent per event in that window. A
 * run with a warm-up writes {@code warmupEvents} of another history first; the measured events are
 * the ones after them.
 *
 * @param events events expected (and written: a run that fell short is not measured)
 * @param startupSeconds from the launch of the process to its first event written
 * @param totalSeconds from the launch to the last event written
 * @param steadyEventsPerSecond events per second between 10 % and 90 % of {@code events}
 * @param steadyCpuMicrosPerEvent CPU (user + system, all threads) per event in that window
 * @param totalCpuMicrosPerEvent all CPU of the process up to the last event, per event written
 * @param othersCpuMicrosPerEvent CPU of the broker and EventStoreDB per event, same window
 * @param peakHeapBytes the most heap in use seen in any sample
 * @param peakRssBytes the kernel's peak resident set size
 * @param gcCount collections from launch to the last event
 * @param gcMillis time in collections from launch to the last event
 * @param restarts times the subject's Kafka Streams left RUNNING during the run (fenced, lost)
 * @param warmupEvents events written before the measured ones (0: none)
 * @param warmupSeconds from the first event written to the last of the warm-up
 */
public record RunMetrics(
    long events,
    double startupSeconds,
    double totalSeconds,
    double steadyEventsPerSecond,
    double steadyCpuMicrosPerEvent,
    double totalCpuMicrosPerEvent,
    double othersCpuMicrosPerEvent,
    long peakHeapBytes,
    long peakRssBytes,
    long gcCount,
    long gcMillis,
    int restarts,
    long warmupEvents,
    double warmupSeconds) {

  static final double WINDOW_FROM = 0.10;
  static final double WINDOW_TO = 0.90;

  /**
   * @param samples in time order, the first taken at or after launch
   * @param events the events the run had to write; the last sample must have written them all
   * @param launchNanos when the process was launched
   * @param restarts how often the subject restarted its work meanwhile
   */
  public static RunMetrics of(List<Sample> samples, long events, long launchNanos, int restarts) {
    return of(samples, 0, events, launchNanos, restarts);
  }

  /**
   * @param samples in time order, the first taken at or after launch
   * @param warmupEvents the events written before the measured ones
   * @param events the measured events; the last sample must have written them all, and the warm-up
   * @param launchNanos when the process was launched
   * @param restarts how often the subject restarted its work meanwhile
   */
  public static RunMetrics of(
      List<Sample> samples, long warmupEvents, long events, long launchNanos, int restarts) {
    long all = warmupEvents + events;
    if (samples.isEmpty() || samples.get(samples.size() - 1).written() < all) {
      throw new IllegalArgumentException(
          "the run did not write all "
              + all
              + " events (last sample: "
              + (samples.isEmpty() ? "none" : samples.get(samples.size() - 1).written())
              + ")");
    }
    Sample first = samples.stream().filter(s -> s.written() > 0).findFirst().orElseThrow();
    Sample last = samples.stream().filter(s -> s.written() >= all).findFirst().orElseThrow();
    double from = warmupEvents + events * WINDOW_FROM;
    double to = warmupEvents + events * WINDOW_TO;
    double tFrom = at(samples, from, Sample::nanos);
    double tTo = at(samples, to, Sample::nanos);
    double cpuFrom = at(samples, from, Sample::cpuNanos);
    double cpuTo = at(samples, to, Sample::cpuNanos);
    double othersFrom = at(samples, from, Sample::othersCpuNanos);
    double othersTo = at(samples, to, Sample::othersCpuNanos);
    double windowEvents = to - from;
    long peakHeap = 0;
    long peakRss = 0;
    for (Sample s : samples) {
      peakHeap = Math.max(peakHeap, s.heapUsedBytes());
      peakRss = Math.max(peakRss, Math.max(s.peakRssBytes(), s.rssBytes()));
    }
    return new RunMetrics(
        events,
        (first.nanos() - launchNanos) / 1e9,
        (last.nanos() - launchNanos) / 1e9,
        tTo > tFrom ? windowEvents / ((tTo - tFrom) / 1e9) : Double.NaN,
        (cpuTo - cpuFrom) / 1e3 / windowEvents,
        last.cpuNanos() / 1e3 / all,
        (othersTo - othersFrom) / 1e3 / windowEvents,
        peakHeap,
        peakRss,
        last.gcCount(),
        last.gcMillis(),
        restarts,
        warmupEvents,
        warmupEvents == 0 ? 0 : (at(samples, warmupEvents, Sample::nanos) - first.nanos()) / 1e9);
  }

  /**
   * A sampled quantity at the moment {@code written} crossed {@code target}, interpolated linearly
   * between the two samples around it.
   */
  static double at(List<Sample> samples, double target, ToLongFunction<Sample> f) {
    Sample before = null;
    for (Sample s : samples) {
      if (s.written() >= target) {
        if (before == null || s.written() == before.written()) {
          return f.applyAsLong(s);
        }
        double share = (target - before.written()) / (double) (s.written() - before.written());
        return f.applyAsLong(before) + share * (f.applyAsLong(s) - f.applyAsLong(before));
      }
      before = s;
    }
    throw new IllegalArgumentException("never reached " + target);
  }
}
