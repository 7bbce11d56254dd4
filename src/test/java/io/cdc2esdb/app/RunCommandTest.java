package io.cdc2esdb.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code run} prints before it touches the network: configuration errors, help, version. */
class RunCommandTest {

  @TempDir Path tmp;

  @Test
  void shouldRefuseAnHttpConnectionStringWithOneLineNamingTheKeyAndExit2() throws IOException {
    Result result = run("esdb.connection.string=http://127.0.0.1:2113\n");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err().lines()).hasSize(1);
    assertThat(result.err()).contains("esdb.connection.string").contains("scheme");
  }

  @Test
  void shouldRefuseATlsValueThatIsNotABooleanWithoutShowingThePassword() throws IOException {
    Result result = run("esdb.connection.string=esdb://admin:s3cret@127.0.0.1:2113?tls=maybe\n");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err().lines()).hasSize(1);
    assertThat(result.err())
        .contains("esdb.connection.string")
        .contains("tls must be true or false, was 'maybe'")
        .doesNotContain("s3cret");
  }

  @Test
  void shouldListTheExitCodesAndEverySettingInRunHelp() {
    Result result = execute("run", "--help");
    assertThat(result.code()).isZero();
    assertThat(result.out())
        .contains("Exit codes:")
        .contains("startup.timeout.ms = 30000")
        .contains("missing.key.policy = dead-letter")
        .contains("README");
  }

  @Test
  void shouldPrintTheProjectVersion() {
    Result result = execute("--version");
    assertThat(result.code()).isZero();
    assertThat(result.out().trim()).matches("cdc2esdb \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  private Result run(String properties) throws IOException {
    Path file = tmp.resolve("cdc2esdb.properties");
    Files.writeString(file, "bootstrap.servers=127.0.0.1:9\n" + properties);
    return execute("run", "--config", file.toString());
  }

  private static Result execute(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      var cli = Main.commandLine();
      cli.setOut(new java.io.PrintWriter(o, true));
      cli.setErr(new java.io.PrintWriter(e, true));
      code = Main.execute(cli, args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private record Result(int code, String out, String err) {}
}
