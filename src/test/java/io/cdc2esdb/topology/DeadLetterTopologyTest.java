package io.cdc2esdb.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.processing.DeadLetters;
import io.cdc2esdb.sink.EventTooLargeException;
import io.cdc2esdb.sink.InMemoryEventStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input goes to the dead-letter topic with its context, and the pipeline goes on. */
class DeadLetterTopologyTest {

  private static final String TOPIC = "dbserver1.inventory.customers";

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed-json|{\"id\":1}|{not json",
        "not-an-object|{\"id\":1}|[1,2]",
        "missing-field|{\"id\":1}|{\"op\":\"c\",\"after\":{\"id\":1}}",
        "missing-field|{\"id\":1}|{\"op\":\"c\",\"source\":" + Source.OK + "}",
        "unknown-op|{\"id\":1}|{\"op\":\"x\",\"after\":{\"id\":1},\"source\":" + Source.OK + "}",
        "key-not-an-object|42|{\"op\":\"c\",\"after\":{\"id\":1},\"source\":" + Source.OK + "}",
        "malformed-json|{oops|{\"op\":\"c\",\"after\":{\"id\":1},\"source\":" + Source.OK + "}",
        "missing-key||{\"op\":\"c\",\"after\":{\"id\":1},\"source\":" + Source.OK + "}"
      })
  void shouldDeadLetterWithContextHeadersAndGoOn(String error, String key, String value) {
    InMemoryEventStore store = new InMemoryEventStore();
    try (TopologyFixture fixture = new TopologyFixture(tmp, store, Map.of())) {
      fixture.pipe(TOPIC, key, value);
      fixture.pipe(TOPIC, "{\"id\":2}", good(2));
      fixture.flush();

      List<TestRecord<byte[], byte[]>> dead = fixture.deadLetters();
      assertThat(dead).hasSize(1);
      TestRecord<byte[], byte[]> record = dead.get(0);
      assertThat(header(record, DeadLetters.ERROR_CODE)).isEqualTo(error);
      assertThat(header(record, DeadLetters.TOPIC)).isEqualTo(TOPIC);
      assertThat(header(record, DeadLetters.PARTITION)).isEqualTo("0");
      assertThat(header(record, DeadLetters.OFFSET)).isEqualTo("0");
      assertThat(header(record, DeadLetters.MESSAGE)).isNotBlank();
      assertThat(record.value()).isNotNull();
      assertThat(fixture.counterTotal("dead-lettered-" + error)).isEqualTo(1.0);
      assertThat(fixture.counterTotal("dead-lettered")).isEqualTo(1.0);
      assertThat(store.events("customers-2")).hasSize(1);
    }
  }

  @Test
  void shouldKeepTheOriginalBytesOfAMalformedRecord() {
    try (TopologyFixture fixture = new TopologyFixture(tmp, new InMemoryEventStore(), Map.of())) {
      fixture.pipe(TOPIC, "{\"id\":1}", "{not json");
      TestRecord<byte[], byte[]> record = fixture.deadLetters().get(0);
      assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
    }
  }

  @Test
  void shouldWriteKeylessRowsToTheTableStreamWhenSoConfigured() {
    InMemoryEventStore store = new InMemoryEventStore();
    try (TopologyFixture fixture =
        new TopologyFixture(tmp, store, Map.of("missing.key.policy", "table-stream"))) {
      fixture.pipe(TOPIC, null, good(1));
      fixture.flush();
      assertThat(store.events("customers")).hasSize(1);
      assertThat(fixture.deadLetters()).isEmpty();
    }
  }

  @Test
  void shouldDeadLetterAnEventOverTheAppendLimitAndWriteTheRest() {
    InMemoryEventStore store = new InMemoryEventStore(2_048);
    try (TopologyFixture fixture =
        new TopologyFixture(tmp, store, Map.of("esdb.max.append.bytes", "2048"))) {
      String big = "x".repeat(3_000);
      fixture.pipe(
          TOPIC, "{\"id\":1}", good(1).replace("\"id\":1}", "\"id\":1,\"note\":\"" + big + "\"}"));
      fixture.pipe(TOPIC, "{\"id\":2}", good(2));
      fixture.flush();

      List<TestRecord<byte[], byte[]>> dead = fixture.deadLetters();
      assertThat(dead).hasSize(1);
      assertThat(header(dead.get(0), DeadLetters.ERROR_CODE)).isEqualTo("event-too-large");
      assertThat(header(dead.get(0), DeadLetters.STREAM)).isEqualTo("customers-1");
      assertThat(store.events("customers-1")).isEmpty();
      assertThat(store.events("customers-2")).hasSize(1);
    }
  }

  @Test
  void shouldKeepTheOriginalHeadersAndNameTheRealExceptionAtTheAppendStep() {
    InMemoryEventStore store = new InMemoryEventStore(2_048);
    try (TopologyFixture fixture =
        new TopologyFixture(tmp, store, Map.of("esdb.max.append.bytes", "2048"))) {
      RecordHeaders original = new RecordHeaders();
      original.add("traceparent", "00-abc-01".getBytes(StandardCharsets.UTF_8));
      String big = "x".repeat(3_000);
      fixture.pipe(
          TOPIC,
          "{\"id\":1}",
          good(1).replace("\"id\":1}", "\"id\":1,\"note\":\"" + big + "\"}"),
          original);
      fixture.flush();

      TestRecord<byte[], byte[]> dead = fixture.deadLetters().get(0);
      assertThat(header(dead, "traceparent")).isEqualTo("00-abc-01");
      assertThat(header(dead, DeadLetters.EXCEPTION))
          .isEqualTo(EventTooLargeException.class.getName());
      assertThat(header(dead, DeadLetters.MESSAGE))
          .contains("customers-1")
          .contains("over the append limit of 2048 bytes");
    }
  }

  @Test
  void shouldDeadLetterWritesToATombstonedStream() {
    InMemoryEventStore store = new InMemoryEventStore();
    store.tombstone("customers-1");
    try (TopologyFixture fixture = new TopologyFixture(tmp, store, Map.of())) {
      fixture.pipe(TOPIC, "{\"id\":1}", good(1));
      fixture.pipe(TOPIC, "{\"id\":2}", good(2));
      fixture.flush();

      assertThat(fixture.deadLetters())
          .extracting(r -> header(r, DeadLetters.ERROR_CODE))
          .containsExactly("stream-deleted");
      assertThat(store.events("customers-2")).hasSize(1);
    }
  }

  @Test
  void shouldDeadLetterAForeignWriteAsAConflictAndGoOnAfterIt() {
    InMemoryEventStore store = new InMemoryEventStore();
    try (TopologyFixture fixture = new TopologyFixture(tmp, store, Map.of())) {
      fixture.pipe(TOPIC, "{\"id\":1}", good(1));
      fixture.flush();
      store.append(
          new io.cdc2esdb.sink.AppendRequest(
              "customers-1",
              0,
              List.of(
                  new io.cdc2esdb.event.ProposedEvent(
                      java.util.UUID.randomUUID(), "Foreign", new byte[0], new byte[0]))));

      fixture.pipe(TOPIC, "{\"id\":1}", good(1).replace("\"pos\":100", "\"pos\":200"));
      fixture.flush();
      fixture.pipe(TOPIC, "{\"id\":1}", good(1).replace("\"pos\":100", "\"pos\":300"));
      fixture.flush();

      assertThat(fixture.deadLetters())
          .extracting(r -> header(r, DeadLetters.ERROR_CODE))
          .containsExactly("conflict");
      assertThat(fixture.types("customers-1")).containsExactly("Insert", "Foreign", "Insert");
    }
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  static String good(int id) {
    return "{\"before\":null,\"after\":{\"id\":"
        + id
        + "},\"op\":\"c\",\"transaction\":null,\"source\":"
        + Source.OK.replace("\"row\":0", "\"row\":" + id)
        + "}";
  }

  /** A valid source block. */
  static final class Source {
    static final String OK =
        "{\"connector\":\"mariadb\",\"name\":\"dbserver1\",\"db\":\"inventory\","
            + "\"table\":\"customers\",\"file\":\"mariadb-bin.000001\",\"pos\":100,\"row\":0,"
            + "\"gtid\":\"0-1-1\",\"snapshot\":\"false\"}";

    private Source() {}
  }
}
