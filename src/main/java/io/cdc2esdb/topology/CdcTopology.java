package io.cdc2esdb.topology;

import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.event.EventMapper;
import io.cdc2esdb.event.RowDecoder;
import io.cdc2esdb.processing.DeadLetterValueSerializer;
import io.cdc2esdb.sink.AppendProcessorSupplier;
import io.cdc2esdb.sink.AppendSettings;
import io.cdc2esdb.sink.BatchAppender;
import io.cdc2esdb.sink.EventStoreWriter;
import io.cdc2esdb.txn.GroupProcessorSupplier;
import io.cdc2esdb.txn.GroupSettings;
import io.cdc2esdb.txn.TransactionsProcessor;
import io.cdc2esdb.unwrap.RekeyProcessor;
import io.cdc2esdb.unwrap.TableStructuresProcessor;
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
 * Sub-topology 2, global (event.values=natural): the schema-change topic feeds the global store
 *   "table-structures" (each table's structures by DDL position), read by unwrap for column types.
 *
 * Sub-topology 1, one task per partition of the Debezium table topics (matched by a regex):
 *   debezium-tables  raw Debezium records
 *   -> unwrap        bytes to ChangeEvent; tombstones dropped and counted; malformed -> dead-letter;
 *                    natural values decoded (record schema + "table-structures")
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
  public static final String SCHEMA_CHANGES_SOURCE = "debezium-schema-changes";
  public static final String STRUCTURES_PROCESSOR = "table-structures-updater";
  public static final String UNWRAP = "unwrap";
  public static final String REKEY = "rekey";
  public static final String GROUP = "group";
  public static final String APPEND = "append";
  public static final String DEAD_LETTER_SINK = "dead-letter";

  public static final String TRANSACTIONS_STORE = "transactions";
  public static final String PENDING_STORE = "pending";
  public static final String POSITIONS_STORE = "stream-positions";
  public static final String STRUCTURES_STORE = "table-structures";

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

    RowDecoder decoder = config.naturalValues() ? new RowDecoder(config.valueOptions()) : null;

    topology.addSource(
        AutoOffsetReset.earliest(),
        DATA_SOURCE,
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer(),
        topics.data());
    topology.addProcessor(
        UNWRAP,
        () -> new UnwrapProcessor(REKEY, DEAD_LETTER_SINK, decoder, STRUCTURES_STORE),
        DATA_SOURCE);
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
        new DeadLetterValueSerializer(config.deadLetterMaxBytes()),
        UNWRAP,
        REKEY,
        APPEND);
    // Added last, so that the data sub-topology keeps its number (and its tasks their ids).
    if (decoder != null) {
      topology.addGlobalStore(
          TableStructuresProcessor.storeBuilder(STRUCTURES_STORE),
          SCHEMA_CHANGES_SOURCE,
          new ByteArrayDeserializer(),
          new ByteArrayDeserializer(),
          topics.schemaChanges(),
          STRUCTURES_PROCESSOR,
          () -> new TableStructuresProcessor(STRUCTURES_STORE));
    }

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
