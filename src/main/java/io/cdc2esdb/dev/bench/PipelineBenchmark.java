package io.cdc2esdb.dev.bench;

import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.config.Settings;
import io.cdc2esdb.dev.ReadyTopics;
import io.cdc2esdb.dev.proc.JavaProcess;
import io.cdc2esdb.dev.proc.ProcessStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;

/**
 * {@code bench pipeline}: cdc2esdb end to end, every part a separate process on loopback (a {@link
 * ProcessStack}), on a preloaded Debezium-shaped {@link Workload}. For each size and number of
 * partitions it measures, in one run: the raw limits ({@link RawLimits}); the seed design ({@link
 * SeedBaseline}); cdc2esdb per append mode, with its CPU, memory, GC and a CPU profile; and latency
 * at a share of cdc2esdb's measured rate. Each subject writes to a fresh emulator, and what it
 * wrote is counted there ({@link AllProbe}), not taken from its own metrics.
 */
public final class PipelineBenchmark {

  /** The parts that can be chosen. */
  public enum Part {
    CDC2ESDB,
    SEED,
    RAW,
    LATENCY
  }

  /** What to run. A {@code mode} of "default" leaves {@code esdb.append.mode} unset. */
  public record Options(
      List<Long> sizes,
      List<Integer> partitions,
      List<String> modes,
      Set<Part> parts,
      long seedEvents,
      long rawAppendEvents,
      long warmupEvents,
      double latencyFraction,
      Duration latencyWarmup,
      Duration latencyDuration,
      Map<String, String> settings,
      List<String> cdcJvmOptions,
      List<String> emulatorArgs,
      boolean profile,
      Duration phaseTimeout) {

    public static Options defaults() {
      return new Options(
          List.of(20_000L),
          List.of(1),
          List.of(DEFAULT_MODE),
          EnumSet.allOf(Part.class),
          20_000,
          200_000,
          0,
          0.5,
          Duration.ofSeconds(30),
          Duration.ofSeconds(20),
          Map.of(),
          List.of(DEFAULT_CDC_JVM.split(" ")),
          List.of("--no-projections"),
          true,
          Duration.ofMinutes(30));
    }
  }

  /**
   * Latency of a paced run: target and reached rate, events measured, percentiles in ms, and how
   * long the warm-up at the rate lasted until cdc2esdb had caught up with it.
   */
  public record Latency(
      double targetRate,
      double sentRate,
      long events,
      double p50,
      double p99,
      double max,
      double warmupSeconds) {}

  /**
   * One append mode: cdc2esdb's figures, the direct append, latency, the profile, what cdc2esdb
   * wrote to its changelogs (or nulls).
   */
  public record ModeResult(
      String mode,
      RunMetrics metrics,
      RawLimits.Result directAppend,
      Latency latency,
      JfrSummary.Profile profile,
      ChangelogCounts changelogs) {}

  /** Everything measured for one size and partition count. */
  public record CaseResult(
      long events,
      int partitions,
      WorkloadProducer.Sent preload,
      Workload.Mix mix,
      RawLimits.Result consume,
      RunMetrics seed,
      List<ModeResult> modes,
      List<String> failures) {}

  public static final String DEFAULT_MODE = "default";

  /** cdc2esdb's and the seed design's JVM options: the Docker image's collector, a 512 MB heap. */
  public static final String DEFAULT_CDC_JVM = "-Xmx512m -XX:+UseParallelGC";

  private static final String CDC_METRICS = "kafka.streams:type=stream-cdc2esdb-metrics,*";
  private static final Pattern SEED_READY = Pattern.compile("seed baseline consuming");
  private static final Pattern LEFT_RUNNING = Pattern.compile("Kafka Streams RUNNING -> ");

  private final ProcessStack stack;
  private final Options options;
  private final Consumer<String> log;
  private final long nanoBase = System.nanoTime();
  private final Instant wallBase = Instant.now();
  private String bootstrap;
  private ProcessStack.Broker broker;
  private int runs;

  public PipelineBenchmark(ProcessStack stack, Options options, Consumer<String> log) {
    this.stack = stack;
    this.options = options;
    this.log = log;
  }

  /** Starts the broker and runs every case; the caller closes the stack. */
  public List<CaseResult> run() {
    broker = stack.startBroker("broker", List.of("-Xmx1g"));
    bootstrap = broker.bootstrapServers();
    List<CaseResult> results = new ArrayList<>();
    for (long size : options.sizes()) {
      for (int partitions : options.partitions()) {
        results.add(runCase(size, partitions));
      }
    }
    return results;
  }

  private CaseResult runCase(long events, int partitions) {
    String prefix = "b" + events + "p" + partitions;
    Workload.Spec spec = Workload.Spec.of(events);
    DebeziumShape shape = createTopics(prefix, partitions);
    log.accept(String.format(Locale.ROOT, "[%s] preloading %,d events", prefix, events));
    Workload workload = new Workload(spec);
    WorkloadProducer.Sent preload;
    try (WorkloadProducer producer = new WorkloadProducer(bootstrap)) {
      if (options.warmupEvents() > 0) {
        // First in the topics, on rows and transactions of its own: what cdc2esdb writes before
        // the measured events, so that they find its code compiled.
        Workload warmup = new Workload(spec.warmup(options.warmupEvents()));
        WorkloadProducer.Sent sent = producer.preload(warmup, shape, System::currentTimeMillis);
        log.accept(
            String.format(
                Locale.ROOT,
                "[%s] preloaded a warm-up of %,d events first",
                prefix,
                sent.events()));
      }
      preload = producer.preload(workload, shape, System::currentTimeMillis);
    }
    log.accept(
        String.format(
            Locale.ROOT,
            "[%s] preloaded %,d records (%,d MB) in %.1f s",
            prefix,
            preload.records(),
            preload.bytes() >> 20,
            preload.seconds()));
    List<String> failures = new ArrayList<>();
    RawLimits.Result consume = null;
    if (options.parts().contains(Part.RAW)) {
      CdcConfig cdc = Settings.of(cdcSettings(prefix, DEFAULT_MODE, "esdb://127.0.0.1:1")).cdc();
      consume =
          attempt(
              prefix + " (i) consume + parse",
              failures,
              () -> RawLimits.consumeAndParse(bootstrap, shape.tableTopic(), events, cdc));
      if (consume != null) {
        log.accept(describe(prefix, consume));
      }
    }
    RunMetrics seed = null;
    if (options.parts().contains(Part.SEED)) {
      seed =
          attempt(
              prefix + " seed design",
              failures,
              () -> runSeed(prefix, shape, Math.min(events, options.seedEvents())));
    }
    List<ModeResult> modes = new ArrayList<>();
    for (String mode : options.modes()) {
      RawLimits.Result direct =
          options.parts().contains(Part.RAW)
              ? attempt(
                  prefix + " " + mode + " (ii) append direct",
                  failures,
                  () -> runDirectAppend(prefix, shape, spec, mode))
              : null;
      RunMetrics metrics = null;
      JfrSummary.Profile profile = null;
      ChangelogCounts changelogs = null;
      if (options.parts().contains(Part.CDC2ESDB)) {
        Profiled run =
            attempt(
                prefix + " " + mode + " cdc2esdb", failures, () -> runCdc2esdb(prefix, spec, mode));
        metrics = run == null ? null : run.metrics();
        profile = run == null ? null : run.profile();
        changelogs = run == null ? null : run.changelogs();
      }
      double rate =
          metrics == null ? 0 : options.latencyFraction() * metrics.steadyEventsPerSecond();
      Latency latency =
          options.parts().contains(Part.LATENCY) && metrics != null
              ? attempt(
                  prefix + " " + mode + " latency",
                  failures,
                  () -> runLatency(prefix, partitions, mode, rate))
              : null;
      modes.add(new ModeResult(mode, metrics, direct, latency, profile, changelogs));
    }
    return new CaseResult(
        events, partitions, preload, workload.mix(), consume, seed, modes, failures);
  }

  /** Runs one phase; a failure is logged and kept for the report, and the next phase runs. */
  private <T> T attempt(String what, List<String> failures, Supplier<T> phase) {
    try {
      return phase.get();
    } catch (RuntimeException e) {
      String message = what + ": " + e.getMessage().lines().findFirst().orElse(e.toString());
      failures.add(message);
      log.accept("[" + message + "] FAILED");
      return null;
    }
  }

  private RawLimits.Result runDirectAppend(
      String prefix, DebeziumShape shape, Workload.Spec spec, String mode) {
    ProcessStack.Emulator emulator = freshEmulator();
    try {
      CdcConfig cdc = Settings.of(cdcSettings(prefix, mode, emulator.connectionString())).cdc();
      long n = Math.min(spec.events(), options.rawAppendEvents());
      List<RawLimits.MappedTransaction> mapped =
          RawLimits.mapped(new Workload(spec), shape, n, cdc);
      RawLimits.Result direct = RawLimits.appendDirect(mapped, cdc);
      log.accept(describe(prefix + " " + mode, direct));
      return direct;
    } finally {
      emulator.stop();
    }
  }

  private record Profiled(
      RunMetrics metrics, JfrSummary.Profile profile, ChangelogCounts changelogs) {}

  private Profiled runCdc2esdb(String prefix, Workload.Spec spec, String mode) {
    ProcessStack.Emulator emulator = freshEmulator();
    String name = "cdc2esdb-" + (++runs);
    Path jfr = stack.workDir().resolve(name + ".jfr");
    List<String> jvm = new ArrayList<>(options.cdcJvmOptions());
    if (options.profile()) {
      jvm.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
    }
    long warmup = options.warmupEvents();
    Map<String, String> settings = cdcSettings(prefix, mode, emulator.connectionString());
    try (AllProbe probe = AllProbe.start(emulator.connectionString(), false)) {
      JavaProcess cdc = stack.startCdc2esdb(name, settings, jvm);
      try {
        List<Sample> samples =
            Sampler.until(
                cdc,
                List.of(broker.process(), emulator.process()),
                probe::count,
                warmup + spec.events(),
                options.phaseTimeout());
        checkExactlyOnce(cdc, probe, warmup + spec.events());
        RunMetrics metrics =
            RunMetrics.of(samples, warmup, spec.events(), cdc.startedNanos(), restarts(cdc));
        log.accept(describe(prefix + " " + mode + " cdc2esdb", metrics));
        cdc.stop(Duration.ofSeconds(60)); // writes the recording
        ChangelogCounts changelogs =
            ChangelogCounts.read(bootstrap, settings.get(StreamsConfig.APPLICATION_ID_CONFIG));
        log.accept(
            String.format(
                Locale.ROOT,
                "[%s %s cdc2esdb] changelog records written: pending %,d, stream-positions %,d",
                prefix,
                mode,
                changelogs.pending(),
                changelogs.positions()));
        JfrSummary.Profile profile = null;
        if (options.profile() && Files.exists(jfr)) {
          double from =
              RunMetrics.at(
                  samples, warmup + spec.events() * RunMetrics.WINDOW_FROM, Sample::nanos);
          double to =
              RunMetrics.at(samples, warmup + spec.events() * RunMetrics.WINDOW_TO, Sample::nanos);
          profile = JfrSummary.summarise(jfr, wall(from), wall(to), 15);
        }
        return new Profiled(metrics, profile, changelogs);
      } finally {
        cdc.close();
      }
    } finally {
      emulator.stop();
    }
  }

  private RunMetrics runSeed(String prefix, DebeziumShape shape, long events) {
    ProcessStack.Emulator emulator = freshEmulator();
    try (AllProbe probe = AllProbe.start(emulator.connectionString(), false)) {
      JavaProcess seed =
          stack.startJar(
              "seed-" + (++runs),
              stack.jars().dev(),
              options.cdcJvmOptions(),
              List.of(
                  "bench",
                  "seed",
                  "--bootstrap-servers",
                  bootstrap,
                  "--esdb",
                  emulator.connectionString(),
                  "--topics",
                  Pattern.quote(shape.tableTopic()),
                  "--group",
                  "bench-seed-" + prefix + "-" + runs),
              SEED_READY);
      try {
        List<Sample> samples =
            Sampler.until(
                seed,
                List.of(broker.process(), emulator.process()),
                probe::count,
                events,
                options.phaseTimeout());
        RunMetrics metrics = RunMetrics.of(samples, events, seed.startedNanos(), 0);
        log.accept(describe(prefix + " seed design", metrics));
        return metrics;
      } finally {
        seed.close();
      }
    } finally {
      emulator.stop();
    }
  }

  /** How much longer than the configured warm-up a paced run waits for cdc2esdb to catch up. */
  private static final Duration MAX_CATCH_UP = Duration.ofMinutes(3);

  private Latency runLatency(String prefix, int partitions, String mode, double rate) {
    String live = prefix + "live" + (++runs);
    DebeziumShape shape = createTopics(live, partitions);
    ProcessStack.Emulator emulator = freshEmulator();
    try (AllProbe probe = AllProbe.start(emulator.connectionString(), true)) {
      JavaProcess cdc =
          stack.startCdc2esdb(
              "cdc2esdb-" + runs,
              cdcSettings(live, mode, emulator.connectionString()),
              options.cdcJvmOptions());
      try (WorkloadProducer producer = new WorkloadProducer(bootstrap)) {
        log.accept(String.format(Locale.ROOT, "[%s] latency at %.0f events/s", prefix, rate));
        // Warm-up, not measured, and leaving no backlog behind: a trickle until cdc2esdb has
        // written its first event, then until it has caught up, then a while at the rate: the
        // step from a trickle to the rate builds a queue of a few seconds (a JVM compiling its
        // hot paths, batches that grow from nothing) that is start-up, not steady latency.
        Workload workload =
            new Workload(
                Workload.Spec.of(
                    Math.max(
                        10_000,
                        (long)
                            (rate
                                * (options.latencyWarmup().toSeconds()
                                    + options.latencyDuration().toSeconds()
                                    + 300)))));
        producer.paced(workload, shape, 5, Duration.ofMinutes(3), () -> probe.count() > 0);
        awaitWritten(probe, cdc, workload.mix().total());
        // A fresh JVM compiles its hot paths under the load of the step itself and falls behind
        // by seconds; the warm-up goes on at the rate until that queue has drained (written to
        // within half a second of what was sent), so what is measured is the steady state.
        long warmupFrom = System.nanoTime();
        long warmupAtLeast = warmupFrom + options.latencyWarmup().toNanos();
        long lagAllowed = (long) Math.max(10, rate / 2);
        producer.paced(
            workload,
            shape,
            rate,
            options.latencyWarmup().plus(MAX_CATCH_UP),
            () ->
                System.nanoTime() > warmupAtLeast
                    && probe.count() >= workload.mix().total() - lagAllowed);
        double warmupSeconds = (System.nanoTime() - warmupFrom) / 1e9;
        long measureFromMillis = System.currentTimeMillis();
        WorkloadProducer.Sent sent =
            producer.paced(workload, shape, rate, options.latencyDuration(), () -> false);
        awaitWritten(probe, cdc, workload.mix().total());
        if (probe.failure() != null) {
          throw new IllegalStateException("the $all subscription failed", probe.failure());
        }
        long[] ms = probe.latenciesSentFrom(measureFromMillis);
        Arrays.sort(ms);
        Latency latency =
            new Latency(
                rate,
                sent.events() / sent.seconds(),
                ms.length,
                percentile(ms, 0.50),
                percentile(ms, 0.99),
                ms.length == 0 ? Double.NaN : ms[ms.length - 1],
                warmupSeconds);
        log.accept(
            String.format(
                Locale.ROOT,
                "[%s] latency p50 %.0f ms, p99 %.0f ms (after %.0f s of warm-up at the rate)",
                prefix,
                latency.p50(),
                latency.p99(),
                warmupSeconds));
        return latency;
      } finally {
        cdc.close();
      }
    } finally {
      emulator.stop();
    }
  }

  private static void awaitWritten(AllProbe probe, JavaProcess cdc, long expected) {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (probe.count() < expected) {
      if (System.nanoTime() > deadline || !cdc.isAlive()) {
        throw new IllegalStateException(
            "latency run: " + probe.count() + " of " + expected + " events arrived");
      }
      Sampler.sleep(Duration.ofMillis(100));
    }
  }

  /** The nearest-rank percentile of sorted values; NaN for none. */
  static double percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(quantile * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  /** Exactly one event per change in EventStoreDB (a moment after the last), no dead letter. */
  private static void checkExactlyOnce(JavaProcess cdc, AllProbe probe, long events) {
    Sampler.sleep(Duration.ofSeconds(1));
    double deadLetters = cdc.jvm().sum(CDC_METRICS, "dead-lettered-total");
    if (deadLetters > 0 || probe.count() != events) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "%s: %d events in EventStoreDB for %d changes, %.0f dead letters",
              cdc.name(),
              probe.count(),
              events,
              deadLetters));
    }
  }

  /** How often Kafka Streams left RUNNING (a fenced or failed thread, a rebalance). */
  static int restarts(JavaProcess cdc) {
    Matcher m = LEFT_RUNNING.matcher(cdc.tail(1_000_000));
    int count = 0;
    while (m.find()) {
      count++;
    }
    return count;
  }

  private ProcessStack.Emulator freshEmulator() {
    return stack.startEmulator("emulator-" + (++runs), options.emulatorArgs(), List.of());
  }

  private DebeziumShape createTopics(String prefix, int partitions) {
    DebeziumShape shape = new DebeziumShape(prefix, 400, UUID.randomUUID().toString());
    Map<String, Integer> topics = new HashMap<>();
    topics.put(shape.tableTopic(), partitions);
    topics.put(shape.transactionTopic(), 1);
    // Debezium's schema-change topic (named as the prefix), which cdc2esdb reads for table
    // structures: it exists, empty, as for a connector whose DDL was captured before the run.
    topics.put(prefix, 1);
    topics.put("cdc2esdb-dead-letter", 1);
    ReadyTopics.create(bootstrap, topics);
    return shape;
  }

  private Map<String, String> cdcSettings(String prefix, String mode, String esdb) {
    Map<String, String> s = new HashMap<>();
    s.put("bootstrap.servers", bootstrap);
    s.put(CdcConfig.ESDB_CONNECTION_STRING, esdb);
    s.put(CdcConfig.TOPIC_PREFIX, prefix);
    s.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + prefix + "-" + mode + "-" + runs);
    if (!mode.equals(DEFAULT_MODE)) {
      s.put("esdb.append.mode", mode);
    }
    s.putAll(options.settings());
    return s;
  }

  private Instant wall(double nanos) {
    return wallBase.plusNanos((long) (nanos - nanoBase));
  }

  private static String describe(String what, RawLimits.Result r) {
    return String.format(
        Locale.ROOT,
        "[%s] %s: %,d events in %.1f s = %,.0f events/s, %.0f us CPU/event",
        what,
        r.name(),
        r.events(),
        r.seconds(),
        r.eventsPerSecond(),
        r.cpuMicrosPerEvent());
  }

  private static String describe(String what, RunMetrics m) {
    return String.format(
        Locale.ROOT,
        "[%s] %,.0f events/s steady, start-up %.1f s, warm-up %.1f s, %.0f us CPU/event, heap %d"
            + " MB, RSS %d MB, GC %d ms, %d restarts",
        what,
        m.steadyEventsPerSecond(),
        m.startupSeconds(),
        m.warmupSeconds(),
        m.steadyCpuMicrosPerEvent(),
        m.peakHeapBytes() >> 20,
        m.peakRssBytes() >> 20,
        m.gcMillis(),
        m.restarts());
  }
}
