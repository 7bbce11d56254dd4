package io.cdc2esdb.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import io.cdc2esdb.naming.EventIds;
import io.cdc2esdb.naming.EventTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventMapperTest {

  private static final String DELETE =
      "{\"before\":{\"id\":9,\"name\":\"gone\"},\"after\":null,\"op\":\"d\","
          + "\"transaction\":{\"id\":\"0-1-7\",\"total_order\":2,\"data_collection_order\":1},"
          + "\"source\":{\"connector\":\"mariadb\",\"name\":\"dbserver1\",\"db\":\"inv\","
          + "\"table\":\"customers\",\"file\":\"mariadb-bin.000001\",\"pos\":77,\"row\":1,"
          + "\"gtid\":\"0-1-7\",\"ts_ms\":5,\"snapshot\":\"false\"}}";

  @Test
  void shouldWriteTheRowBeforeADelete() throws IOException {
    ProposedEvent event = map(EventData.ROW);
    assertThat(event.type()).isEqualTo("Delete");
    assertThat(Json.read(event.data()).get("name").asText()).isEqualTo("gone");
    assertThat(event.id()).isEqualTo(EventIds.eventId(change()));
  }

  @Test
  void shouldWriteBeforeAndAfterInChangeMode() throws IOException {
    JsonNode data = Json.read(map(EventData.CHANGE).data());
    assertThat(data.get("before").get("id").asInt()).isEqualTo(9);
    assertThat(data.get("after").isNull()).isTrue();
  }

  @Test
  void shouldWriteTheWholePayloadInEnvelopeMode() throws IOException {
    JsonNode data = Json.read(map(EventData.ENVELOPE).data());
    assertThat(data.get("op").asText()).isEqualTo("d");
    assertThat(data.at("/source/pos").asLong()).isEqualTo(77);
  }

  @Test
  void shouldCarryTransactionSourceKafkaAndKeyInTheMetadata() throws IOException {
    JsonNode meta = Json.read(map(EventData.ROW).metadata());
    assertThat(meta.get("$correlationId").asText()).isEqualTo("0-1-7");
    assertThat(meta.at("/transaction/totalOrder").asLong()).isEqualTo(2);
    assertThat(meta.at("/transaction/eventCount").asLong()).isEqualTo(3);
    assertThat(meta.at("/source/gtid").asText()).isEqualTo("0-1-7");
    assertThat(meta.at("/source/row").asInt()).isEqualTo(1);
    assertThat(meta.at("/kafka/offset").asLong()).isEqualTo(42);
    assertThat(meta.at("/key/id").asInt()).isEqualTo(9);
  }

  private static ProposedEvent map(EventData mode) {
    return new EventMapper(EventTypes.defaults(), mode).map(change(), 3L);
  }

  private static ChangeEvent change() {
    ParsedRecord parsed =
        new EnvelopeParser()
            .parse(
                new Origin("dbserver1.inv.customers", 0, 42, 1000),
                "{\"id\":9}".getBytes(StandardCharsets.UTF_8),
                DELETE.getBytes(StandardCharsets.UTF_8));
    return ((ParsedRecord.Change) parsed).event();
  }
}
