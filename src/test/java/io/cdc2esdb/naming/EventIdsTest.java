package io.cdc2esdb.naming;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {

  @Test
  void shouldGiveTheSameChangeTheSameIdWhateverTheKafkaRecord() {
    UUID first = EventIds.eventId(change("c", 1, 100, new Origin("t", 0, 5, 1)));
    UUID redelivered = EventIds.eventId(change("c", 1, 100, new Origin("t", 3, 999, 7)));
    assertThat(redelivered).isEqualTo(first);
  }

  @Test
  void shouldGiveDifferentChangesDifferentIds() {
    Origin o = new Origin("t", 0, 0, 0);
    UUID base = EventIds.eventId(change("c", 1, 100, o));
    assertThat(EventIds.eventId(change("u", 1, 100, o))).isNotEqualTo(base);
    assertThat(EventIds.eventId(change("c", 2, 100, o))).isNotEqualTo(base);
    assertThat(EventIds.eventId(change("c", 1, 101, o))).isNotEqualTo(base);
  }

  @Test
  void shouldBeANameBasedVersion5Uuid() {
    UUID id = EventIds.eventId(change("c", 1, 100, new Origin("t", 0, 0, 0)));
    assertThat(id.version()).isEqualTo(5);
    assertThat(id.variant()).isEqualTo(2);
  }

  @Test
  void shouldKeepTheIdsOfChangesThatTheirPositionAndKeyIdentify() throws IOException {
    // RFC 4122 version 5 of "server|file|pos|row|db|table|key|op", computed independently.
    assertThat(EventIds.eventId(fixture("01_snapshot_read_r.json", 0)))
        .isEqualTo(UUID.fromString("5a1657b6-6913-5523-98de-76234edaf9a2"));
    assertThat(EventIds.eventId(fixture("03_update_u.json", 0)))
        .isEqualTo(UUID.fromString("fec9a758-9448-5907-a6ce-f505fb12e5fe"));
  }

  @Test
  void shouldGiveKeylessSnapshotRowsAtOnePositionDistinctIdsThatAReplayRepeats() {
    UUID first = EventIds.eventId(keylessSnapshotRow(new Origin("t", 0, 10, 1)));
    UUID second = EventIds.eventId(keylessSnapshotRow(new Origin("t", 0, 11, 1)));
    UUID firstAgain = EventIds.eventId(keylessSnapshotRow(new Origin("t", 0, 10, 99)));
    assertThat(second).isNotEqualTo(first);
    assertThat(firstAgain).isEqualTo(first);
  }

  private static ChangeEvent keylessSnapshotRow(Origin origin) {
    String value =
        "{\"before\":null,\"after\":{\"page\":\"home\"},\"op\":\"r\",\"source\":{\"name\":\"s\","
            + "\"db\":\"d\",\"table\":\"t\",\"file\":\"bin.000001\",\"pos\":4,\"row\":0,"
            + "\"snapshot\":\"true\"}}";
    return ((ParsedRecord.Change)
            new EnvelopeParser().parse(origin, null, value.getBytes(StandardCharsets.UTF_8)))
        .event();
  }

  private static ChangeEvent fixture(String file, int index) throws IOException {
    try (InputStream in =
        EventIdsTest.class.getResourceAsStream("/fixtures/debezium-mariadb-3.5/" + file)) {
      JsonNode record = Json.MAPPER.readTree(in).get(index);
      return ((ParsedRecord.Change)
              new EnvelopeParser()
                  .parse(
                      new Origin("t", 0, index, 0),
                      record.get("key_raw_utf8").asText().getBytes(StandardCharsets.UTF_8),
                      Json.bytes(record.get("value"))))
          .event();
    }
  }

  static ChangeEvent change(String op, int id, long pos, Origin origin) {
    String value =
        "{\"before\":{\"id\":"
            + id
            + "},\"after\":{\"id\":"
            + id
            + "},\"op\":\""
            + op
            + "\",\"source\":{\"name\":\"s\",\"db\":\"d\",\"table\":\"t\","
            + "\"file\":\"bin.000001\",\"pos\":"
            + pos
            + ",\"row\":0}}";
    ParsedRecord parsed =
        new EnvelopeParser()
            .parse(
                origin,
                ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    return ((ParsedRecord.Change) parsed).event();
  }
}
