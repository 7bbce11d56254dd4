package io.cdc2esdb.dev.bench;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a {@link Workload} to Kafka in Debezium's shape ({@link DebeziumShape}): all at once
 * before a timed run ({@link #preload}), or paced at a rate with every timestamp set to the moment
 * of sending, for latency ({@link #paced}). One producer, so each transaction's BEGIN, changes and
 * END reach their partitions in that order; keys are partitioned by Kafka's default partitioner, as
 * Kafka Connect does.
 */
public final class WorkloadProducer implements AutoCloseable {

  /** What was sent: change events, Kafka records (with tombstones and markers), value bytes. */
  public record Sent(long events, long records, long bytes, long transactions, double seconds) {}

  private final KafkaProducer<byte[], byte[]> producer;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  public WorkloadProducer(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-workload");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producer = new KafkaProducer<>(p);
  }

  /**
   * Sends the whole workload as fast as the broker takes it and waits until all is acknowledged.
   */
  public Sent preload(Workload workload, DebeziumShape shape, LongSupplier clockMillis) {
    return send(workload, shape, clockMillis, 0, Duration.ZERO, () -> false);
  }

  /**
   * Sends at {@code eventsPerSecond} (whole transactions, on schedule) until the workload ends or
   * {@code limit} has passed or {@code stop} says so, each record stamped with the time it was
   * sent.
   */
  public Sent paced(
      Workload workload,
      DebeziumShape shape,
      double eventsPerSecond,
      Duration limit,
      BooleanSupplier stop) {
    return send(workload, shape, System::currentTimeMillis, eventsPerSecond, limit, stop);
  }

  private Sent send(
      Workload workload,
      DebeziumShape shape,
      LongSupplier clockMillis,
      double eventsPerSecond,
      Duration limit,
      BooleanSupplier stop) {
    long started = System.nanoTime();
    long events = 0;
    long records = 0;
    long bytes = 0;
    long transactions = 0;
    while (workload.hasNext() && !stop.getAsBoolean()) {
      if (eventsPerSecond > 0) {
        long due = started + (long) (events * 1e9 / eventsPerSecond);
        if (due - started > limit.toNanos()) {
          break;
        }
        sleepUntil(due);
      }
      Workload.Transaction txn = workload.next();
      List<ProducerRecord<byte[], byte[]>> batch = shape.records(txn, clockMillis.getAsLong());
      for (ProducerRecord<byte[], byte[]> record : batch) {
        producer.send(
            record,
            (meta, error) -> {
              if (error != null) {
                failure.compareAndSet(null, error);
              }
            });
        bytes += record.value() == null ? 0 : record.value().length;
      }
      records += batch.size();
      events += txn.changes().size();
      transactions++;
      if (failure.get() != null) {
        break;
      }
    }
    producer.flush();
    if (failure.get() != null) {
      throw new IllegalStateException("the workload could not be sent", failure.get());
    }
    return new Sent(events, records, bytes, transactions, (System.nanoTime() - started) / 1e9);
  }

  private static void sleepUntil(long dueNanos) {
    long wait = dueNanos - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
