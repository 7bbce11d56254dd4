package io.cdc2esdb.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Value;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import io.cdc2esdb.envelope.SourcePosition;
import io.cdc2esdb.envelope.TransactionRef;
import io.cdc2esdb.event.EventData;
import io.cdc2esdb.event.EventMapper;
import io.cdc2esdb.event.EventMetadata;
import io.cdc2esdb.event.ProposedEvent;
import io.cdc2esdb.naming.EventTypes;
import io.kurrentdb.protocol.v2.streams.AppendRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionRecordsTest {

  private static final String UPDATE =
      "{\"before\":{\"id\":18446744073709551615,\"name\":\"a\"},"
          + "\"after\":{\"id\":18446744073709551615,\"name\":\"b\",\"score\":1.5},\"op\":\"u\","
          + "\"transaction\":{\"id\":\"0-1-7\",\"total_order\":2,\"data_collection_order\":1},"
          + "\"source\":{\"connector\":\"mariadb\",\"name\":\"dbserver1\",\"db\":\"inv\","
          + "\"table\":\"customers\",\"file\":\"mariadb-bin.000001\",\"pos\":77,\"row\":1,"
          + "\"gtid\":\"0-1-7\",\"ts_ms\":5,\"snapshot\":\"false\"}}";

  @Test
  void shouldBuildTheSamePropertiesFromTheMetadataFieldsAsFromItsBytes() {
    ProposedEvent mapped = mapped();
    assertThat(mapped.metadataFields()).isNotNull();
    ProposedEvent bytesOnly =
        new ProposedEvent(mapped.id(), mapped.type(), mapped.data(), mapped.metadata());

    AppendRecord fromFields = SessionRecords.record(mapped);
    AppendRecord fromBytes = SessionRecords.record(bytesOnly);

    assertThat(fromFields).isEqualTo(fromBytes);
    assertThat(fromFields.getPropertiesMap())
        .containsKeys("$correlationId", "transaction", "source");
    // The key's unsigned BIGINT is beyond 2^53: text, from the fields as from the bytes.
    assertThat(
            fromFields
                .getPropertiesOrThrow("key")
                .getStructValue()
                .getFieldsOrThrow("id")
                .getStringValue())
        .isEqualTo("18446744073709551615");
  }

  @Test
  void shouldMakeOfEveryShapeOfMetadataWhatItsJsonMakes() throws IOException {
    SourcePosition snapshot =
        new SourcePosition("mariadb", "s", "d", "t", "bin.000002", 1L << 60, 0, null, 9, "last", 1)
            .withOrdinal(12);
    SourcePosition streaming =
        new SourcePosition(null, "s", null, "t", "bin.000001", 4, 2, "0-1-3", 9, null, -1);
    Origin origin = new Origin("s.d.t", 3, -(1L << 55), 7);
    List<EventMetadata> shapes =
        List.of(
            new EventMetadata("snapshot:s:bin.000002:4", null, null, snapshot, origin, null),
            new EventMetadata(
                "0-1-3", new TransactionRef("0-1-3", 1, 1), null, streaming, origin, Json.object()),
            new EventMetadata(
                "0-1-3",
                new TransactionRef("0-1-3", 2, 2),
                5L,
                streaming,
                origin,
                Json.object().put("id", 1).put("name", "x")));
    for (EventMetadata shape : shapes) {
      Map<String, Value> fromJson = new LinkedHashMap<>();
      Json.read(shape.json())
          .properties()
          .forEach(field -> fromJson.put(field.getKey(), SessionRecords.value(field.getValue())));

      assertThat(SessionRecords.properties(shape)).isEqualTo(fromJson);
    }
  }

  private static ProposedEvent mapped() {
    ParsedRecord parsed =
        new EnvelopeParser()
            .parse(
                new Origin("dbserver1.inv.customers", 0, 42, 1000),
                "{\"id\":18446744073709551615}".getBytes(StandardCharsets.UTF_8),
                UPDATE.getBytes(StandardCharsets.UTF_8));
    return new EventMapper(EventTypes.defaults(), EventData.ROW)
        .map(((ParsedRecord.Change) parsed).event(), 3L);
  }
}
