package io.cdc2esdb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.dev.app.CaptureTopics;
import io.cdc2esdb.envelope.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code demo --input} must have written for a capture: one event per change record, in the
 * row's stream, with the row as data, in the capture's order; nothing held back, nothing
 * dead-lettered. Events are matched to records by their {@code kafka} metadata: a replay into fresh
 * topics gives the n-th record of a partition offset n.
 */
final class OneEventPerChange {

  private static final Map<String, String> TYPES =
      Map.of("c", "Insert", "u", "Update", "d", "Delete", "r", "Snapshot", "t", "Truncate");

  /** A change record as replayed, with the offset the broker gave it. */
  record Change(String topic, int partition, long offset, String type, JsonNode row) {
    String coordinates() {
      return topic + "-" + partition + "@" + offset;
    }
  }

  private OneEventPerChange() {}

  static void assertHolds(List<CaptureRecord> capture, JsonNode summary) {
    List<String> dataTopics =
        CaptureTopics.of(capture.stream().map(CaptureRecord::topic).toList()).dataTopics();
    List<Change> changes = new ArrayList<>();
    long dataRecords = 0;
    long tombstones = 0;
    Map<String, Long> nextOffset = new HashMap<>();
    for (CaptureRecord record : capture) {
      if (!dataTopics.contains(record.topic())) {
        continue;
      }
      dataRecords++;
      long offset = nextOffset.merge(record.topic() + "-" + record.partition(), 1L, Long::sum) - 1;
      if (record.isTombstone()) {
        tombstones++;
        continue;
      }
      JsonNode payload = Json.withoutSchemaWrapper(parse(record.valueUtf8()));
      String op = payload.path("op").asText();
      JsonNode row = payload.get("d".equals(op) ? "before" : "after");
      changes.add(new Change(record.topic(), record.partition(), offset, TYPES.get(op), row));
    }

    Map<String, JsonNode> eventsByRecord = new HashMap<>();
    summary
        .get("streams")
        .properties()
        .forEach(
            stream -> {
              long previousOffset = -1;
              long revision = 0;
              for (JsonNode event : stream.getValue()) {
                assertThat(event.get("revision").asLong()).isEqualTo(revision++);
                JsonNode kafka = event.at("/metadata/kafka");
                String at =
                    kafka.get("topic").asText()
                        + "-"
                        + kafka.get("partition").asInt()
                        + "@"
                        + kafka.get("offset").asLong();
                assertThat(eventsByRecord.put(at, event))
                    .as("a second event for the record at %s", at)
                    .isNull();
                // One row lives in one partition: its changes come in offset order.
                assertThat(kafka.get("offset").asLong())
                    .as("order of %s", stream.getKey())
                    .isGreaterThan(previousOffset);
                previousOffset = kafka.get("offset").asLong();
              }
            });

    assertThat(eventsByRecord.keySet())
        .containsExactlyInAnyOrderElementsOf(changes.stream().map(Change::coordinates).toList());
    for (Change change : changes) {
      JsonNode event = eventsByRecord.get(change.coordinates());
      assertThat(event.get("type").asText()).as(change.coordinates()).isEqualTo(change.type());
      assertThat(event.get("data")).as(change.coordinates()).isEqualTo(change.row());
    }
    assertThat(summary.get("deadLetters")).isEmpty();
    JsonNode counts = summary.get("counts");
    assertThat(counts.get("read").asLong()).isEqualTo(dataRecords);
    assertThat(counts.get("written").asLong()).isEqualTo(changes.size());
    assertThat(counts.get("tombstones").asLong()).isEqualTo(tombstones);
    assertThat(counts.get("deadLettered").asLong()).isZero();
  }

  static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
