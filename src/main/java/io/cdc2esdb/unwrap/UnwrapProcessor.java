package io.cdc2esdb.unwrap;

import io.cdc2esdb.envelope.EnvelopeException;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import io.cdc2esdb.processing.Counters;
import io.cdc2esdb.processing.DeadLetters;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Step 1: Debezium record bytes to {@link io.cdc2esdb.envelope.ChangeEvent}. Tombstones and non-row
 * records are counted and dropped; anything malformed goes to the dead-letter sink with the
 * original bytes and headers.
 */
public final class UnwrapProcessor implements Processor<byte[], byte[], Object, Object> {

  private final String next;
  private final String deadLetter;
  private final EnvelopeParser parser = new EnvelopeParser();
  private ProcessorContext<Object, Object> context;
  private Counters counters;

  public UnwrapProcessor(String next, String deadLetter) {
    this.next = next;
    this.deadLetter = deadLetter;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.counters = new Counters(context.metrics(), context.taskId().toString());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    Origin origin = origin(context, record.timestamp());
    try {
      ParsedRecord parsed = parser.parse(origin, record.key(), record.value());
      if (parsed instanceof ParsedRecord.Change change) {
        context.forward(record.withValue(change.event()), next);
      } else if (parsed instanceof ParsedRecord.Tombstone) {
        counters.increment(Counters.TOMBSTONES);
      } else {
        counters.increment(Counters.IGNORED);
      }
    } catch (EnvelopeException e) {
      counters.increment(Counters.DEAD_LETTERED);
      context.forward(
          DeadLetters.record(
              e.kind().code(),
              e.getClass().getName(),
              e.getMessage(),
              origin,
              null,
              record.key(),
              record.value(),
              record.headers(),
              record.timestamp()),
          deadLetter);
    }
  }

  static Origin origin(ProcessorContext<?, ?> context, long timestamp) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    return meta == null
        ? new Origin("", -1, -1, timestamp)
        : new Origin(meta.topic(), meta.partition(), meta.offset(), timestamp);
  }

  @Override
  public void close() {
    counters.close();
  }
}
