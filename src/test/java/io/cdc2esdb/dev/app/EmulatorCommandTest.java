package io.cdc2esdb.dev.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdc2esdb.dev.emulator.ServerVersion;
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
    assertThat(command.maxAppendEventSize).isEqualTo(16L * 1024 * 1024);
    assertThat(command.serverVersion).isEqualTo(ServerVersion.V26_0);
    assertThat(command.batchAppend).isTrue();
  }

  @Test
  void shouldTurnBatchAppendOff() {
    assertThat(parse("--no-batch-append").batchAppend).isFalse();
  }

  @Test
  void shouldTakeAServerVersion() {
    assertThat(parse("--server-version", "24.10").serverVersion).isEqualTo(ServerVersion.V24_10);
    assertThat(parse("--server-version", "25.1").serverVersion).isEqualTo(ServerVersion.V25_1);
    assertThatThrownBy(() -> parse("--server-version", "23.10"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("24.10, 25.1, 26.0");
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

  @Test
  void shouldSayInOneLineThatThePortIsTaken() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      java.io.StringWriter ignored = new java.io.StringWriter();
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      java.io.PrintStream old = System.err;
      int code;
      try (java.io.PrintStream capture =
          new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8)) {
        System.setErr(capture);
        CommandLine cli = new CommandLine(new EmulatorCommand());
        cli.setOut(new java.io.PrintWriter(ignored));
        code = cli.execute("--port", Integer.toString(taken.getLocalPort()));
      } finally {
        System.setErr(old);
      }
      String printed = err.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(code).isEqualTo(1);
      assertThat(printed.lines()).hasSize(1);
      assertThat(printed).contains(":" + taken.getLocalPort()).contains("in use");
    }
  }

  private static EmulatorCommand parse(String... args) {
    EmulatorCommand command = new EmulatorCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }
}
