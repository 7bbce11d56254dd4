package io.cdc2esdb.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's table of dead-letter codes is exactly {@link DeadLetterCode}, meanings included. */
class ReadmeDeadLetterCodesTest {

  private static final Pattern ROW = Pattern.compile("^\\| `([a-z-]+)` \\| (.+) \\|$");

  @Test
  void shouldListEveryCodeWithItsMeaningAndNoOther() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("README.md"));
    int header = lines.indexOf("| `__cdc2esdb.error` | meaning |");
    assertThat(header).as("the README's dead-letter code table").isNotNegative();
    List<String> documented =
        lines.stream()
            .skip(header + 2)
            .takeWhile(line -> line.startsWith("|"))
            .map(
                line -> {
                  Matcher m = ROW.matcher(line);
                  assertThat(m.matches()).as("table row %s", line).isTrue();
                  return m.group(1) + " = " + m.group(2);
                })
            .toList();
    List<String> declared =
        Arrays.stream(DeadLetterCode.values()).map(c -> c.code() + " = " + c.meaning()).toList();
    assertThat(documented).containsExactlyElementsOf(declared);
  }
}
