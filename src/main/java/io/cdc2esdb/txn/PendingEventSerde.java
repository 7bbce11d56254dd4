package io.cdc2esdb.txn;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import io.cdc2esdb.envelope.RecordHeader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 *
 * <p>A record is a binary frame: a format byte ({@value #FRAME}), the stream, the buffering time,
 * the origin (topic, partition, offset, timestamp, value size, headers), then the key's and the
 * payload's JSON, each length-prefixed. Only the key and the payload are JSON, written once and
 * parsed only when a buffer is restored (the group step keeps the head of its buffer as objects).
 * Records of the earlier all-JSON format (they begin with <code>'{'</code>) are still read.
 */
final class PendingEventSerde {

  static final byte FRAME = 1;
  private static final int ABSENT = -1;
  private static final EnvelopeParser PARSER = new EnvelopeParser();

  private PendingEventSerde() {}

  static Serde<PendingEvent> serde() {
    Serializer<PendingEvent> serializer = (topic, value) -> value == null ? null : write(value);
    Deserializer<PendingEvent> deserializer = (topic, bytes) -> bytes == null ? null : read(bytes);
    return Serdes.serdeFrom(serializer, deserializer);
  }

  static byte[] write(PendingEvent pending) {
    byte[] key = pending.event().key() == null ? null : Json.bytes(pending.event().key());
    byte[] payload = Json.bytes(pending.event().payload());
    Origin origin = pending.event().origin();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(payload.length + 256);
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeByte(FRAME);
      out.writeUTF(pending.stream());
      out.writeLong(pending.bufferedAtMs());
      out.writeUTF(origin.topic());
      out.writeInt(origin.partition());
      out.writeLong(origin.offset());
      out.writeLong(origin.timestamp());
      out.writeLong(origin.valueBytes());
      out.writeInt(origin.headers().size());
      for (RecordHeader header : origin.headers()) {
        out.writeUTF(header.key());
        writeBytes(out, header.value());
      }
      writeBytes(out, key);
      writeBytes(out, payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    if (bytes == null) {
      out.writeInt(ABSENT);
    } else {
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length == ABSENT) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  static PendingEvent read(byte[] bytes) {
    try {
      if (bytes.length > 0 && bytes[0] == '{') {
        return readJson(bytes);
      }
      DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
      byte format = in.readByte();
      if (format != FRAME) {
        throw new IOException("unknown pending record format " + format);
      }
      String stream = in.readUTF();
      long bufferedAtMs = in.readLong();
      String topic = in.readUTF();
      int partition = in.readInt();
      long offset = in.readLong();
      long timestamp = in.readLong();
      long valueBytes = in.readLong();
      int count = in.readInt();
      List<RecordHeader> headers = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        headers.add(new RecordHeader(in.readUTF(), readBytes(in)));
      }
      byte[] key = readBytes(in);
      byte[] payload = readBytes(in);
      Origin origin = new Origin(topic, partition, offset, timestamp, headers, valueBytes);
      return new PendingEvent(stream, parse(origin, key, payload), bufferedAtMs);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("unreadable pending event", e);
    }
  }

  private static io.cdc2esdb.envelope.ChangeEvent parse(Origin origin, byte[] key, byte[] payload) {
    return ((ParsedRecord.Change) PARSER.parse(origin, key, payload)).event();
  }

  /** The earlier format: one JSON object with the same fields. */
  private static PendingEvent readJson(byte[] bytes) throws IOException {
    JsonNode node = Json.read(bytes);
    JsonNode o = node.get("origin");
    List<RecordHeader> headers = new ArrayList<>();
    JsonNode array = o.get("headers");
    if (array != null) {
      for (JsonNode h : array) {
        JsonNode value = h.get("value");
        headers.add(
            new RecordHeader(h.get("key").asText(), value == null ? null : value.binaryValue()));
      }
    }
    Origin origin =
        new Origin(
            o.get("topic").asText(),
            o.get("partition").asInt(),
            o.get("offset").asLong(),
            o.get("timestamp").asLong(),
            headers);
    JsonNode key = Json.orNull(node.get("key"));
    return new PendingEvent(
        node.get("stream").asText(),
        parse(origin, key == null ? null : Json.bytes(key), Json.bytes(node.get("payload"))),
        node.get("bufferedAtMs").asLong());
  }
}
