package io.cdc2esdb.sink;

import io.cdc2esdb.event.EventMapper;
import io.cdc2esdb.txn.Handoffs;
import io.cdc2esdb.txn.ReleasedBatch;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Supplies the append processor and owns its changelogged {@code stream-positions} store (it also
 * uses the group step's {@code pending} store, connected by the wiring). One {@link BatchAppender}
 * (and so one EventStoreDB client) serves every task of the instance.
 */
public final class AppendProcessorSupplier
    implements ProcessorSupplier<Object, ReleasedBatch, byte[], byte[]> {

  /**
   * @param positionsStore its own store
   * @param pendingStore the group step's buffer, from which acknowledged events are removed
   * @param deadLetter the dead-letter sink's name
   * @param handoffs shared with the group step
   * @param ackPollMs how often (wall-clock) an answer that came in is applied
   */
  public record Settings(
      String positionsStore,
      String pendingStore,
      EventMapper mapper,
      String deadLetter,
      Handoffs handoffs,
      long ackPollMs) {}

  private final Settings settings;
  private final BatchAppender appender;

  public AppendProcessorSupplier(Settings settings, BatchAppender appender) {
    this.settings = settings;
    this.appender = appender;
  }

  @Override
  public Processor<Object, ReleasedBatch, byte[], byte[]> get() {
    return new AppendProcessor(settings, appender);
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return Set.of(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(settings.positionsStore()),
            Serdes.String(),
            StreamPositionSerde.serde()));
  }
}
