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

  private final GroupSettings settings;
  private final Handoffs handoffs;

  public GroupProcessorSupplier(GroupSettings settings, Handoffs handoffs) {
    this.settings = settings;
    this.handoffs = handoffs;
  }

  @Override
  public Processor<String, ChangeEvent, Object, ReleasedBatch> get() {
    return new GroupProcessor(settings, handoffs);
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    StoreBuilder<KeyValueStore<Long, PendingEvent>> pending =
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(settings.pendingStore()),
            Serdes.Long(),
            PendingEventSerde.serde());
    return Set.of(pending);
  }
}
