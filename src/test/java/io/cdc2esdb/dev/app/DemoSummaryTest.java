package io.cdc2esdb.dev.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.envelope.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoSummaryTest {

  @TempDir Path dir;

  @Test
  void shouldWriteTheSummaryJsonWithExactlyTheFieldsOfTheFormat() throws Exception {
    JsonNode data = Json.MAPPER.readTree("{\"id\":1001}");
    JsonNode metadata = Json.MAPPER.readTree("{\"$correlationId\":\"0-1-10\"}");
    DemoSummary summary =
        new DemoSummary(
            Map.of(
                "customers-1001",
                List.of(new DemoSummary.Event(0, "Insert", "3f0c-id", data, metadata))),
            List.of(new DemoSummary.DeadLetter("dbserver1.inventory.customers", 0, 7, "conflict")),
            new DemoSummary.Counts(3, 1, 1, 1));

    summary.write(dir.resolve("s.json"));

    JsonNode json = Json.MAPPER.readTree(Files.readString(dir.resolve("s.json")));
    assertThat(json.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("streams", "deadLetters", "counts");
    JsonNode event = json.at("/streams/customers-1001/0");
    assertThat(event.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("revision", "type", "id", "data", "metadata");
    assertThat(event.get("data")).isEqualTo(data);
    assertThat(event.get("metadata")).isEqualTo(metadata);
    assertThat(json.get("deadLetters").get(0).toString())
        .isEqualTo(
            "{\"topic\":\"dbserver1.inventory.customers\",\"partition\":0,\"offset\":7,"
                + "\"error\":\"conflict\"}");
    assertThat(json.get("counts").toString())
        .isEqualTo("{\"read\":3,\"written\":1,\"deadLettered\":1,\"tombstones\":1}");
  }

  @Test
  void shouldKeepEventBytesThatAreNotJsonAsText() {
    assertThat(DemoSummary.parse("not json".getBytes(StandardCharsets.UTF_8)).asText())
        .isEqualTo("not json");
    assertThat(DemoSummary.parse(new byte[0]).isNull()).isTrue();
  }
}
