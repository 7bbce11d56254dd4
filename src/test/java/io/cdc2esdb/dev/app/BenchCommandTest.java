package io.cdc2esdb.dev.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

  @Test
  void shouldOfferTheWriterBenchmarkUnderBench() {
    CommandLine bench = DevMain.commandLine().getSubcommands().get("bench");
    assertThat(bench).isNotNull();
    assertThat(bench.getSubcommands()).containsKey("writer");
  }

  @Test
  void shouldMeasureClientAndRawStubsByDefault() {
    WriterBenchCommand command = new WriterBenchCommand();
    new CommandLine(command).parseArgs();
    assertThat(command.targets).containsExactly("client", "raw");
    assertThat(command.measureSeconds).isEqualTo(5);
    assertThat(command.callbackThreads).isEqualTo(2);
  }
}
