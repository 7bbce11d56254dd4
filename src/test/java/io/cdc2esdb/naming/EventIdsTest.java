package io.cdc2esdb.naming;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
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
