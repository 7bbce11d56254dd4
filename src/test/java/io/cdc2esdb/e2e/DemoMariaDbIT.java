package io.cdc2esdb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.dev.MariaDbRequirement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --source mariadb --once}: a private MariaDB and Debezium, live, then the summary. */
@MariaDbRequirement.RequiresMariaDb
class DemoMariaDbIT {

  @TempDir Path dir;

  @Test
  void shouldWriteTheLiveWorkloadAndExitOnceEverythingIsWritten() {
    Demo demo = Demo.run(dir.resolve("s.json"), "--source", "mariadb");

    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    JsonNode summary = demo.summary();
    // 9 snapshot rows and 17 changes, 4 deletes, each followed by a tombstone
    assertThat(summary.at("/counts/read").asLong()).isEqualTo(30);
    assertThat(summary.at("/counts/written").asLong()).isEqualTo(26);
    assertThat(summary.at("/counts/tombstones").asLong()).isEqualTo(4);
    assertThat(summary.get("deadLetters")).isEmpty();
    assertThat(types(summary.at("/streams/orders-10003")))
        .containsExactly("Insert", "Update", "Update", "Update", "Update");
    assertThat(summary.at("/streams/customers-1005/0/metadata/$correlationId").asText())
        .matches("0-1-\\d+");
    assertThat(demo.out())
        .contains("$ce-customers", "$bc-0-1-", "mariadb --socket=", "Everything read is written");
  }

  private static List<String> types(JsonNode events) {
    List<String> types = new ArrayList<>();
    events.forEach(e -> types.add(e.get("type").asText()));
    return types;
  }
}
