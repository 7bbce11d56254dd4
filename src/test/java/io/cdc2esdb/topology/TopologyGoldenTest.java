package io.cdc2esdb.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.app.TopologyCommand;
import io.cdc2esdb.config.CdcConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The topology is a versioned artifact: {@code topology-docs/topology.txt} and {@code topology.mmd}
 * must equal what the code builds. After an intended change, regenerate both with
 *
 * <pre>mvn test -Dtest=TopologyGoldenTest -Dtopology.regenerate=true</pre>
 *
 * and review the diff: a renamed store loses its state.
 */
class TopologyGoldenTest {

  private static final Path DOCS = Path.of("topology-docs");
  private static final boolean REGENERATE = Boolean.getBoolean("topology.regenerate");

  @Test
  void describeShouldMatchTheGoldenFile() throws IOException {
    check("topology.txt", TopologyCommand.render(new CdcConfig(Map.of()), false));
  }

  @Test
  void mermaidShouldMatchTheGoldenFile() throws IOException {
    check("topology.mmd", TopologyCommand.render(new CdcConfig(Map.of()), true));
  }

  @Test
  void shouldNameEveryStoreAndNodeExplicitly() {
    String described = TopologyCommand.render(new CdcConfig(Map.of()), false);
    assertThat(described)
        .contains("stores: [pending]", "stores: [pending, stream-positions]", "transactions")
        .doesNotContain("KSTREAM-", "KTABLE-", "STATE-STORE-");
  }

  private static void check(String file, String actual) throws IOException {
    Path golden = DOCS.resolve(file);
    if (REGENERATE) {
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(golden).as("golden file (regenerate: -Dtopology.regenerate=true)").exists();
    assertThat(Files.readString(golden, StandardCharsets.UTF_8))
        .as("%s drifted from the code: run with -Dtopology.regenerate=true and review", file)
        .isEqualTo(actual);
  }
}
