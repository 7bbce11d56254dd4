package io.cdc2esdb.dev.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EmulatorCommandTest {

  @Test
  void shouldListenOnLoopbackPort2113InMemoryWithProjectionsByDefault() {
    EmulatorCommand command = parse();
    assertThat(command.host).isEqualTo("127.0.0.1");
    assertThat(command.port).isEqualTo(2113);
    assertThat(command.dataDir).isNull();
    assertThat(command.projections).isTrue();
    assertThat(command.maxAppendSize).isEqualTo(1_048_576);
  }

  @Test
  void shouldTakePortDataDirAndTurnProjectionsOff() {
    EmulatorCommand command = parse("--port", "0", "--data-dir", "data", "--no-projections");
    assertThat(command.port).isZero();
    assertThat(command.dataDir).isEqualTo(Path.of("data"));
    assertThat(command.projections).isFalse();
  }

  @Test
  void shouldBeRegisteredInMain() {
    assertThat(DevMain.commandLine().getSubcommands()).containsKey("emulator");
  }

  private static EmulatorCommand parse(String... args) {
    EmulatorCommand command = new EmulatorCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }
}
