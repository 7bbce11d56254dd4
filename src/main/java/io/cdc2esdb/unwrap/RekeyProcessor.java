package io.cdc2esdb.unwrap;

import io.cdc2esdb.config.CdcConfig.MissingKeyPolicy;
import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.Operation;
import io.cdc2esdb.naming.StreamNaming;
import io.cdc2esdb.processing.Counters;
import io.cdc2esdb.processing.DeadLetters;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Step 2: the record key becomes the stream name, from the table and the primary key (in key-column
 * order). Debezium already partitions a table topic by primary key, so one row's changes stay in
 * one partition, in order, without a repartition. Rows without a key follow the {@code
 * missing.key.policy}.
 */
public final class RekeyProcessor implements Processor<Object, ChangeEvent, Object, Object> {

  private final String next;
  private final String deadLetter;
  private final StreamNaming naming;
  private final MissingKeyPolicy missingKeyPolicy;
  private ProcessorContext<Object, Object> context;
  private Counters counters;

  public RekeyProcessor(
      String next, String deadLetter, StreamNaming naming, MissingKeyPolicy missingKeyPolicy) {
    this.next = next;
    this.deadLetter = deadLetter;
    this.naming = naming;
    this.missingKeyPolicy = missingKeyPolicy;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.counters = new Counters(context.metrics(), context.taskId().toString());
  }

  @Override
  public void process(Record<Object, ChangeEvent> record) {
    ChangeEvent event = record.value();
    String db = event.source().db();
    String table = event.source().table();
    boolean keyless = event.key() == null || event.key().isEmpty();
    if (event.op() == Operation.TRUNCATE
        || (keyless && missingKeyPolicy == MissingKeyPolicy.TABLE_STREAM)) {
      context.forward(record.withKey(naming.tableStreamName(db, table)), next);
    } else if (keyless) {
      deadLetter(record, new MissingKeyException(db, table));
    } else {
      context.forward(record.withKey(naming.streamName(db, table, event.key())), next);
    }
  }

  private void deadLetter(Record<Object, ChangeEvent> record, MissingKeyException reason) {
    ChangeEvent event = record.value();
    counters.increment(Counters.DEAD_LETTERED);
    context.forward(
        DeadLetters.of(reason, event.origin())
            .key(event.key() == null ? null : Json.bytes(event.key()))
            .value(Json.bytes(event.payload()))
            .at(record.timestamp()),
        deadLetter);
  }

  @Override
  public void close() {
    counters.close();
  }
}
