package io.cdc2esdb.topology;

import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.event.EventMapper;
import io.cdc2esdb.sink.AppendProcessorSupplier;
import io.cdc2esdb.sink.AppendSettings;
import io.cdc2esdb.sink.BatchAppender;
import io.cdc2esdb.sink.EventStoreWriter;
import io.cdc2esdb.txn.GroupProcessorSupplier;
import io.cdc2esdb.txn.GroupSettings;
import io.cdc2esdb.txn.TransactionsProcessor;
import io.cdc2esdb.unwrap.RekeyProcessor;
import io.cdc2esdb.unwrap.UnwrapProcessor;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;

/**
 * The one place that wires cdc2esdb's processors, stores and topics. Every name is a constant here:
 * renaming a store or a node changes the golden {@code topology-docs/topology.txt} and, for a
 * store, loses its state, so it must be a visible, reviewed change.
 *
 * <pre>
 * Sub-topology 0, global: the transactions topic feeds the global store "transactions" (BEGIN/END and event counts),
 *   read by every task to decide when a transaction is complete.
 *
 * Sub-topology 1, one task per partition of the Debezium table topics (matched by a regex):
 *   debezium-tables  raw Debezium records
 *   -> unwrap        bytes to ChangeEvent; tombstones dropped and counted; malformed -> dead-letter
 *   -> rekey         key := stream name (table + primary key); keyless rows per policy
 *   -> group         ordered "pending" buffer, released from its head when the transaction has
 *                    ended, has none, or waited transaction.max.wait.ms
 *   -> append        one append per stream with the exact expected revision and deterministic ids,
 *                    then "stream-positions" (revision + high-water mark); failures -> dead-letter
 *   -> dead-letter   the original record with __streams.errors.* headers
 * </pre>
 *
 * No repartition: Debezium partitions each table topic by primary key, so all changes of one row
 * reach one task in commit order.
 */
public final class CdcTopology {

  public static final String DATA_SOURCE = "debezium-tables";
  public static final String TRANSACTIONS_SOURCE = "debezium-transactions";
  public static final String TRANSACTIONS_PROCESSOR = "transactions-updater";
  public static final String UNWRAP = "unwrap";
  public static final String REKEY = "rekey";
  public static final String GROUP = "group";
  public static final String APPEND = "append";
  public static final String DEAD_LETTER_SINK = "dead-letter";

  public static final String TRANSACTIONS_STORE = "transactions";
  public static final String PENDING_STORE = "pending";
  public static final String POSITIONS_STORE = "stream-positions";

  private CdcTopology() {}

  /** Builds the topology; {@code writer} is shared by every task of the instance. */
  public static Topology build(CdcConfig config, EventStoreWriter writer) {
    Topics topics = Topics.from(config);
    Topology topology = new Topology();

    topology.addGlobalStore(
        TransactionsProcessor.storeBuilder(TRANSACTIONS_STORE),
        TRANSACTIONS_SOURCE,
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer(),
        topics.transactions(),
        TRANSACTIONS_PROCESSOR,
        () -> new TransactionsProcessor(TRANSACTIONS_STORE, config.transactionRetentionMs()));

    topology.addSource(
        AutoOffsetReset.earliest(),
        DATA_SOURCE,
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer(),
        topics.data());
    topology.addProcessor(UNWRAP, () -> new UnwrapProcessor(REKEY, DEAD_LETTER_SINK), DATA_SOURCE);
    topology.addProcessor(
        REKEY,
        () ->
            new RekeyProcessor(
                GROUP, DEAD_LETTER_SINK, config.streamNaming(), config.missingKeyPolicy()),
        UNWRAP);
    topology.addProcessor(
        GROUP,
        new GroupProcessorSupplier(
            new GroupSettings(
                PENDING_STORE,
                TRANSACTIONS_STORE,
                config.transactionMaxWaitMs(),
                config.flushIntervalMs(),
                config.flushMaxEvents())),
        REKEY);
    topology.addProcessor(
        APPEND,
        new AppendProcessorSupplier(
            POSITIONS_STORE,
            new EventMapper(config.eventTypes(), config.eventData()),
            new BatchAppender(writer, appenderSettings(config)),
            DEAD_LETTER_SINK),
        GROUP);
    topology.addSink(
        DEAD_LETTER_SINK,
        topics.deadLetter(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        UNWRAP,
        REKEY,
        APPEND);
    return topology;
  }

  static AppendSettings appenderSettings(CdcConfig config) {
    return new AppendSettings(
        config.esdbMaxInflightAppends(),
        Duration.ofMillis(config.esdbRetryBackoffMs()),
        Duration.ofMillis(config.esdbRetryBackoffMaxMs()),
        Duration.ofMillis(config.esdbRetryTimeoutMs()));
  }
}
