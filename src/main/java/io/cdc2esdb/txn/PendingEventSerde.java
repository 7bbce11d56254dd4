package io.cdc2esdb.txn;

import static io.cdc2esdb.processing.LengthPrefixed.put;
import static io.cdc2esdb.processing.LengthPrefixed.size;
import static io.cdc2esdb.processing.LengthPrefixed.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import io.cdc2esdb.envelope.RecordHeader;
import io.cdc2esdb.processing.LengthPrefixed;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * payload's JSON; strings and byte arrays are length-prefixed (strings in UTF-8). Only the key and
 * the payload are JSON, parsed only when a buffer is restored (the group step keeps the head of its
 * buffer as objects); the payload is the record's own bytes when nothing rewrote it. Records of the
 * earlier formats are still read: the first frame ({@value #FRAME_MODIFIED_UTF8}, strings in Java's
 * modified UTF-8) and the all-JSON one (it begins with <code>'{'</code>).
 */
final class PendingEventSerde {

  static final byte FRAME = 2;

  /** The first binary frame, whose strings were Java's modified UTF-8 ({@code writeUTF}). */
  static final byte FRAME_MODIFIED_UTF8 = 1;

  private static final EnvelopeParser PARSER = new EnvelopeParser();

  private PendingEventSerde() {}

  static Serde<PendingEvent> serde() {
    Serializer<PendingEvent> serializer = (topic, value) -> value == null ? null : write(value);
    Deserializer<PendingEvent> deserializer = (topic, bytes) -> bytes == null ? null : read(bytes);
    return Serdes.serdeFrom(serializer, deserializer);
  }

  static byte[] write(PendingEvent pending) {
    ChangeEvent event = pending.event();
    Origin origin = event.origin();
    byte[] stream = utf8(pending.stream());
    byte[] topic = utf8(origin.topic());
    byte[] key = event.key() == null ? null : Json.bytes(event.key());
    byte[] payload = event.payloadBytes();
    List<RecordHeader> headers = origin.headers();
    byte[][] headerKeys = new byte[headers.size()][];
    int size = 1 + size(stream) + 8 + size(topic) + 4 + 3 * 8 + 4 + size(key) + size(payload);
    for (int i = 0; i < headerKeys.length; i++) {
      headerKeys[i] = utf8(headers.get(i).key());
      size += size(headerKeys[i]) + size(headers.get(i).value());
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(FRAME);
    put(out, stream);
    out.putLong(pending.bufferedAtMs());
    put(out, topic);
    out.putInt(origin.partition());
    out.putLong(origin.offset());
    out.putLong(origin.timestamp());
    out.putLong(origin.valueBytes());
    out.putInt(headerKeys.length);
    for (int i = 0; i < headerKeys.length; i++) {
      put(out, headerKeys[i]);
      put(out, headers.get(i).value());
    }
    put(out, key);
    put(out, payload);
    return out.array();
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length == LengthPrefixed.ABSENT) {
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
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      byte format = in.readByte();
      if (format != FRAME && format != FRAME_MODIFIED_UTF8) {
        throw new IOException("unknown pending record format " + format);
      }
      String stream = readString(in, format);
      long bufferedAtMs = in.readLong();
      String topic = readString(in, format);
      int partition = in.readInt();
      long offset = in.readLong();
      long timestamp = in.readLong();
      long valueBytes = in.readLong();
      int count = in.readInt();
      List<RecordHeader> headers = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        headers.add(new RecordHeader(readString(in, format), readBytes(in)));
      }
      byte[] key = readBytes(in);
      byte[] payload = readBytes(in);
      Origin origin = new Origin(topic, partition, offset, timestamp, headers, valueBytes);
      return new PendingEvent(stream, parse(origin, key, payload), bufferedAtMs);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("unreadable pending event", e);
    }
  }

  private static String readString(DataInputStream in, byte format) throws IOException {
    if (format == FRAME_MODIFIED_UTF8) {
      return in.readUTF();
    }
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  private static ChangeEvent parse(Origin origin, byte[] key, byte[] payload) {
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
