package io.cdc2esdb.dev.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bench}: the benchmarks; {@code bench writer} measures the EventStoreDB writer. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks.",
    subcommands = {WriterBenchCommand.class, FaultsBenchCommand.class})
public final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
