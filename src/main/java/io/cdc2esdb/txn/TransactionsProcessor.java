package io.cdc2esdb.txn;

import io.cdc2esdb.envelope.EnvelopeException;
import io.cdc2esdb.envelope.TransactionMarker;
import io.cdc2esdb.envelope.TransactionMarkerParser;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
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
  private final TransactionMarkerParser parser = new TransactionMarkerParser();
  private KeyValueStore<String, TransactionInfo> store;

  public TransactionsProcessor(String storeName) {
    this.storeName = storeName;
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
  }
}
