package io.cdc2esdb.sink;

import static io.cdc2esdb.processing.LengthPrefixed.put;
import static io.cdc2esdb.processing.LengthPrefixed.size;
import static io.cdc2esdb.processing.LengthPrefixed.string;
import static io.cdc2esdb.processing.LengthPrefixed.utf8;

import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.SourcePosition;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The {@code stream-positions} store's value: a binary frame, a format byte ({@value #FRAME}) then
 * every field of {@link StreamPosition} and of its high-water mark in declaration order; numbers
 * big-endian, strings as a length (-1 for none) and UTF-8. Written once per stream and append, read
 * once per stream and batch: JSON there was 8 % of the process's CPU. Values of the earlier JSON
 * format (they begin with <code>'{'</code>) are still read.
 */
public final class StreamPositionSerde {

  static final byte FRAME = 1;

  private StreamPositionSerde() {}

  public static Serde<StreamPosition> serde() {
    Serializer<StreamPosition> serializer = (topic, value) -> value == null ? null : write(value);
    Deserializer<StreamPosition> deserializer =
        (topic, bytes) -> bytes == null ? null : read(bytes);
    return Serdes.serdeFrom(serializer, deserializer);
  }

  static byte[] write(StreamPosition position) {
    SourcePosition s = position.lastSource();
    byte[][] strings =
        s == null
            ? new byte[][] {utf8(position.lastEventId()), utf8(position.lastTransaction())}
            : new byte[][] {
              utf8(position.lastEventId()),
              utf8(position.lastTransaction()),
              utf8(s.connector()),
              utf8(s.server()),
              utf8(s.db()),
              utf8(s.table()),
              utf8(s.file()),
              utf8(s.gtid()),
              utf8(s.snapshot())
            };
    int size = 1 + 3 * 8 + 1 + (s == null ? 0 : 8 + 4 + 8 + 8);
    for (byte[] string : strings) {
      size += size(string);
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(FRAME);
    out.putLong(position.lastRevision());
    out.putLong(position.eventsWritten());
    out.putLong(position.updatedAtMs());
    put(out, strings[0]);
    put(out, strings[1]);
    out.put((byte) (s == null ? 0 : 1));
    if (s != null) {
      for (int i = 2; i < strings.length; i++) {
        put(out, strings[i]);
      }
      out.putLong(s.pos());
      out.putInt(s.row());
      out.putLong(s.tsMs());
      out.putLong(s.ordinal());
    }
    return out.array();
  }

  static StreamPosition read(byte[] bytes) {
    try {
      if (bytes.length > 0 && bytes[0] == '{') {
        return Json.MAPPER.readValue(bytes, StreamPosition.class);
      }
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte format = in.get();
      if (format != FRAME) {
        throw new IOException("unknown stream-positions format " + format);
      }
      long lastRevision = in.getLong();
      long eventsWritten = in.getLong();
      long updatedAtMs = in.getLong();
      String lastEventId = string(in);
      String lastTransaction = string(in);
      SourcePosition source = null;
      if (in.get() == 1) {
        String connector = string(in);
        String server = string(in);
        String db = string(in);
        String table = string(in);
        String file = string(in);
        String gtid = string(in);
        String snapshot = string(in);
        source =
            new SourcePosition(
                connector,
                server,
                db,
                table,
                file,
                in.getLong(),
                in.getInt(),
                gtid,
                in.getLong(),
                snapshot,
                in.getLong());
      }
      return new StreamPosition(
          lastRevision, source, lastEventId, lastTransaction, eventsWritten, updatedAtMs);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("unreadable stream position", e);
    }
  }
}
