package io.cdc2esdb.processing;

import io.cdc2esdb.envelope.Origin;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Dead-letter records: the original key and value, the original headers, and headers that say what
 * went wrong and where the record came from. Header names follow Kafka Streams' own dead-letter
 * convention ({@code __streams.errors.*}, KIP-1034), plus {@code __cdc2esdb.error}, a stable code a
 * consumer can switch on, and {@code __cdc2esdb.stream}, the stream it was meant for when known.
 */
public final class DeadLetters {

  public static final String ERROR_CODE = "__cdc2esdb.error";
  public static final String STREAM = "__cdc2esdb.stream";
  public static final String EXCEPTION = "__streams.errors.exception";
  public static final String MESSAGE = "__streams.errors.message";
  public static final String TOPIC = "__streams.errors.topic";
  public static final String PARTITION = "__streams.errors.partition";
  public static final String OFFSET = "__streams.errors.offset";

  /** A row whose record key is null (a table without a primary key) under the default policy. */
  public static final String MISSING_KEY = "missing-key";

  /** A key from which no stream can be named. */
  public static final String UNNAMEABLE_STREAM = "unnameable-stream";

  private DeadLetters() {}

  /**
   * @param error a stable error code ({@code malformed-json}, {@code conflict}, ...)
   * @param exception the class of the failure, for people reading the topic
   */
  public static Record<byte[], byte[]> record(
      String error,
      String exception,
      String message,
      Origin origin,
      String stream,
      byte[] key,
      byte[] value,
      Headers original,
      long timestamp) {
    Headers headers = new RecordHeaders();
    if (original != null) {
      original.forEach(headers::add);
    }
    put(headers, ERROR_CODE, error);
    put(headers, EXCEPTION, exception);
    put(headers, MESSAGE, message);
    put(headers, TOPIC, origin.topic());
    put(headers, PARTITION, Integer.toString(origin.partition()));
    put(headers, OFFSET, Long.toString(origin.offset()));
    if (stream != null) {
      put(headers, STREAM, stream);
    }
    return new Record<>(key, value, timestamp, headers);
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }
}
