package io.cdc2esdb.dev.faults;

import io.cdc2esdb.envelope.Json;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The fault suite's input: Debezium MariaDB change envelopes (JSON, no schema wrapper) for the rows
 * of one table, an insert then updates per row, binlog positions strictly increasing, produced at a
 * steady rate on a background thread; with poison records of every malformed kind spread evenly
 * among them. Replays a slice under new offsets on demand, as Debezium does after a connector
 * crash.
 */
final class FaultLoad implements AutoCloseable {

  /** Every malformed kind, one after the other. */
  static final String[] POISON_KINDS = {
    "malformed-json",
    "not-an-object",
    "missing-field",
    "unknown-op",
    "key-not-an-object",
    "missing-key"
  };

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final String table;
  private final int rows;
  private final AtomicLong produced = new AtomicLong();
  private Thread thread;
  private volatile Throwable failure;

  FaultLoad(String bootstrapServers, String prefix, String table, int rows) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = prefix + ".shop." + table;
    this.table = table;
    this.rows = rows;
  }

  String topic() {
    return topic;
  }

  long produced() {
    return produced.get();
  }

  /** Produces {@code changes} changes and {@code poison} poison records at {@code perSecond}. */
  void start(long changes, int poison, int perSecond) {
    long every = poison == 0 ? Long.MAX_VALUE : Math.max(1, changes / poison);
    thread =
        new Thread(
            () -> {
              try {
                long started = System.nanoTime();
                int poisoned = 0;
                for (long i = 0; i < changes; i++) {
                  send(change(i));
                  if (poisoned < poison && i % every == every - 1) {
                    send(poison(poisoned++));
                  }
                  long due = started + (i + 1) * 1_000_000_000L / perSecond;
                  long wait = due - System.nanoTime();
                  if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                  }
                }
                while (poisoned < poison) {
                  send(poison(poisoned++));
                }
                producer.flush();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                failure = e;
              }
            },
            "fault-load-" + table);
    thread.start();
  }

  /** Waits until everything is produced. */
  void await() throws InterruptedException {
    thread.join();
    if (failure != null) {
      throw new IllegalStateException("producing the load failed: " + failure, failure);
    }
  }

  private long changesSent;

  private ProducerRecord<byte[], byte[]> change(long i) {
    long row = i % rows;
    changesSent = Math.max(changesSent, i + 1);
    return record(key(row), envelope(row, i < rows ? "c" : "u", i / rows, 4 + i * 10));
  }

  private static String key(long row) {
    return "{\"id\":" + row + "}";
  }

  private String envelope(long row, String op, long version, long pos) {
    var after = Json.object().put("id", row).put("version", version).put("note", "at " + pos);
    var source =
        Json.object()
            .put("version", "3.5.0.Final")
            .put("connector", "mariadb")
            .put("name", "faults")
            .put("ts_ms", System.currentTimeMillis())
            .put("snapshot", "false")
            .put("db", "shop")
            .put("table", table)
            .put("server_id", 1)
            .put("file", "mariadb-bin.000001")
            .put("pos", pos)
            .put("row", 0);
    var value = Json.object();
    value.putNull("before");
    value.set("after", after);
    value.set("source", source);
    value.put("op", op).put("ts_ms", System.currentTimeMillis());
    value.putNull("transaction");
    return Json.text(value);
  }

  private ProducerRecord<byte[], byte[]> poison(int n) {
    long row = n % rows;
    return switch (POISON_KINDS[n % POISON_KINDS.length]) {
      case "malformed-json" -> record(key(row), "{\"op\":\"c\", not json");
      case "not-an-object" -> record(key(row), "[1,2,3]");
      case "missing-field" -> record(key(row), "{\"op\":\"u\",\"after\":{\"id\":" + row + "}}");
      case "unknown-op" -> record(key(row), envelope(row, "x", -1, 1));
      case "key-not-an-object" -> record("42", envelope(row, "u", -1, 1));
      default -> record(null, envelope(row, "u", -1, 1)); // missing-key
    };
  }

  /**
   * Produces the last {@code count} changes again, identical (rows, ops, binlog positions) under
   * new offsets, as Debezium does after a connector crash.
   */
  long redeliver(long count) {
    long end = changesSent;
    long first = Math.max(0, end - count);
    for (long i = first; i < end; i++) {
      send(change(i));
    }
    producer.flush();
    return end - first;
  }

  private ProducerRecord<byte[], byte[]> record(String key, String value) {
    return new ProducerRecord<>(
        topic,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8));
  }

  private void send(ProducerRecord<byte[], byte[]> record) {
    producer.send(record);
    produced.incrementAndGet();
  }

  @Override
  public void close() {
    producer.close();
  }
}
