package io.cdc2esdb.unwrap;

import io.cdc2esdb.envelope.EnvelopeException;
import io.cdc2esdb.event.SchemaChangeParser;
import io.cdc2esdb.event.TableHistory;
import io.cdc2esdb.processing.JsonSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global {@code table-structures} store from Debezium's schema-change topic: for each
 * table, every structure it has had, at the binlog position of the DDL that gave it. A global
 * processor cannot forward, so an unreadable record is logged and skipped: the rows it concerns
 * keep their values as Debezium encoded them (and are counted), nothing is lost.
 */
public final class TableStructuresProcessor implements Processor<byte[], byte[], Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(TableStructuresProcessor.class);

  private final String storeName;
  private final SchemaChangeParser parser = new SchemaChangeParser();
  private KeyValueStore<String, TableHistory> store;

  /** The store this processor keeps; global, so the schema-change topic is its changelog. */
  public static StoreBuilder<KeyValueStore<String, TableHistory>> storeBuilder(String name) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.String(), JsonSerde.of(TableHistory.class))
        .withLoggingDisabled();
  }

  public TableStructuresProcessor(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    try {
      for (SchemaChangeParser.TableChange change :
          parser.parse(record.value(), key -> latest(store.get(key)))) {
        TableHistory known = store.get(change.tableKey());
        store.put(
            change.tableKey(),
            (known == null ? TableHistory.empty() : known).with(change.version()));
      }
    } catch (EnvelopeException e) {
      LOG.warn("Skipping unreadable schema-change record: {}", e.getMessage());
    }
  }

  private static TableHistory.Version latest(TableHistory history) {
    return history == null ? null : history.latest();
  }
}
