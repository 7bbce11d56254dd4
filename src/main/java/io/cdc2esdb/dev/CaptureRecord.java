package io.cdc2esdb.dev;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One Kafka record as a capture file holds it: the exact key, value and header bytes, where it was
 * read from, and when. Byte arrays are compared by content, so two captures of the same record are
 * equal.
 *
 * @param offset the record's offset in its partition, or -1 when the capture did not say
 * @param timestamp epoch milliseconds, or -1 when the capture did not say
 * @param key the key bytes, or null
 * @param value the value bytes, or null for a tombstone
 * @param headers in record order; a name may repeat, as in Kafka
 */
public record CaptureRecord(
    String topic,
    int partition,
    long offset,
    long timestamp,
    byte[] key,
    byte[] value,
    List<Header> headers) {

  /** Kafka's "no offset" / "no timestamp" marker, kept so records convert without a mapping. */
  public static final long UNKNOWN = -1L;

  public CaptureRecord {
    Objects.requireNonNull(topic, "topic");
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0, was " + partition);
    }
    headers = List.copyOf(headers);
  }

  /** A record whose bytes are UTF-8 text, as JSON converters write them; handy in tests. */
  public static CaptureRecord ofUtf8(
      String topic, int partition, long offset, String key, String value, List<Header> headers) {
    return new CaptureRecord(topic, partition, offset, UNKNOWN, utf8(key), utf8(value), headers);
  }

  public boolean isTombstone() {
    return value == null;
  }

  /** The key as text, or null; meant for assertions and messages, not for round trips. */
  public String keyUtf8() {
    return key == null ? null : new String(key, StandardCharsets.UTF_8);
  }

  /** The value as text, or null for a tombstone. */
  public String valueUtf8() {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  /** The last header of that name (Kafka's {@code lastHeader}), or null. */
  public Header lastHeader(String name) {
    for (int i = headers.size() - 1; i >= 0; i--) {
      if (headers.get(i).name().equals(name)) {
        return headers.get(i);
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CaptureRecord r
        && topic.equals(r.topic)
        && partition == r.partition
        && offset == r.offset
        && timestamp == r.timestamp
        && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value)
        && headers.equals(r.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        topic, partition, offset, timestamp, Arrays.hashCode(key), Arrays.hashCode(value), headers);
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset + " key=" + keyUtf8() + " value=" + valueUtf8();
  }

  static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  /** One record header; the value may be null, as Kafka allows. */
  public record Header(String name, byte[] value) {

    public Header {
      Objects.requireNonNull(name, "name");
    }

    public static Header ofUtf8(String name, String value) {
      return new Header(name, utf8(value));
    }

    public String valueUtf8() {
      return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Header h && name.equals(h.name) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
      return 31 * name.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return name + "=" + valueUtf8();
    }
  }
}
