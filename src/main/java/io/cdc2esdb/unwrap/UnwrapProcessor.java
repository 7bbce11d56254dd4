package io.cdc2esdb.unwrap;

import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.EnvelopeException;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import io.cdc2esdb.envelope.RecordHeader;
import io.cdc2esdb.event.RowDecoder;
import io.cdc2esdb.event.TableHistory;
import io.cdc2esdb.event.TableKeys;
import io.cdc2esdb.processing.Counters;
import io.cdc2esdb.processing.DeadLetters;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Step 1: Debezium record bytes to {@link io.cdc2esdb.envelope.ChangeEvent}. Tombstones and non-row
 * records are counted and dropped; anything malformed goes to the dead-letter sink with the
 * original bytes and headers. With natural values, the rows are decoded here, where the record's
 * own schema (with the converter's schema wrapper) is still at hand, completed by the table
 * structure in force at the change's binlog position (the global {@code table-structures} store).
 */
public final class UnwrapProcessor implements Processor<byte[], byte[], Object, Object> {

  private final String next;
  private final String deadLetter;
  private final EnvelopeParser parser = new EnvelopeParser();
  private final RowDecoder decoder;
  private final String structuresStore;
  private ProcessorContext<Object, Object> context;
  private Counters counters;
  private ReadOnlyKeyValueStore<String, TableHistory> structures;

  /** Keeps values as Debezium encoded them ({@code event.values=debezium}). */
  public UnwrapProcessor(String next, String deadLetter) {
    this(next, deadLetter, null, null);
  }

  /**
   * @param decoder decodes natural values, or {@code null} to keep Debezium's encoding
   * @param structuresStore the global store of table structures the decoder reads
   */
  public UnwrapProcessor(
      String next, String deadLetter, RowDecoder decoder, String structuresStore) {
    this.next = next;
    this.deadLetter = deadLetter;
    this.decoder = decoder;
    this.structuresStore = structuresStore;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.counters = new Counters(context.metrics(), context.taskId().toString());
    if (decoder != null) {
      this.structures = context.getStateStore(structuresStore);
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    Origin origin = origin(context, record);
    try {
      ParsedRecord parsed = parser.parse(origin, record.key(), record.value());
      if (parsed instanceof ParsedRecord.Change change) {
        context.forward(record.withValue(decode(change)), next);
      } else if (parsed instanceof ParsedRecord.Tombstone) {
        counters.increment(Counters.TOMBSTONES);
      } else {
        counters.increment(Counters.IGNORED);
      }
    } catch (EnvelopeException e) {
      counters.deadLettered(e.code());
      context.forward(
          DeadLetters.of(e, origin).key(record.key()).value(record.value()).at(record.timestamp()),
          deadLetter);
    }
  }

  private ChangeEvent decode(ParsedRecord.Change change) {
    ChangeEvent event = change.event();
    if (decoder == null) {
      return event;
    }
    TableHistory history =
        structures.get(TableKeys.of(event.source().db(), event.source().table()));
    RowDecoder.Decoded decoded =
        decoder.decode(
            event, change.valueSchema(), history == null ? null : history.at(event.source()));
    counters.add(Counters.VALUES_UNDECODED, decoded.undecoded());
    return decoded.event();
  }

  /** Where {@code record} came from, with its headers, which every later dead letter keeps. */
  static Origin origin(ProcessorContext<?, ?> context, Record<?, ?> record) {
    List<RecordHeader> headers = new ArrayList<>();
    for (Header header : record.headers()) {
      headers.add(new RecordHeader(header.key(), header.value()));
    }
    RecordMetadata meta = context.recordMetadata().orElse(null);
    long size = record.value() instanceof byte[] bytes ? bytes.length : 0;
    return meta == null
        ? new Origin("", -1, -1, record.timestamp(), headers, size)
        : new Origin(
            meta.topic(), meta.partition(), meta.offset(), record.timestamp(), headers, size);
  }

  @Override
  public void close() {
    counters.close();
  }
}
