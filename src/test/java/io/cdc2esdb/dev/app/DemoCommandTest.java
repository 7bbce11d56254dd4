package io.cdc2esdb.dev.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.emulator.ServerVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo's refusals, which come before any server starts. */
class DemoCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void shouldRefuseABadSettingBeforeStartingAnythingAndNameTheKey() {
    int exit = run("demo", "--once", "--set", "flush.interval.ms=0");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid setting", "flush.interval.ms");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void shouldRefuseAnInputFileWithTheMariaDbSource() {
    int exit = run("demo", "--once", "--input", "capture.jsonl", "--source", "mariadb");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--input and --source mariadb");
  }

  @Test
  void shouldSayWhichInputFileCannotBeRead() {
    int exit = run("demo", "--once", "--input", "no-such-capture.jsonl");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("no-such-capture.jsonl", "NoSuchFileException");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void shouldTakeTheEmulatorsVersionAndRefuseAnUnknownOne() {
    DemoCommand command = new DemoCommand();
    new CommandLine(command).parseArgs("--esdb-version", "24.10");
    assertThat(command.esdbVersion).isEqualTo(ServerVersion.V24_10);
    assertThat(new DemoCommand().esdbVersion).isEqualTo(ServerVersion.V26_0);

    int exit = run("demo", "--once", "--esdb-version", "22.10");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--esdb-version", "24.10, 25.1, 26.0");
    assertThat(out.toString()).isEmpty();
  }

  private int run(String... args) {
    CommandLine cli = DevMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }
}
