package io.cdc2esdb.dev.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bench}: the benchmarks; {@code bench pipeline} measures cdc2esdb end to end, {@code bench
 * writer} the EventStoreDB writer.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks.",
    subcommands = {
      PipelineBenchCommand.class,
      WriterBenchCommand.class,
      SeedBenchCommand.class,
      FaultsBenchCommand.class
    })
public final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
