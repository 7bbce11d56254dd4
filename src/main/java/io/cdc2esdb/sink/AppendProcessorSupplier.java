package io.cdc2esdb.sink;

import io.cdc2esdb.event.EventMapper;
import io.cdc2esdb.processing.JsonSerde;
import io.cdc2esdb.txn.ReleasedBatch;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Supplies the append processor and owns its changelogged {@code stream-positions} store. One
 * {@link BatchAppender} (and so one EventStoreDB client) serves every task of the instance.
 */
public final class AppendProcessorSupplier
    implements ProcessorSupplier<Object, ReleasedBatch, byte[], byte[]> {

  private final String positionsStore;
  private final EventMapper mapper;
  private final BatchAppender appender;
  private final String deadLetter;

  public AppendProcessorSupplier(
      String positionsStore, EventMapper mapper, BatchAppender appender, String deadLetter) {
    this.positionsStore = positionsStore;
    this.mapper = mapper;
    this.appender = appender;
    this.deadLetter = deadLetter;
  }

  @Override
  public Processor<Object, ReleasedBatch, byte[], byte[]> get() {
    return new AppendProcessor(positionsStore, mapper, appender, deadLetter);
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return Set.of(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(positionsStore),
            Serdes.String(),
            JsonSerde.of(StreamPosition.class)));
  }
}
