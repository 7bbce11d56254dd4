package io.cdc2esdb.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.dev.app.DevMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs {@code cdc2esdb demo} in this JVM, as the jar would, and keeps what it printed and saved.
 */
record Demo(int exitCode, String out, String err, JsonNode summary) {

  static Demo run(Path summaryFile, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = DevMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("demo", "--once", "--timeout", "60"));
    all.addAll(List.of(args));
    all.addAll(List.of("--summary", summaryFile.toString()));
    int exit = cli.execute(all.toArray(String[]::new));
    JsonNode summary = null;
    if (Files.exists(summaryFile)) {
      try {
        summary = OneEventPerChange.parse(Files.readString(summaryFile));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Demo(exit, out.toString(), err.toString(), summary);
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
  }
}
