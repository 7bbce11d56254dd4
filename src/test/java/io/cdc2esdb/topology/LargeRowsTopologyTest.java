package io.cdc2esdb.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.processing.DeadLetterValueSerializer;
import io.cdc2esdb.processing.DeadLetters;
import io.cdc2esdb.sink.InMemoryEventStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real MariaDB capture with rows of 2 MB and 4 MB in a MEDIUMTEXT column (two inserts and an
 * update of the 2 MB row, whose record carries before and after) beside small changes, one of them
 * in the same transaction as the large update.
 */
class LargeRowsTopologyTest {

  private static final List<CaptureRecord> CAPTURE =
      TopologyFixture.resource("/captures/edge/mariadb-3.5-large-rows.jsonl");

  @TempDir Path tmp;

  @Test
  void shouldDeadLetterExactlyTheEventsOverTheAppendLimitAndWriteEverythingElse() {
    InMemoryEventStore store = new InMemoryEventStore(1_048_576);
    try (TopologyFixture fixture =
        new TopologyFixture(tmp, store, Map.of("topic.prefix", "large1"))) {
      fixture.pipe(CAPTURE);
      fixture.flush();

      assertThat(fixture.types("documents-1")).containsExactly("Snapshot", "Update");
      assertThat(fixture.types("documents-4")).containsExactly("Insert");
      assertThat(fixture.types("documents-5")).containsExactly("Insert");
      assertThat(store.streamNames())
          .containsExactlyInAnyOrder("documents-1", "documents-4", "documents-5");

      List<TestRecord<byte[], byte[]>> dead = fixture.deadLetters();
      assertThat(dead)
          .extracting(r -> header(r, DeadLetters.STREAM))
          .containsExactlyInAnyOrder("documents-2", "documents-3", "documents-2");
      assertThat(dead)
          .allSatisfy(
              r -> {
                assertThat(header(r, DeadLetters.ERROR_CODE)).isEqualTo("event-too-large");
                // Too large for the dead-letter topic too: the value is left out, the pointer
                // stays.
                assertThat(r.value()).isNull();
                assertThat(Long.parseLong(header(r, DeadLetterValueSerializer.VALUE_OMITTED)))
                    .isGreaterThan(2_000_000);
                assertThat(header(r, DeadLetters.TOPIC)).isEqualTo("large1.shop.documents");
                assertThat(header(r, DeadLetters.OFFSET)).matches("\\d+");
              });
    }
  }

  @Test
  void shouldKeepTheValueOfADeadLetterThatFits() {
    InMemoryEventStore store = new InMemoryEventStore(1_048_576);
    try (TopologyFixture fixture =
        new TopologyFixture(
            tmp, store, Map.of("topic.prefix", "large1", "dead.letter.max.bytes", "16777216"))) {
      fixture.pipe(CAPTURE);
      fixture.flush();
      assertThat(fixture.deadLetters())
          .hasSize(3)
          .allSatisfy(r -> assertThat(r.value()).hasSizeGreaterThan(2_000_000))
          .allSatisfy(
              r ->
                  assertThat(r.headers().lastHeader(DeadLetterValueSerializer.VALUE_OMITTED))
                      .isNull());
    }
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
