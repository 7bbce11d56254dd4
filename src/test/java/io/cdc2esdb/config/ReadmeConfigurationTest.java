package io.cdc2esdb.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

/** The README's configuration table stays true to the ConfigDef. */
class ReadmeConfigurationTest {

  @Test
  void shouldDocumentEveryKeyWithItsDefault() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (ConfigDef.ConfigKey key : CdcConfig.CONFIG_DEF.configKeys().values()) {
      Object value = key.defaultValue;
      String shown = value instanceof Password p ? p.value() : String.valueOf(value);
      String row = "| `" + key.name + "` | ";
      assertThat(readme).as("README row for %s", key.name).contains(row);
      if (!shown.isEmpty()) {
        assertThat(readme).as("README default of %s", key.name).contains(row + "`" + shown + "`");
      }
    }
  }
}
