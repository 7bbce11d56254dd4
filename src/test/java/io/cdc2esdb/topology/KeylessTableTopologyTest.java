package io.cdc2esdb.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.sink.InMemoryEventStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table without a primary key under {@code missing.key.policy=table-stream}, from a real MariaDB
 * capture: four snapshot rows at one binlog position (two of them identical), then single and
 * multi-row inserts, a three-row update, a delete and an insert in one transaction.
 */
class KeylessTableTopologyTest {

  private static final List<CaptureRecord> CAPTURE =
      TopologyFixture.resource("/captures/edge/mariadb-3.5-keyless.jsonl");
  private static final Map<String, String> TABLE_STREAM =
      Map.of("topic.prefix", "keyless1", "missing.key.policy", "table-stream");

  @TempDir Path tmp;

  @Test
  void shouldWriteEverySnapshotRowAndEveryLaterChangeInBinlogOrder() {
    InMemoryEventStore store = new InMemoryEventStore();
    try (TopologyFixture fixture = new TopologyFixture(tmp, store, TABLE_STREAM)) {
      fixture.pipe(CAPTURE);
      fixture.flush();

      assertThat(fixture.deadLetters()).isEmpty();
      assertThat(store.streamNames()).containsExactly("visits");
      assertThat(fixture.types("visits"))
          .containsExactly(
              "Snapshot",
              "Snapshot",
              "Snapshot",
              "Snapshot",
              "Insert",
              "Insert",
              "Insert",
              "Insert",
              "Update",
              "Update",
              "Update",
              "Update",
              "Delete",
              "Insert");
      List<JsonNode> metadata = fixture.metadata("visits");
      assertThat(metadata.subList(0, 4))
          .extracting(m -> m.at("/source/ordinal").asLong())
          .containsExactly(0L, 1L, 2L, 3L);
      assertThat(metadata.subList(4, 14)).allMatch(m -> m.at("/source/ordinal").isMissingNode());
      assertThat(store.events("visits").stream().map(r -> r.event().id()).distinct()).hasSize(14);
    }
  }

  @Test
  void shouldWriteNothingNewWhenAnInstanceWithoutStateReplaysTheTopicFromTheStart() {
    InMemoryEventStore store = new InMemoryEventStore();
    try (TopologyFixture first =
        new TopologyFixture(TopologyFixture.tempDir(tmp, "a"), store, TABLE_STREAM)) {
      first.pipe(CAPTURE);
      first.flush();
    }
    List<InMemoryEventStore.Recorded> written = List.copyOf(store.events("visits"));

    try (TopologyFixture second =
        new TopologyFixture(TopologyFixture.tempDir(tmp, "b"), store, TABLE_STREAM)) {
      second.pipe(CAPTURE);
      second.flush();
      assertThat(second.deadLetters()).isEmpty();
    }
    assertThat(store.events("visits")).hasSize(14).containsExactlyElementsOf(written);
  }
}
