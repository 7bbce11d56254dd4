package io.cdc2esdb.processing;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The dead-letter sink's value serializer. A dead letter carries the original value, which may be a
 * multi-megabyte row (the reason it was dead-lettered, even); a record the dead-letter topic
 * refuses would fail the task on every retry and stop the pipeline. So when value and headers
 * together exceed the limit, the value is left out and header {@value #VALUE_OMITTED} says how
 * large it was: the headers still say why, and where the original sits (source topic, partition,
 * offset).
 */
public final class DeadLetterValueSerializer implements Serializer<byte[]> {

  /** Set when the value was left out: its size in bytes. */
  public static final String VALUE_OMITTED = "__cdc2esdb.value.omitted";

  private final long maxBytes;

  public DeadLetterValueSerializer(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public byte[] serialize(String topic, byte[] data) {
    return data;
  }

  @Override
  public byte[] serialize(String topic, Headers headers, byte[] data) {
    if (data == null || headers == null || data.length + size(headers) <= maxBytes) {
      return data;
    }
    headers.remove(VALUE_OMITTED);
    headers.add(VALUE_OMITTED, Integer.toString(data.length).getBytes(StandardCharsets.UTF_8));
    return null;
  }

  private static long size(Headers headers) {
    long size = 0;
    for (Header header : headers) {
      size += header.key().length() + (header.value() == null ? 0 : header.value().length);
    }
    return size;
  }
}
