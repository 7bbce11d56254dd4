package io.cdc2esdb.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.event.TableHistory;
import io.cdc2esdb.processing.Counters;
import io.cdc2esdb.sink.InMemoryEventStore;
import io.cdc2esdb.values.SelectText;
import io.cdc2esdb.values.ValueCapture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The value types capture (no schema wrapper) through the real topology: the schema-change topic
 * fills {@code table-structures}, and every event carries the row MariaDB showed, in natural
 * values.
 */
class NaturalValuesTopologyTest {

  private static final ValueCapture CAPTURE = ValueCapture.load("value-types-precise");

  @TempDir Path tmp;

  @Test
  void shouldWriteEveryChangeWithTheNaturalValuesMariaDbShowed() throws IOException {
    InMemoryEventStore store = new InMemoryEventStore();
    try (TopologyFixture fixture = new TopologyFixture(tmp, store, Map.of("topic.prefix", "vp1"))) {
      fixture.pipe(CAPTURE.records());
      fixture.flush();

      KeyValueStore<String, TableHistory> structures =
          fixture.driver.getKeyValueStore(CdcTopology.STRUCTURES_STORE);
      assertThat(structures.get("typed.value_types").versions()).hasSize(2);
      List<String> mismatches = new ArrayList<>();
      int events = 0;
      for (String stream : store.streamNames()) {
        for (InMemoryEventStore.Recorded r : store.events(stream)) {
          JsonNode data = Json.read(r.event().data());
          JsonNode meta = Json.read(r.event().metadata());
          String gtid = meta.at("/source/gtid").isNull() ? null : meta.at("/source/gtid").asText();
          SelectText.mismatches(data, CAPTURE.expectedRow(gtid, data.get("id").asInt()), false)
              .forEach(m -> mismatches.add(stream + " " + m));
          events++;
        }
      }
      assertThat(mismatches).isEmpty();
      assertThat(events).isEqualTo(CAPTURE.expected().size());
      assertThat(counter(fixture, Counters.VALUES_UNDECODED)).isZero();
    }
  }

  @Test
  void shouldWriteValuesAsDebeziumEncodedThemWhenAskedTo() throws IOException {
    InMemoryEventStore store = new InMemoryEventStore();
    try (TopologyFixture fixture =
        new TopologyFixture(
            tmp, store, Map.of("topic.prefix", "vp1", "event.values", "debezium"))) {
      fixture.pipe(CAPTURE.records());
      fixture.flush();

      CaptureRecord first = CAPTURE.changes().get(0);
      JsonNode data = Json.read(store.events("value_types-1").get(0).event().data());
      assertThat(data).isEqualTo(Json.read(first.value()).get("after"));
      assertThat(data.get("d_10_2").asText()).isEqualTo("BOI=");
      assertThat(fixture.driver.getAllStateStores())
          .doesNotContainKey(CdcTopology.STRUCTURES_STORE);
    }
  }

  @Test
  void shouldKeepAndCountValuesWhoseTypeIsUnknown() throws IOException {
    InMemoryEventStore store = new InMemoryEventStore();
    try (TopologyFixture fixture = new TopologyFixture(tmp, store, Map.of("topic.prefix", "vp1"))) {
      // Only the table's records: no structure is ever seen.
      fixture.pipe(CAPTURE.records().stream().filter(r -> r.topic().contains(".")).toList());
      fixture.flush();

      long nonNull = 0;
      for (CaptureRecord r : CAPTURE.changes()) {
        JsonNode payload = Json.read(r.value());
        for (String row : List.of("before", "after")) {
          for (JsonNode v : payload.path(row)) {
            nonNull += v.isNull() ? 0 : 1;
          }
        }
      }
      JsonNode data = Json.read(store.events("value_types-1").get(0).event().data());
      assertThat(data.get("d_10_2").asText()).isEqualTo("BOI=");
      assertThat(counter(fixture, Counters.VALUES_UNDECODED)).isEqualTo(nonNull).isPositive();
    }
  }

  private static long counter(TopologyFixture fixture, String name) {
    double total = 0;
    for (Metric m : fixture.driver.metrics().values()) {
      if (m.metricName().group().equals(Counters.GROUP)
          && m.metricName().name().equals(name + "-total")) {
        total += ((Number) m.metricValue()).doubleValue();
      }
    }
    return Math.round(total);
  }
}
