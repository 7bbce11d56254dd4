package io.cdc2esdb.dev.app;

import io.cdc2esdb.dev.bench.WriterBenchmark;
import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import io.cdc2esdb.event.ProposedEvent;
import io.cdc2esdb.sink.EsdbCommonPool;
import io.cdc2esdb.sink.EsdbGrpcWriter;
import io.cdc2esdb.sink.EsdbRawStubWriter;
import io.cdc2esdb.sink.EsdbWriter;
import io.cdc2esdb.sink.EventStoreWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench writer}: appends/s and events/s of the EventStoreDB writer, for 1 and 100 events per
 * append with 1, 16 and 64 appends in flight, through the client ({@link EsdbWriter}) and through
 * the raw generated stubs, and through {@link EsdbGrpcWriter} over Streams/Append or BatchAppend,
 * against an in-process emulator on loopback (or a given server).
 */
@Command(
    name = "writer",
    mixinStandardHelpOptions = true,
    description = "Measures the EventStoreDB writer (client and raw stubs) against the emulator.")
public final class WriterBenchCommand implements Callable<Integer> {

  @Option(names = "--warmup", defaultValue = "2", description = "Warm-up per scenario, seconds.")
  int warmupSeconds;

  @Option(names = "--duration", defaultValue = "5", description = "Measured time per scenario, s.")
  int measureSeconds;

  @Option(
      names = "--targets",
      split = ",",
      defaultValue = "client,raw",
      description =
          "What to measure: client (EsdbWriter), raw (generated stubs), grpc (EsdbGrpcWriter,"
              + " one Streams/Append call per append), grpc-batch (EsdbGrpcWriter over one"
              + " Streams/BatchAppend call).")
  List<String> targets;

  @Option(
      names = "--events-per-append",
      split = ",",
      defaultValue = "1,100",
      description = "Events per append of the scenarios (each with 1, 16 and 64 in flight).")
  List<Integer> eventsPerAppend;

  @Option(
      names = "--callback-threads",
      defaultValue = "2",
      description = "EsdbWriter callback threads (0: complete on the client's threads).")
  int callbackThreads;

  @Option(names = "--output", description = "Also write the Markdown table to this file.")
  Path output;

  @Override
  public Integer call() throws Exception {
    EmulatorOptions options = EmulatorOptions.ephemeral().withProjections(false);
    WriterBenchmark.Settings settings =
        new WriterBenchmark.Settings(
            Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(measureSeconds), 400, 300);
    String header = environment(settings);
    System.out.println(header);
    List<WriterBenchmark.Result> results = new ArrayList<>();
    try (EventStoreEmulator emulator = EventStoreEmulator.start(options)) {
      for (String target : targets) {
        try (EventStoreWriter writer = writer(target, emulator)) {
          int scenario = 0;
          for (WriterBenchmark.Scenario s : WriterBenchmark.matrix(eventsPerAppend)) {
            WriterBenchmark.Result result =
                WriterBenchmark.run(
                    target, writer, s, settings, target + "-" + scenario++, emulator::cpuNanos);
            results.add(result);
            System.out.println(
                WriterBenchmark.markdown(List.of(result)).lines().skip(2).findFirst().orElse(""));
          }
        }
      }
    }
    String table = WriterBenchmark.markdown(results);
    System.out.println();
    System.out.println(table);
    if (output != null) {
      Files.writeString(output, header + "\n\n" + table);
    }
    return 0;
  }

  private EventStoreWriter writer(String target, EventStoreEmulator emulator) throws IOException {
    return switch (target) {
      case "client" ->
          EsdbWriter.connect(
              emulator.connectionString(),
              EsdbWriter.Settings.defaults().withCallbackThreads(callbackThreads));
      case "grpc", "grpc-batch" ->
          EsdbGrpcWriter.connect(
              emulator.connectionString(),
              new EsdbGrpcWriter.Settings(
                  Duration.ofSeconds(10),
                  ProposedEvent.DEFAULT_MAX_APPEND_BYTES,
                  target.equals("grpc-batch")));
      case "raw" ->
          EsdbRawStubWriter.connect(emulator.host(), emulator.port(), Duration.ofSeconds(10));
      default -> throw new IllegalArgumentException("unknown target " + target);
    };
  }

  private String environment(WriterBenchmark.Settings settings) {
    return String.format(
        "Machine: %d cores, %s %s; common ForkJoinPool parallelism %d (%s); EsdbWriter callback"
            + " threads %d.%nEmulator in process on loopback, in memory, projections off; its CPU is"
            + " that of its own threads (gRPC event loops and executor). Events:"
            + " %d bytes of JSON data, %d bytes of JSON metadata. Per scenario: %d s warm-up, %d s"
            + " measured.",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        ForkJoinPool.getCommonPoolParallelism(),
        EsdbCommonPool.churnsThreads()
            ? "the client starts a thread per asynchronous step"
            : "the client's steps run in the common pool",
        callbackThreads,
        settings.dataBytes(),
        settings.metadataBytes(),
        settings.warmup().toSeconds(),
        settings.measure().toSeconds());
  }
}
