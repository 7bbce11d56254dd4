package io.cdc2esdb.dev.bench;

import java.util.List;
import java.util.Locale;

/** {@code bench pipeline}'s results as Markdown: the tables, then each run's profile. */
public final class PipelineReport {

  private PipelineReport() {}

  /** The pipeline's limit: the slower of the two raw paths (NaN when either was not measured). */
  static double limit(RawLimits.Result consume, RawLimits.Result append) {
    if (consume == null || append == null) {
      return Double.NaN;
    }
    return Math.min(consume.eventsPerSecond(), append.eventsPerSecond());
  }

  private static String changelogs(ChangelogCounts counts, long written) {
    if (counts == null) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "%.2f, %.2f",
        counts.pending() / (double) written,
        counts.positions() / (double) written);
  }

  static double ratio(double value, double reference) {
    return reference > 0 ? value / reference : Double.NaN;
  }

  public static String markdown(String header, List<PipelineBenchmark.CaseResult> results) {
    StringBuilder out = new StringBuilder(header).append("\n\n");
    out.append("### Throughput\n\n");
    out.append(
        "| events | partitions | mode | cdc2esdb events/s | start-up s | seed design events/s"
            + " | (i) consume + parse events/s | (ii) append direct events/s | limit | of limit"
            + " | × seed |\n");
    out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (PipelineBenchmark.CaseResult c : results) {
      double seed = c.seed() == null ? Double.NaN : c.seed().steadyEventsPerSecond();
      for (PipelineBenchmark.ModeResult m : c.modes()) {
        double rate = m.metrics() == null ? Double.NaN : m.metrics().steadyEventsPerSecond();
        double limit = limit(c.consume(), m.directAppend());
        out.append(
            String.format(
                Locale.ROOT,
                "| %,d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                c.events(),
                c.partitions(),
                m.mode(),
                number(rate),
                m.metrics() == null
                    ? ""
                    : String.format(Locale.ROOT, "%.1f", m.metrics().startupSeconds()),
                number(seed),
                c.consume() == null ? "" : number(c.consume().eventsPerSecond()),
                m.directAppend() == null ? "" : number(m.directAppend().eventsPerSecond()),
                number(limit),
                fraction(ratio(rate, limit)),
                times(ratio(rate, seed))));
      }
    }
    out.append("\n### cdc2esdb process\n\n");
    out.append(
        "| events | partitions | mode | CPU µs/event (steady) | CPU µs/event (whole run) | broker +"
            + " EventStoreDB CPU µs/event (steady) | peak heap MB | peak RSS MB | GC ms (collections)"
            + " | restarts | changelog records per event written: `pending`, `stream-positions` |\n");
    out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (PipelineBenchmark.CaseResult c : results) {
      for (PipelineBenchmark.ModeResult m : c.modes()) {
        RunMetrics r = m.metrics();
        if (r == null) {
          continue;
        }
        out.append(
            String.format(
                Locale.ROOT,
                "| %,d | %d | %s | %.0f | %.0f | %.0f | %d | %d | %,d (%d) | %d | %s |%n",
                c.events(),
                c.partitions(),
                m.mode(),
                r.steadyCpuMicrosPerEvent(),
                r.totalCpuMicrosPerEvent(),
                r.othersCpuMicrosPerEvent(),
                r.peakHeapBytes() >> 20,
                r.peakRssBytes() >> 20,
                r.gcMillis(),
                r.gcCount(),
                r.restarts(),
                changelogs(m.changelogs(), r.warmupEvents() + r.events())));
      }
    }
    out.append("\n### Latency (Debezium `ts_ms` → event created in EventStoreDB)\n\n");
    out.append(
        "| events | partitions | mode | target events/s | sent events/s | warm-up s | events measured | p50 ms | p99 ms | max ms |\n");
    out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (PipelineBenchmark.CaseResult c : results) {
      for (PipelineBenchmark.ModeResult m : c.modes()) {
        PipelineBenchmark.Latency l = m.latency();
        if (l == null) {
          continue;
        }
        out.append(
            String.format(
                Locale.ROOT,
                "| %,d | %d | %s | %s | %s | %.0f | %,d | %.0f | %.0f | %.0f |%n",
                c.events(),
                c.partitions(),
                m.mode(),
                number(l.targetRate()),
                number(l.sentRate()),
                l.warmupSeconds(),
                l.events(),
                l.p50(),
                l.p99(),
                l.max()));
      }
    }
    out.append("\n### Workload and raw paths\n\n");
    for (PipelineBenchmark.CaseResult c : results) {
      out.append(
          String.format(
              Locale.ROOT,
              "- %,d events, %d partition(s): %,d inserts, %,d updates, %,d deletes in %,d"
                  + " transactions; %,d Kafka records, %,d MB of values, preloaded in %.1f s.%s%s%n",
              c.events(),
              c.partitions(),
              c.mix().inserts(),
              c.mix().updates(),
              c.mix().deletes(),
              c.preload().transactions(),
              c.preload().records(),
              c.preload().bytes() >> 20,
              c.preload().seconds(),
              c.consume() == null
                  ? ""
                  : String.format(
                      Locale.ROOT,
                      " (i): %,d events in %.1f s, %.0f µs CPU/event.",
                      c.consume().events(),
                      c.consume().seconds(),
                      c.consume().cpuMicrosPerEvent()),
              c.seed() == null
                  ? ""
                  : String.format(
                      Locale.ROOT,
                      " Seed design measured on %,d events, %.0f µs CPU/event.",
                      c.seed().events(),
                      c.seed().steadyCpuMicrosPerEvent())));
      for (PipelineBenchmark.ModeResult m : c.modes()) {
        if (m.directAppend() != null) {
          out.append(
              String.format(
                  Locale.ROOT,
                  "  - %s (ii): %,d events in %.1f s, %.0f µs CPU/event in the benchmark's JVM.%n",
                  m.mode(),
                  m.directAppend().events(),
                  m.directAppend().seconds(),
                  m.directAppend().cpuMicrosPerEvent()));
        }
      }
    }
    for (PipelineBenchmark.CaseResult c : results) {
      for (String failure : c.failures()) {
        out.append("- Not measured, failed: ").append(failure).append('\n');
      }
    }
    for (PipelineBenchmark.CaseResult c : results) {
      for (PipelineBenchmark.ModeResult m : c.modes()) {
        if (m.profile() != null) {
          out.append(
              String.format(
                  Locale.ROOT,
                  "%n### Profile: cdc2esdb, %,d events, %d partition(s), %s, steady window%n%n",
                  c.events(),
                  c.partitions(),
                  m.mode()));
          out.append(m.profile().markdown());
        }
      }
    }
    return out.toString();
  }

  private static String number(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%,.0f", value);
  }

  private static String fraction(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String times(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.1f×", value);
  }
}
