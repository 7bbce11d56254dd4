package io.cdc2esdb.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DebeziumSettingsTest {

  private static final Path DIR = Path.of("/tmp/run1");

  @Test
  void shouldConfigureTheMariaDbConnectorAsTheReferenceStackDoes() {
    Properties p = builder().includeDatabases("inventory", "crm").engineProperties(DIR);

    assertThat(p)
        .containsEntry("connector.class", "io.debezium.connector.mariadb.MariaDbConnector")
        .containsEntry("database.hostname", "127.0.0.1")
        .containsEntry("database.port", "3307")
        .containsEntry("database.user", "debezium")
        .containsEntry("database.ssl.mode", "disable")
        .containsEntry("topic.prefix", "dbserver1")
        .containsEntry("database.include.list", "inventory,crm")
        .containsEntry("provide.transaction.metadata", "true")
        .containsEntry("include.schema.changes", "true")
        .containsEntry("tombstones.on.delete", "true")
        .containsEntry("poll.interval.ms", "50");
  }

  @Test
  void shouldKeepOffsetsAndSchemaHistoryInTheRunDirectory() {
    Properties p = builder().engineProperties(DIR);

    assertThat(p)
        .containsEntry("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore")
        .containsEntry("offset.storage.file.filename", "/tmp/run1/offsets.dat")
        .containsEntry(
            "schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory")
        .containsEntry("schema.history.internal.file.filename", "/tmp/run1/schema-history.dat");
  }

  @Test
  void shouldGiveEveryEngineItsOwnReplicationServerId() {
    String first = builder().engineProperties(DIR).getProperty("database.server.id");
    String second = builder().engineProperties(DIR).getProperty("database.server.id");

    assertThat(Long.parseLong(first)).isBetween(100_000L, (1L << 31) - 1);
    assertThat(first).isNotEqualTo(second);
    assertThat(builder().serverId(4242).engineProperties(DIR))
        .containsEntry("database.server.id", "4242");
  }

  @Test
  void shouldLetAnySettingBeOverridden() {
    Properties p =
        builder().topicPrefix("shop").property("snapshot.mode", "no_data").engineProperties(DIR);

    assertThat(p).containsEntry("topic.prefix", "shop").containsEntry("snapshot.mode", "no_data");
    assertThat(p).doesNotContainKey("database.include.list");
  }

  @Test
  void shouldRequireADatabaseAndABroker() {
    assertThatThrownBy(() -> DebeziumEngineRunner.builder().engineProperties(DIR))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("required");
  }

  private static DebeziumEngineRunner.Builder builder() {
    return DebeziumEngineRunner.builder()
        .database("127.0.0.1", 3307, "debezium", "dbz")
        .bootstrapServers("127.0.0.1:9092");
  }
}
