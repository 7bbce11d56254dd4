package io.cdc2esdb.txn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import io.cdc2esdb.envelope.RecordHeader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Stores a pending change as what it was read from (key, Debezium payload, Kafka origin) and reads
 * it back through the same parser: one source of truth for what a change means, and no field of the
 * payload stored twice.
 */
final class PendingEventSerde {

  private static final EnvelopeParser PARSER = new EnvelopeParser();

  private PendingEventSerde() {}

  static Serde<PendingEvent> serde() {
    Serializer<PendingEvent> serializer = (topic, value) -> value == null ? null : write(value);
    Deserializer<PendingEvent> deserializer = (topic, bytes) -> bytes == null ? null : read(bytes);
    return Serdes.serdeFrom(serializer, deserializer);
  }

  private static byte[] write(PendingEvent pending) {
    ObjectNode node = Json.object();
    node.put("stream", pending.stream());
    node.put("bufferedAtMs", pending.bufferedAtMs());
    node.set("key", pending.event().key());
    node.set("payload", pending.event().payload());
    Origin origin = pending.event().origin();
    ObjectNode o = node.putObject("origin");
    o.put("topic", origin.topic());
    o.put("partition", origin.partition());
    o.put("offset", origin.offset());
    o.put("timestamp", origin.timestamp());
    if (!origin.headers().isEmpty()) {
      ArrayNode headers = o.putArray("headers");
      for (RecordHeader header : origin.headers()) {
        ObjectNode h = headers.addObject();
        h.put("key", header.key());
        if (header.value() != null) {
          h.put("value", header.value());
        }
      }
    }
    return Json.bytes(node);
  }

  private static List<RecordHeader> headers(JsonNode array) throws IOException {
    if (array == null) {
      return List.of();
    }
    List<RecordHeader> headers = new ArrayList<>(array.size());
    for (JsonNode h : array) {
      JsonNode value = h.get("value");
      headers.add(
          new RecordHeader(h.get("key").asText(), value == null ? null : value.binaryValue()));
    }
    return headers;
  }

  private static PendingEvent read(byte[] bytes) {
    try {
      JsonNode node = Json.read(bytes);
      JsonNode o = node.get("origin");
      Origin origin =
          new Origin(
              o.get("topic").asText(),
              o.get("partition").asInt(),
              o.get("offset").asLong(),
              o.get("timestamp").asLong(),
              headers(o.get("headers")));
      JsonNode key = Json.orNull(node.get("key"));
      ParsedRecord parsed =
          PARSER.parse(
              origin, key == null ? null : Json.bytes(key), Json.bytes(node.get("payload")));
      return new PendingEvent(
          node.get("stream").asText(),
          ((ParsedRecord.Change) parsed).event(),
          node.get("bufferedAtMs").asLong());
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("unreadable pending event", e);
    }
  }
}
