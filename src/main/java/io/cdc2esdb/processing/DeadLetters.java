package io.cdc2esdb.processing;

import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.RecordHeader;
import io.cdc2esdb.error.DeadLetterException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Dead-letter records: the original key, value and headers, plus headers that say what went wrong
 * and where the record came from. Header names follow Kafka Streams' own dead-letter convention
 * ({@code __streams.errors.*}, KIP-1034), plus {@code __cdc2esdb.error}, the stable {@link
 * io.cdc2esdb.error.DeadLetterCode} a consumer can switch on, and {@code __cdc2esdb.stream}, the
 * stream it was meant for when known.
 *
 * <pre>
 * DeadLetters.of(reason, origin).stream(name).key(key).value(value).at(timestamp)
 * </pre>
 */
public final class DeadLetters {

  public static final String ERROR_CODE = "__cdc2esdb.error";
  public static final String STREAM = "__cdc2esdb.stream";
  public static final String EXCEPTION = "__streams.errors.exception";
  public static final String MESSAGE = "__streams.errors.message";
  public static final String TOPIC = "__streams.errors.topic";
  public static final String PARTITION = "__streams.errors.partition";
  public static final String OFFSET = "__streams.errors.offset";

  private final DeadLetterException reason;
  private final Origin origin;
  private String stream;
  private byte[] key;
  private byte[] value;

  private DeadLetters(DeadLetterException reason, Origin origin) {
    this.reason = reason;
    this.origin = origin;
  }

  /** A dead letter for the record at {@code origin}, sent there for {@code reason}. */
  public static DeadLetters of(DeadLetterException reason, Origin origin) {
    return new DeadLetters(reason, origin);
  }

  /** The stream the record was meant for, when known. */
  public DeadLetters stream(String name) {
    this.stream = name;
    return this;
  }

  public DeadLetters key(byte[] bytes) {
    this.key = bytes;
    return this;
  }

  public DeadLetters value(byte[] bytes) {
    this.value = bytes;
    return this;
  }

  /** The record, with the original headers followed by the dead-letter headers. */
  public Record<byte[], byte[]> at(long timestamp) {
    Headers headers = new RecordHeaders();
    for (RecordHeader header : origin.headers()) {
      headers.add(header.key(), header.value());
    }
    put(headers, ERROR_CODE, reason.code().code());
    put(headers, EXCEPTION, reason.getClass().getName());
    put(headers, MESSAGE, reason.getMessage());
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
