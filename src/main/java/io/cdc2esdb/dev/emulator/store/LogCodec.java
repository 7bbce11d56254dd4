package io.cdc2esdb.dev.emulator.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * The byte layout of one log record: {@code int length, body, int crc32(body)}, where the body
 * holds flags, revision, created ticks, id, stream, type, data and metadata. A record's position in
 * {@code $all} is the offset of its first byte, in memory as on disk, so positions behave like the
 * server's: strictly increasing, not contiguous.
 */
final class LogCodec {

  /** The log file starts with this line; the first record follows it. */
  static final byte[] MAGIC = "cdc2esdb-log-v1\n".getBytes(StandardCharsets.US_ASCII);

  static final int FRAME_BYTES = 4 + 4;
  private static final int FIXED_BODY_BYTES = 1 + 8 + 8 + 16 + 4 * 4;
  private static final byte JSON_FLAG = 1;

  private LogCodec() {}

  /** The bytes the record takes in the log, frame included. */
  static long size(String stream, String type, int dataLength, int metadataLength) {
    return FRAME_BYTES
        + FIXED_BODY_BYTES
        + utf8Length(stream)
        + utf8Length(type)
        + (long) dataLength
        + metadataLength;
  }

  static void encode(EventRecord record, ByteBuffer out) {
    byte[] stream = record.stream().getBytes(StandardCharsets.UTF_8);
    byte[] type = record.type().getBytes(StandardCharsets.UTF_8);
    int bodyLength =
        FIXED_BODY_BYTES
            + stream.length
            + type.length
            + record.data().length
            + record.metadata().length;
    out.putInt(bodyLength);
    int bodyStart = out.position();
    out.put(record.json() ? JSON_FLAG : 0);
    out.putLong(record.revision());
    out.putLong(record.createdTicks());
    out.putLong(record.id().getMostSignificantBits());
    out.putLong(record.id().getLeastSignificantBits());
    putBytes(out, stream);
    putBytes(out, type);
    putBytes(out, record.data());
    putBytes(out, record.metadata());
    CRC32 crc = new CRC32();
    crc.update(out.array(), out.arrayOffset() + bodyStart, bodyLength);
    out.putInt((int) crc.getValue());
  }

  /**
   * Decodes the body of a record read at {@code position}; {@code null} when the checksum does not
   * match (a torn or damaged write).
   */
  static EventRecord decode(long position, byte[] body, int expectedCrc) {
    CRC32 crc = new CRC32();
    crc.update(body);
    if ((int) crc.getValue() != expectedCrc) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(body);
    boolean json = (in.get() & JSON_FLAG) != 0;
    long revision = in.getLong();
    long created = in.getLong();
    UUID id = new UUID(in.getLong(), in.getLong());
    String stream = new String(getBytes(in), StandardCharsets.UTF_8);
    String type = new String(getBytes(in), StandardCharsets.UTF_8);
    byte[] data = getBytes(in);
    byte[] metadata = getBytes(in);
    return new EventRecord(position, stream, revision, id, type, json, data, metadata, created);
  }

  private static void putBytes(ByteBuffer out, byte[] bytes) {
    out.putInt(bytes.length);
    out.put(bytes);
  }

  private static byte[] getBytes(ByteBuffer in) {
    byte[] bytes = new byte[in.getInt()];
    in.get(bytes);
    return bytes;
  }

  private static int utf8Length(String text) {
    int length = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        length += 1;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c)) {
        length += 4;
        i++;
      } else {
        length += 3;
      }
    }
    return length;
  }
}
