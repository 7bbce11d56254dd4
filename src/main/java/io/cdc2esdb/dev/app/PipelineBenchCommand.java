package io.cdc2esdb.dev.app;

import io.cdc2esdb.dev.bench.PipelineBenchmark;
import io.cdc2esdb.dev.bench.PipelineReport;
import io.cdc2esdb.dev.proc.ProcessStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench pipeline}: cdc2esdb end to end against the seed design and the raw limits, broker,
 * emulator and cdc2esdb each a process of their own; see {@link PipelineBenchmark}.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "Measures cdc2esdb end to end: a broker, the emulator and cdc2esdb as separate processes on"
          + " loopback, a preloaded Debezium-shaped workload; cdc2esdb's steady events/s, CPU per"
          + " event, heap, RSS, GC and profile, the seed design, the raw limits and latency.",
      "Needs target/cdc2esdb.jar and target/cdc2esdb-dev.jar (mvn package)."
    })
public final class PipelineBenchCommand implements Callable<Integer> {

  @Option(
      names = "--events",
      split = ",",
      defaultValue = "20000",
      description = "Workload sizes, change events (default: ${DEFAULT-VALUE}).")
  List<Long> sizes;

  @Option(
      names = "--partitions",
      split = ",",
      defaultValue = "1",
      description = "Partitions of the table topic (default: ${DEFAULT-VALUE}).")
  List<Integer> partitions;

  @Option(
      names = "--modes",
      split = ",",
      defaultValue = "default",
      description =
          "esdb.append.mode values to run cdc2esdb with; 'default' leaves it unset (default:"
              + " ${DEFAULT-VALUE}).")
  List<String> modes;

  @Option(
      names = "--parts",
      split = ",",
      defaultValue = "cdc2esdb,seed,raw,latency",
      description = "What to measure: cdc2esdb, seed, raw, latency (default: ${DEFAULT-VALUE}).")
  List<PipelineBenchmark.Part> parts;

  @Option(
      names = "--seed-events",
      defaultValue = "20000",
      description = "Events the seed design is measured on, at most (default: ${DEFAULT-VALUE}).")
  long seedEvents;

  @Option(
      names = "--raw-append-events",
      defaultValue = "200000",
      description = "Events the direct append is measured on, at most (default: ${DEFAULT-VALUE}).")
  long rawAppendEvents;

  @Option(
      names = "--warmup-events",
      defaultValue = "0",
      description =
          "Events of a history of their own that cdc2esdb writes before the measured ones (first"
              + " in the topics, not measured), so that its hot paths are compiled when the"
              + " measurement starts (default: ${DEFAULT-VALUE}).")
  long warmupEvents;

  @Option(
      names = "--latency-fraction",
      defaultValue = "0.5",
      description = "Latency is measured at this share of cdc2esdb's steady rate.")
  double latencyFraction;

  @Option(
      names = "--latency-warmup-seconds",
      defaultValue = "30",
      description =
          "Paced at the rate before latency is measured, at least this many seconds and on"
              + " until cdc2esdb has caught up with the rate (at most 3 minutes more).")
  int latencyWarmupSeconds;

  @Option(names = "--latency-seconds", defaultValue = "20", description = "Paced run, seconds.")
  int latencySeconds;

  @Option(
      names = "--set",
      description = "A cdc2esdb setting for every run, key=value (repeatable).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--cdc-jvm",
      split = " ",
      defaultValue = PipelineBenchmark.DEFAULT_CDC_JVM,
      description =
          "JVM options of cdc2esdb and the seed design; the collector is the Docker image's"
              + " (default: ${DEFAULT-VALUE}).")
  List<String> cdcJvm;

  @Option(
      names = "--emulator-arg",
      description = "An emulator option (repeatable; default: --no-projections).")
  List<String> emulatorArgs = new ArrayList<>(List.of("--no-projections"));

  @Option(names = "--no-profile", description = "Do not record cdc2esdb with Flight Recorder.")
  boolean noProfile;

  @Option(
      names = "--jars",
      defaultValue = "target",
      description = "Where cdc2esdb.jar and cdc2esdb-dev.jar are (default: ${DEFAULT-VALUE}).")
  Path jarDir;

  @Option(names = "--work-dir", description = "Logs and data (default: a temporary directory).")
  Path workDir;

  @Option(names = "--keep", description = "Keep the work directory (logs, data, recordings).")
  boolean keep;

  @Option(names = "--output", description = "Append the Markdown report to this file.")
  Path output;

  @Option(names = "--commit", description = "The commit measured, for the report.")
  String commit;

  @Override
  public Integer call() throws IOException {
    Set<PipelineBenchmark.Part> chosen = EnumSet.noneOf(PipelineBenchmark.Part.class);
    chosen.addAll(parts);
    PipelineBenchmark.Options options =
        new PipelineBenchmark.Options(
            sizes,
            partitions,
            modes,
            chosen,
            seedEvents,
            rawAppendEvents,
            warmupEvents,
            latencyFraction,
            Duration.ofSeconds(latencyWarmupSeconds),
            Duration.ofSeconds(latencySeconds),
            settings,
            cdcJvm,
            emulatorArgs,
            !noProfile,
            Duration.ofMinutes(30));
    Path work = workDir != null ? workDir : Files.createTempDirectory("cdc2esdb-bench-");
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String loadBefore = BenchEnvironment.loadAverage();
    List<PipelineBenchmark.CaseResult> results;
    try (ProcessStack stack = ProcessStack.in(work, ProcessStack.Jars.in(jarDir))) {
      results = new PipelineBenchmark(stack, options, System.out::println).run();
    } finally {
      if (!keep && workDir == null) {
        deleteRecursively(work);
      } else {
        System.out.println("Logs and data kept in " + work);
      }
    }
    String header =
        String.format(
            Locale.ROOT,
            "## Run of %s%n%n%s%n- Load average (1, 5, 15 min): before %s, after %s.%n- Settings: %s;"
                + " cdc2esdb JVM %s; emulator %s; every subject writes to a fresh emulator"
                + " (separate process, data on disk, no fsync).%n- Warm-up: %s.",
            started,
            BenchEnvironment.describe(commit),
            loadBefore,
            BenchEnvironment.loadAverage(),
            settings.isEmpty() ? "cdc2esdb defaults" : settings,
            String.join(" ", cdcJvm),
            String.join(" ", emulatorArgs),
            warmupEvents == 0
                ? "none (each cdc2esdb run measured from a cold JVM)"
                : String.format(
                    Locale.ROOT,
                    "%,d events of their own before the measured ones in each case's topics;"
                        + " cdc2esdb writes them first (not measured), the seed design's and"
                        + " (i)'s first events are among them",
                    warmupEvents));
    String report = PipelineReport.markdown(header, results);
    System.out.println();
    System.out.println(report);
    if (output != null) {
      Files.writeString(
          output, report + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    return 0;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
