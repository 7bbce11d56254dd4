package io.cdc2esdb.txn;

import io.cdc2esdb.envelope.EnvelopeException;
import io.cdc2esdb.envelope.TransactionMarker;
import io.cdc2esdb.envelope.TransactionMarkerParser;
import io.cdc2esdb.processing.JsonSerde;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global {@code transactions} store from Debezium's transaction topic: BEGIN, then END
 * with the transaction's event counts. A global processor cannot forward, so a malformed record is
 * logged and skipped: it only delays its transaction's events until {@code
 * transaction.max.wait.ms}.
 */
public final class TransactionsProcessor implements Processor<byte[], byte[], Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(TransactionsProcessor.class);

  private final String storeName;
  private final long retentionMs;
  private long lastPruneMs = Long.MIN_VALUE;
  private final TransactionMarkerParser parser = new TransactionMarkerParser();
  private KeyValueStore<String, TransactionInfo> store;

  /**
   * The global store this processor keeps: a global store restores from its source topic, so it has
   * no changelog of its own.
   */
  public static StoreBuilder<KeyValueStore<String, TransactionInfo>> storeBuilder(String name) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name),
            Serdes.String(),
            JsonSerde.of(TransactionInfo.class))
        .withLoggingDisabled();
  }

  public TransactionsProcessor(String storeName, long retentionMs) {
    this.storeName = storeName;
    this.retentionMs = retentionMs;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    TransactionMarker marker;
    try {
      marker = parser.parse(record.value());
    } catch (EnvelopeException e) {
      LOG.warn("Skipping unreadable transaction record: {}", e.getMessage());
      return;
    }
    if (marker == null) {
      return;
    }
    TransactionInfo known = store.get(marker.id());
    long beginTs = known == null ? marker.tsMs() : known.beginTsMs();
    TransactionInfo info =
        marker.status() == TransactionMarker.Status.BEGIN
            ? new TransactionInfo(marker.id(), TransactionInfo.BEGIN, null, Map.of(), beginTs, 0)
            : new TransactionInfo(
                marker.id(),
                TransactionInfo.END,
                marker.eventCount(),
                marker.dataCollections(),
                beginTs,
                marker.tsMs());
    // A BEGIN repeated after a connector restart must not reopen an ended transaction.
    if (known != null && known.ended() && !info.ended()) {
      return;
    }
    store.put(marker.id(), info);
    maybePrune(record.timestamp());
  }

  private void maybePrune(long nowMs) {
    if (lastPruneMs != Long.MIN_VALUE && nowMs - lastPruneMs < retentionMs / 24) {
      return;
    }
    lastPruneMs = nowMs;
    long cutoff = nowMs - retentionMs;
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, TransactionInfo> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, TransactionInfo> entry = all.next();
        if (Math.max(entry.value.beginTsMs(), entry.value.endTsMs()) < cutoff) {
          expired.add(entry.key);
        }
      }
    }
    expired.forEach(store::delete);
    if (!expired.isEmpty()) {
      LOG.debug("Pruned {} transactions older than {} ms", expired.size(), retentionMs);
    }
  }
}
