package io.cdc2esdb.dev.app;

import io.cdc2esdb.config.Settings;
import io.cdc2esdb.dev.CaptureFormatException;
import io.cdc2esdb.dev.MariaDbNotInstalledException;
import io.cdc2esdb.dev.TopicReader;
import io.cdc2esdb.dev.emulator.ServerVersion;
import io.cdc2esdb.processing.Counters;
import io.cdc2esdb.sink.EsdbReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Everything on this machine, no Docker: an embedded Kafka broker, the EventStoreDB emulator and
 * cdc2esdb, fed with real Debezium change events; then a summary read back through EventStoreDB.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole path on this machine, without Docker: an embedded Kafka broker, an"
          + " EventStoreDB emulator and cdc2esdb, fed with real Debezium change events. Ends with"
          + " a summary of what EventStoreDB holds, then keeps running (Ctrl-C stops) unless"
          + " --once."
    })
public final class DemoCommand implements Callable<Integer> {

  /** Where the change events come from, unless {@code --input} names a capture file. */
  enum Source {
    sample,
    mariadb
  }

  @Option(
      names = "--source",
      paramLabel = "SOURCE",
      description =
          "sample (default): the bundled capture of real Debezium output from MariaDB;"
              + " mariadb: a private MariaDB server (must be installed) with Debezium, live.")
  Source source = Source.sample;

  @Option(
      names = "--input",
      paramLabel = "FILE",
      description =
          "Replay this capture file (JSON Lines, one Kafka record a line, or a JSON array)"
              + " under its own topic names.")
  Path input;

  @Option(names = "--once", description = "Exit once everything read is written.")
  boolean once;

  @Option(names = "--summary", paramLabel = "FILE", description = "Also write the summary as JSON.")
  Path summaryFile;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Longest wait for cdc2esdb to write everything (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds = 120;

  @Option(
      names = "--instances",
      paramLabel = "N",
      description =
          "Run N cdc2esdb instances of one application, each with its own state and HTTP port"
              + " (default: ${DEFAULT-VALUE}).")
  int instances = 1;

  @Option(
      names = "--esdb-version",
      paramLabel = "VERSION",
      converter = EmulatorCommand.ServerVersionConverter.class,
      description =
          "The server the EventStoreDB emulator plays: 24.10 (no multi-stream append), 25.1 or"
              + " 26.0 (default).")
  ServerVersion esdbVersion = ServerVersion.DEFAULT;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "A cdc2esdb or Kafka Streams setting, over the demo's own.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    if (instances < 1 || instances > 9) {
      err.println("--instances must be 1 to 9, not " + instances);
      return 2;
    }
    if (input != null && source == Source.mariadb) {
      err.println("--input and --source mariadb are alternatives: choose one");
      return 2;
    }
    DemoConsole console = new DemoConsole(spec.commandLine().getOut());
    try {
      DemoSource demoSource =
          input != null
              ? CaptureSource.file(input)
              : source == Source.mariadb ? new MariaDbSource() : CaptureSource.sample();
      return run(demoSource, console);
    } catch (MariaDbNotInstalledException | CaptureFormatException e) {
      err.println(e.getMessage());
      return 1;
    } catch (UncheckedIOException e) {
      err.println(e.getMessage() + ": " + e.getCause());
      return 1;
    } catch (ConfigException e) {
      err.println("Invalid setting: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println(
          "The demo failed: "
              + e.getMessage()
              + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
      return 1;
    }
  }

  private int run(DemoSource demoSource, DemoConsole console) throws InterruptedException {
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    Map<String, String> all = new HashMap<>(demoSource.settings());
    all.putAll(settings);
    // A bad --set fails here, before any server starts; the real address comes later.
    Map<String, String> check = new HashMap<>(all);
    check.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
    Settings.of(check);
    CountDownLatch closed = new CountDownLatch(1);
    try (LocalPipeline pipeline = LocalPipeline.start(esdbVersion);
        DemoSource feed = demoSource) {
      console.step("Kafka broker (KRaft, in this JVM) on %s", pipeline.bootstrapServers());
      console.step(
          "EventStoreDB emulator (as %s) on %s",
          pipeline.esdbVersion().reported(), pipeline.esdbConnectionString());
      pipeline.partitionsAtLeast(instances);
      feed.prepare(pipeline, console);
      pipeline.startCdc2esdb(all, timeout, instances);
      console.step(
          "cdc2esdb (Kafka Streams, %d instance%s) running on topic prefix %s, writing to"
              + " EventStoreDB",
          instances, instances == 1 ? "" : "s", pipeline.config().topicPrefix());
      List<String> addresses = pipeline.httpAddresses();
      for (int i = 0; i < addresses.size(); i++) {
        console.step("cdc2esdb instance %d: HTTP on http://%s", i + 1, addresses.get(i));
      }
      feed.feed(pipeline, console);
      ProgressPrinter progress = new ProgressPrinter(console, pipeline);
      Backlog.Progress done;
      if (feed.hasTableTopics()) {
        done = pipeline.awaitCaughtUp(timeout, progress::show);
        console.step("Everything read is written");
      } else {
        done = new Backlog.Progress(0, 0, 0, 0, false);
        console.step("No table topic in the input: no change to write");
      }
      DemoSummary summary = summarize(pipeline, done);
      try (EsdbReader reader = EsdbReader.connect(pipeline.esdbConnectionString(), 10_000)) {
        SummaryReport.print(console.out(), summary, reader);
      }
      long released = pipeline.counter(Counters.RELEASED_ON_TIMEOUT);
      if (released > 0) {
        console
            .out()
            .printf(
                "%d events were written without their transaction's END (not in the input).%n",
                released);
      }
      printExplore(console.out(), pipeline, feed.explore());
      if (!addresses.isEmpty()) {
        InstancesReport.print(console.out(), addresses.get(0));
      }
      if (summaryFile != null) {
        summary.write(summaryFile);
        console.step("Summary written to %s", summaryFile);
      }
      if (!once) {
        keepRunning(console, progress, closed);
      }
    } finally {
      closed.countDown();
    }
    return 0;
  }

  private static DemoSummary summarize(LocalPipeline pipeline, Backlog.Progress done) {
    String deadLetterTopic = pipeline.config().deadLetterTopic();
    try (EsdbReader reader = EsdbReader.connect(pipeline.esdbConnectionString(), 10_000)) {
      var deadLetters =
          TopicReader.readAll(
              pipeline.bootstrapServers(), List.of(deadLetterTopic), Duration.ofSeconds(30));
      return DemoSummary.collect(
          reader,
          deadLetters,
          new DemoSummary.Counts(
              done.read(), done.written(), deadLetters.size(), tombstones(pipeline)));
    }
  }

  /**
   * The tombstones on the data topics, counted in the input: the per-task metric loses what a task
   * counted before a rebalance moved it to another instance ({@code --instances}).
   */
  private static long tombstones(LocalPipeline pipeline) {
    try (Admin admin =
        Admin.create(
            Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()))) {
      List<String> data =
          admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
              .filter(t -> pipeline.config().dataTopicsPattern().matcher(t).matches())
              .toList();
      return TopicReader.readAll(pipeline.bootstrapServers(), data, Duration.ofSeconds(30)).stream()
          .filter(r -> r.value() == null)
          .count();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list the data topics: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void printExplore(PrintWriter out, LocalPipeline pipeline, List<String> more) {
    out.printf("%nExplore further:%n");
    out.printf("  EventStoreDB (gRPC, any client): %s%n", pipeline.esdbConnectionString());
    out.printf("  Kafka (bootstrap.servers): %s%n", pipeline.bootstrapServers());
    pipeline
        .httpAddresses()
        .forEach(
            address ->
                out.printf(
                    "  cdc2esdb HTTP: http://%s (/streams/{stream}, /streams?prefix=,"
                        + " /transactions/{id}, /pending, /instances, /health/ready, /metrics)%n",
                    address));
    more.forEach(line -> out.printf("  %s%n", line));
    out.flush();
  }

  // Until Ctrl-C. The hook only signals and then waits: closing happens on this thread, in the
  // caller's try-with-resources order, before the JVM goes.
  private static void keepRunning(
      DemoConsole console, ProgressPrinter progress, CountDownLatch closed)
      throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.countDown();
                  try {
                    closed.await(60, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "cdc2esdb-demo-shutdown"));
    console.step("Running; new changes keep flowing into EventStoreDB. Ctrl-C stops.");
    while (!stop.await(2, TimeUnit.SECONDS)) {
      progress.poll();
    }
    console.step("Stopping");
  }
}
