package io.cdc2esdb.unwrap;

import io.cdc2esdb.config.CdcConfig.MissingKeyPolicy;
import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.naming.StreamNaming;
import io.cdc2esdb.naming.StreamRoutes;
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
  private final StreamRoutes routes;
  private ProcessorContext<Object, Object> context;
  private Counters counters;

  public RekeyProcessor(
      String next, String deadLetter, StreamNaming naming, MissingKeyPolicy missingKeyPolicy) {
    this.next = next;
    this.deadLetter = deadLetter;
    this.routes = new StreamRoutes(naming, missingKeyPolicy == MissingKeyPolicy.TABLE_STREAM);
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.counters = new Counters(context.metrics(), context.taskId().toString());
  }

  @Override
  public void process(Record<Object, ChangeEvent> record) {
    StreamRoutes.Route route = routes.route(record.value());
    if (route instanceof StreamRoutes.ToStream to) {
      context.forward(record.withKey(to.stream()), next);
    } else {
      StreamRoutes.MissingKey missing = (StreamRoutes.MissingKey) route;
      deadLetter(record, new MissingKeyException(missing.db(), missing.table()));
    }
  }

  private void deadLetter(Record<Object, ChangeEvent> record, MissingKeyException reason) {
    ChangeEvent event = record.value();
    counters.deadLettered(reason.code());
    context.forward(
        DeadLetters.of(reason, event.origin())
            .key(event.key() == null ? null : Json.bytes(event.key()))
            .value(event.payloadBytes())
            .at(record.timestamp()),
        deadLetter);
  }

  @Override
  public void close() {
    counters.close();
  }
}
