package io.cdc2esdb.dev;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The engine's consumer: produces each batch to Kafka and marks it processed only once the broker
 * acknowledged all of it, so the engine's offsets never run ahead of the broker.
 *
 * <p>A topic is created before its first record, with the broker's default partitions and
 * replication, as a Connect worker with topic creation would: relying on auto-creation instead
 * makes every new topic's first send log a warning.
 */
final class KafkaChangeProducer
    implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>>, AutoCloseable {

  private static final long TIMEOUT_SECONDS = 60;

  private final KafkaProducer<byte[], byte[]> producer;
  private final Admin admin;
  private final ConnectRecordConverter converter;
  private final Set<String> topics = new HashSet<>();
  private final AtomicLong produced = new AtomicLong();

  KafkaChangeProducer(String bootstrapServers, String clientId, boolean schemasEnabled) {
    Properties common = new Properties();
    common.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    common.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    Properties p = new Properties();
    p.putAll(common);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    // What a Connect worker guarantees: every record acknowledged by all replicas, in order.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.putAll(EmbeddedKafka.largeRecordProducerSettings());
    this.producer = new KafkaProducer<>(p);
    this.admin = Admin.create(common);
    this.converter = new ConnectRecordConverter(schemasEnabled);
  }

  @Override
  public void handleBatch(
      List<RecordChangeEvent<SourceRecord>> batch,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(batch.size());
    for (RecordChangeEvent<SourceRecord> event : batch) {
      records.add(converter.toProducerRecord(event.record()));
    }
    createMissingTopics(records);
    List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
    for (ProducerRecord<byte[], byte[]> record : records) {
      sends.add(producer.send(record));
    }
    for (Future<RecordMetadata> send : sends) {
      await(send, "producing to Kafka");
    }
    for (RecordChangeEvent<SourceRecord> event : batch) {
      committer.markProcessed(event);
    }
    committer.markBatchFinished();
    produced.addAndGet(batch.size());
  }

  long produced() {
    return produced.get();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(TIMEOUT_SECONDS));
    admin.close(Duration.ofSeconds(TIMEOUT_SECONDS));
    converter.close();
  }

  private void createMissingTopics(List<ProducerRecord<byte[], byte[]>> records)
      throws InterruptedException {
    List<NewTopic> missing = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> record : records) {
      if (topics.add(record.topic())) {
        missing.add(new NewTopic(record.topic(), Optional.empty(), Optional.empty()));
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    for (var created : admin.createTopics(missing).values().entrySet()) {
      try {
        await(created.getValue(), "creating topic " + created.getKey());
      } catch (DebeziumEngineException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
    ReadyTopics.awaitServed(
        admin, missing.stream().map(NewTopic::name).toList(), Duration.ofSeconds(TIMEOUT_SECONDS));
  }

  private static <T> T await(Future<T> future, String what) throws InterruptedException {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new DebeziumEngineException(what + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new DebeziumEngineException(what + " timed out", e);
    }
  }
}
