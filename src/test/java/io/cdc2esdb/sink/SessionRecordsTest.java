package io.cdc2esdb.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import io.cdc2esdb.event.EventData;
import io.cdc2esdb.event.EventMapper;
import io.cdc2esdb.event.ProposedEvent;
import io.cdc2esdb.naming.EventTypes;
import io.kurrentdb.protocol.v2.streams.AppendRecord;
import java.nio.charset.StandardCharsets;
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
  void shouldBuildTheSamePropertiesFromTheMetadataTreeAsFromItsBytes() {
    ProposedEvent mapped = mapped();
    assertThat(mapped.metadataTree()).isNotNull();
    ProposedEvent bytesOnly =
        new ProposedEvent(mapped.id(), mapped.type(), mapped.data(), mapped.metadata());

    AppendRecord fromTree = SessionRecords.record(mapped);
    AppendRecord fromBytes = SessionRecords.record(bytesOnly);

    assertThat(fromTree).isEqualTo(fromBytes);
    assertThat(fromTree.getPropertiesMap()).containsKeys("$correlationId", "transaction", "source");
    // The key's unsigned BIGINT is beyond 2^53: text, from the tree as from the bytes.
    assertThat(
            fromTree
                .getPropertiesOrThrow("key")
                .getStructValue()
                .getFieldsOrThrow("id")
                .getStringValue())
        .isEqualTo("18446744073709551615");
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
