package io.cdc2esdb.dev.faults;

import io.cdc2esdb.dev.bench.DebeziumShape;
import io.cdc2esdb.dev.bench.Workload;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The fault suite's input with Debezium's transaction metadata: the benchmark's {@link Workload}
 * (transactions of 1 to 10 rows, inserts, updates, deletes with their tombstones) rendered by
 * {@link DebeziumShape} (BEGIN and END on {@code <prefix>.transaction}, a {@code transaction} block
 * in every change), produced at a steady rate on the caller's thread. At chosen moments a
 * transaction of several rows is cut in two: BEGIN and its first rows are sent and acknowledged,
 * then the fault runs, then the rest of its rows and END follow, as when a connector streams a
 * large transaction while cdc2esdb crashes.
 */
final class TransactionLoad implements AutoCloseable {

  /** What runs between the halves of a cut transaction. */
  interface Midway {
    void run() throws InterruptedException;
  }

  /** The smallest transaction that is cut: at least two rows on either side of the cut. */
  static final int CUT_MIN_ROWS = 4;

  private final KafkaProducer<byte[], byte[]> producer;
  private final DebeziumShape shape;
  private final Workload workload;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  TransactionLoad(String bootstrapServers, String prefix, Workload.Spec spec) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.shape = new DebeziumShape(prefix, 400, UUID.randomUUID().toString());
    this.workload = new Workload(spec);
  }

  String topic() {
    return shape.tableTopic();
  }

  String transactionTopic() {
    return shape.transactionTopic();
  }

  /**
   * Produces the whole workload at about {@code perSecond} change events; {@code cuts} times,
   * evenly spread, the next transaction of at least {@link #CUT_MIN_ROWS} rows is cut and {@code
   * midway} runs between its halves (the time it takes does not count against the rate). Returns
   * how many transactions were cut.
   */
  int run(int perSecond, int cuts, Midway midway) throws InterruptedException {
    long events = workload.spec().events();
    long started = System.nanoTime();
    long paused = 0;
    long sent = 0;
    int cut = 0;
    while (workload.hasNext()) {
      long due = started + paused + sent * 1_000_000_000L / perSecond;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      Workload.Transaction txn = workload.next();
      List<ProducerRecord<byte[], byte[]>> records = shape.records(txn, System.currentTimeMillis());
      boolean cutHere =
          cut < cuts
              && txn.changes().size() >= CUT_MIN_ROWS
              && sent >= (cut + 1) * events / (cuts + 1);
      if (cutHere) {
        int at = cutIndex(records, txn.changes().size() / 2);
        send(records.subList(0, at));
        producer.flush();
        check();
        long before = System.nanoTime();
        midway.run();
        paused += System.nanoTime() - before;
        send(records.subList(at, records.size()));
        cut++;
      } else {
        send(records);
      }
      sent += txn.changes().size();
    }
    producer.flush();
    check();
    return cut;
  }

  /** The index after the {@code rows}-th change (and its tombstone): BEGIN is at 0. */
  private int cutIndex(List<ProducerRecord<byte[], byte[]>> records, int rows) {
    int changes = 0;
    for (int i = 1; i < records.size() - 1; i++) {
      if (records.get(i).value() != null) {
        changes++;
      }
      boolean tombstoneNext = i + 1 < records.size() - 1 && records.get(i + 1).value() == null;
      if (changes == rows && !tombstoneNext) {
        return i + 1;
      }
    }
    throw new IllegalStateException("a transaction of " + rows * 2 + "+ rows has no middle");
  }

  private void send(List<ProducerRecord<byte[], byte[]>> records) {
    for (ProducerRecord<byte[], byte[]> record : records) {
      producer.send(
          record,
          (meta, error) -> {
            if (error != null) {
              failure.compareAndSet(null, error);
            }
          });
    }
  }

  private void check() {
    if (failure.get() != null) {
      throw new IllegalStateException("producing the load failed", failure.get());
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
