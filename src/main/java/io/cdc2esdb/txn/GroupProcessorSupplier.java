package io.cdc2esdb.txn;

import io.cdc2esdb.envelope.ChangeEvent;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Supplies the grouping processor and owns its persistent, changelogged {@code pending} store. */
public final class GroupProcessorSupplier
    implements ProcessorSupplier<String, ChangeEvent, Object, ReleasedBatch> {

  private final String pendingStore;
  private final String transactionsStore;
  private final long maxWaitMs;
  private final long flushIntervalMs;
  private final int flushMaxEvents;

  public GroupProcessorSupplier(
      String pendingStore,
      String transactionsStore,
      long maxWaitMs,
      long flushIntervalMs,
      int flushMaxEvents) {
    this.pendingStore = pendingStore;
    this.transactionsStore = transactionsStore;
    this.maxWaitMs = maxWaitMs;
    this.flushIntervalMs = flushIntervalMs;
    this.flushMaxEvents = flushMaxEvents;
  }

  @Override
  public Processor<String, ChangeEvent, Object, ReleasedBatch> get() {
    return new GroupProcessor(
        pendingStore, transactionsStore, maxWaitMs, flushIntervalMs, flushMaxEvents);
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    StoreBuilder<KeyValueStore<Long, PendingEvent>> pending =
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(pendingStore), Serdes.Long(), PendingEventSerde.serde());
    return Set.of(pending);
  }
}
