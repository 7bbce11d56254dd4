package io.cdc2esdb.dev.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer sees first: {@code java -jar cdc2esdb-dev.jar demo --once}, as the README's quick
 * start has it, with the bundled logging configuration. Nothing in it may look like a failure.
 */
class DemoFirstScreenIT {

  @TempDir Path dir;

  @Test
  void shouldShowNoWarningOrErrorOnTheQuickStart() throws Exception {
    Path jar = Path.of("target", "cdc2esdb-dev.jar").toAbsolutePath();
    assertThat(jar).exists();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path out = dir.resolve("out.txt");
    Process process =
        new ProcessBuilder(java.toString(), "-jar", jar.toString(), "demo", "--once")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      assertThat(process.waitFor(240, TimeUnit.SECONDS)).as("demo --once ends").isTrue();
    } finally {
      process.destroy();
    }
    List<String> screen = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(String.join("\n", screen)).isZero();
    assertThat(screen).anyMatch(l -> l.contains("Everything read is written"));
    assertThat(screen)
        .as("the first screen")
        .noneMatch(l -> l.matches(".*\\b(WARN|ERROR)\\b.*"))
        .noneMatch(l -> l.contains("Exception"));
  }
}
