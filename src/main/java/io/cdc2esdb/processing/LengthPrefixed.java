package io.cdc2esdb.processing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The binary store frames' one encoding of a byte array or string: a big-endian int length ({@value
 * #ABSENT} for none), then the bytes; strings in UTF-8.
 */
public final class LengthPrefixed {

  public static final int ABSENT = -1;

  private LengthPrefixed() {}

  /** {@code text} in UTF-8, or {@code null} for none. */
  public static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  /** The bytes {@link #put} writes for {@code bytes}. */
  public static int size(byte[] bytes) {
    return 4 + (bytes == null ? 0 : bytes.length);
  }

  public static void put(ByteBuffer out, byte[] bytes) {
    if (bytes == null) {
      out.putInt(ABSENT);
    } else {
      out.putInt(bytes.length);
      out.put(bytes);
    }
  }

  /** The string {@link #put} wrote from {@link #utf8}, or {@code null}. */
  public static String string(ByteBuffer in) {
    int length = in.getInt();
    if (length == ABSENT) {
      return null;
    }
    String text =
        new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return text;
  }
}
