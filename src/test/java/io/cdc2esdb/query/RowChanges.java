package io.cdc2esdb.query;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Debezium-shaped changes of one table {@code inv.t} (key {@code {"id":N}}, no transaction
 * metadata) produced the way Kafka Connect does: partitioned by the key's bytes. Row {@code id}'s
 * version {@code v} carries {@code after.v = v}, so a stream's history must read 1, 2, 3, ...
 */
final class RowChanges implements AutoCloseable {

  static final String PREFIX = "db";
  static final String TOPIC = "db.inv.t";

  private final KafkaProducer<byte[], byte[]> producer;
  private final AtomicLong position = new AtomicLong(1000);

  RowChanges(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  static String stream(int id) {
    return "t-" + id;
  }

  static byte[] key(int id) {
    return ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
  }

  /** Version {@code version} of row {@code id}: an insert for 1, an update after that. */
  void send(int id, int version) {
    long pos = position.incrementAndGet();
    String before = version == 1 ? "null" : "{\"id\":" + id + ",\"v\":" + (version - 1) + "}";
    String value =
        "{\"before\":"
            + before
            + ",\"after\":{\"id\":"
            + id
            + ",\"v\":"
            + version
            + "},\"op\":\""
            + (version == 1 ? "c" : "u")
            + "\",\"ts_ms\":1,\"transaction\":null,\"source\":{\"connector\":\"mariadb\","
            + "\"name\":\"db\",\"server_id\":1,\"db\":\"inv\",\"table\":\"t\","
            + "\"file\":\"mariadb-bin.000001\",\"pos\":"
            + pos
            + ",\"row\":0,\"snapshot\":\"false\",\"ts_ms\":1}}";
    producer.send(new ProducerRecord<>(TOPIC, key(id), value.getBytes(StandardCharsets.UTF_8)));
  }

  /** Versions {@code from..to} of rows {@code 1..rows}, version by version. */
  void sendVersions(int rows, int from, int to) {
    for (int v = from; v <= to; v++) {
      for (int id = 1; id <= rows; id++) {
        send(id, v);
      }
    }
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
