package io.cdc2esdb.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.sink.InMemoryEventStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole captured MariaDB session through the real topology. */
class ReplayTopologyTest {

  private static final List<CaptureRecord> DUMP = TopologyFixture.capture("connect-dump.jsonl");
  private static final String TABLE_TOPIC = "dbserver1.inventory.customers";

  @TempDir Path tmp;
  private InMemoryEventStore store;
  private TopologyFixture fixture;

  @BeforeEach
  void start() {
    store = new InMemoryEventStore();
    fixture = new TopologyFixture(tmp, store, Map.of());
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void shouldWriteEveryRowsChangesInCaptureOrderWithTheirTypes() throws IOException {
    fixture.pipe(DUMP);
    fixture.flush();

    Map<String, List<String>> expected = expectedTypesByStream();
    assertThat(store.streamNames()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((stream, types) -> assertThat(fixture.types(stream)).isEqualTo(types));
    assertThat(fixture.types("customers-1003")).last().isEqualTo("Delete");
    assertThat(fixture.types("customers-2003")).first().isEqualTo("Insert");
    assertThat(fixture.types("customers-1001")).startsWith("Snapshot", "Update");
  }

  @Test
  void shouldTagEveryStreamingEventWithItsGtidTotalOrderAndEventCount() throws IOException {
    fixture.pipe(DUMP);
    fixture.flush();

    Map<String, Long> eventCounts = endEventCounts();
    int streaming = 0;
    for (CaptureRecord r : dataRecords()) {
      if (r.isTombstone()) {
        continue;
      }
      JsonNode value = Json.read(r.value());
      JsonNode txn = value.get("transaction");
      if (txn == null || txn.isNull()) {
        continue;
      }
      streaming++;
      String stream = "customers-" + Json.read(r.key()).get("id").asText();
      JsonNode meta = metadataOf(stream, value);
      assertThat(meta.get("$correlationId").asText()).isEqualTo(txn.get("id").asText());
      assertThat(meta.get("$correlationId").asText()).matches("0-1-\\d+");
      assertThat(meta.at("/transaction/totalOrder").asLong())
          .isEqualTo(txn.get("total_order").asLong());
      assertThat(meta.at("/transaction/eventCount").asLong())
          .isEqualTo(eventCounts.get(txn.get("id").asText()));
    }
    assertThat(streaming).isEqualTo(49);
  }

  @Test
  void shouldGiveSnapshotRowsOneSyntheticCorrelationIdAndNoTransaction() {
    fixture.pipe(DUMP);
    fixture.flush();

    List<String> ids = new ArrayList<>();
    for (String stream : List.of("customers-1001", "customers-1002", "customers-1004")) {
      JsonNode first = fixture.metadata(stream).get(0);
      assertThat(first.at("/source/snapshot").asBoolean()).isTrue();
      assertThat(first.has("transaction")).isFalse();
      ids.add(first.get("$correlationId").asText());
    }
    assertThat(ids).containsOnly("snapshot:dbserver1:mariadb-bin.000001:2554");
  }

  @Test
  void shouldWriteTombstonesNowhereAndDeadLetterNothing() throws IOException {
    fixture.pipe(DUMP);
    fixture.flush();

    long changes = dataRecords().stream().filter(r -> !r.isTombstone()).count();
    assertThat(store.totalEvents()).isEqualTo(changes).isEqualTo(53);
    assertThat(fixture.deadLetters()).isEmpty();
  }

  @Test
  void shouldCountEventsWrittenAndTombstonesDroppedInItsMetrics() {
    fixture.pipe(DUMP);
    fixture.flush();

    assertThat(metricTotal("events-written-total")).isEqualTo(53.0);
    assertThat(metricTotal("tombstones-dropped-total")).isEqualTo(13.0);
    // Transaction mode (auto, against a store with multi-stream appends): one append a session.
    assertThat(metricTotal("appends-total")).isEqualTo(store.sessionCalls()).isPositive();
  }

  private double metricTotal(String name) {
    return fixture.driver.metrics().entrySet().stream()
        .filter(e -> e.getKey().group().equals("stream-cdc2esdb-metrics"))
        .filter(e -> e.getKey().name().equals(name))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .sum();
  }

  @Test
  void shouldWriteNothingNewWhenTheSameInputIsReplayed() {
    fixture.pipe(DUMP);
    fixture.flush();
    int before = store.totalEvents();

    fixture.pipe(DUMP);
    fixture.flush();

    assertThat(store.totalEvents()).isEqualTo(before);
    assertThat(fixture.deadLetters()).isEmpty();
  }

  @Test
  void shouldWriteNothingNewWhenDebeziumRedeliversASliceWithNewOffsets() {
    fixture.pipe(DUMP);
    fixture.flush();
    int before = store.totalEvents();
    List<CaptureRecord> data = dataRecords();

    // The driver gives re-piped records new offsets, as a connector restart would.
    fixture.pipe(data.subList(20, 45));
    fixture.flush();

    assertThat(store.totalEvents()).isEqualTo(before);
  }

  @Test
  void shouldSendWhatArrivedWhileAnAppendWasInFlightInOneFlushWithOneAppendPerStream() {
    fixture.close();
    GatedWriter slow = new GatedWriter(store);
    fixture =
        new TopologyFixture(
            TopologyFixture.tempDir(tmp, "gated"),
            slow,
            store,
            Map.of("esdb.append.mode", "per-stream"));

    fixture.pipe(DUMP);
    // The first change's append is still unanswered: nothing else was sent, nothing recorded.
    assertThat(slow.held()).isEqualTo(1);
    assertThat(store.totalEvents()).isZero();

    slow.open();
    fixture.flush();
    fixture.flush();

    assertThat(store.appendCalls("customers-2011")).isEqualTo(1);
    assertThat(fixture.types("customers-2011")).containsExactly("Insert", "Update", "Update");
    assertThat(store.totalEvents()).isEqualTo(53);
  }

  private JsonNode metadataOf(String stream, JsonNode value) {
    long pos = value.at("/source/pos").asLong();
    int row = value.at("/source/row").asInt();
    String op = value.get("op").asText();
    return fixture.metadata(stream).stream()
        .filter(m -> m.at("/source/pos").asLong() == pos && m.at("/source/row").asInt() == row)
        .filter(m -> !op.equals("d") || m.at("/source/table").asText().equals("customers"))
        .reduce((a, b) -> op.equals("d") ? a : b)
        .orElseThrow();
  }

  static List<CaptureRecord> dataRecords() {
    return DUMP.stream().filter(r -> r.topic().equals(TABLE_TOPIC)).toList();
  }

  static Map<String, List<String>> expectedTypesByStream() throws IOException {
    Map<String, String> types =
        Map.of("c", "Insert", "u", "Update", "d", "Delete", "r", "Snapshot");
    Map<String, List<String>> expected = new LinkedHashMap<>();
    for (CaptureRecord r : dataRecords()) {
      if (r.isTombstone()) {
        continue;
      }
      String stream = "customers-" + Json.read(r.key()).get("id").asText();
      String op = Json.read(r.value()).get("op").asText();
      expected.computeIfAbsent(stream, s -> new ArrayList<>()).add(types.get(op));
    }
    return expected;
  }

  private static Map<String, Long> endEventCounts() throws IOException {
    Map<String, Long> counts = new HashMap<>();
    for (CaptureRecord r : DUMP) {
      if (r.topic().equals("dbserver1.transaction")) {
        JsonNode v = Json.read(r.value());
        if (v.get("status").asText().equals("END")) {
          counts.put(v.get("id").asText(), v.get("event_count").asLong());
        }
      }
    }
    return counts;
  }
}
