package io.cdc2esdb.dev;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces a capture back into Kafka: every record to its own topic and partition, in capture
 * order, so per-partition order (and so per-row order) is what it was when captured.
 */
public final class CaptureReplayer {

  private static final long TIMEOUT_SECONDS = 60;

  private CaptureReplayer() {}

  /**
   * Creates the topics (or adds partitions) so that every record's partition exists, then produces
   * the records and waits for the broker to acknowledge them all.
   *
   * @return the number of records produced
   */
  public static int replay(String bootstrapServers, Collection<CaptureRecord> records) {
    ensurePartitions(bootstrapServers, partitionsNeeded(records));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerProperties(bootstrapServers))) {
      List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
      for (CaptureRecord record : records) {
        sends.add(producer.send(KafkaCaptures.toProducerRecord(record)));
      }
      producer.flush();
      for (Future<RecordMetadata> send : sends) {
        send.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      return sends.size();
    } catch (ExecutionException e) {
      throw new IllegalStateException("replaying the capture failed: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the broker did not acknowledge the capture in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while replaying a capture", e);
    }
  }

  /** Topic -> partition count: one more than the highest partition a record names. */
  static Map<String, Integer> partitionsNeeded(Collection<CaptureRecord> records) {
    Map<String, Integer> needed = new TreeMap<>();
    for (CaptureRecord record : records) {
      needed.merge(record.topic(), record.partition() + 1, Math::max);
    }
    return needed;
  }

  private static void ensurePartitions(String bootstrapServers, Map<String, Integer> needed) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<NewTopic> create = new ArrayList<>();
      needed.forEach(
          (topic, partitions) -> {
            if (!existing.contains(topic)) {
              create.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
            }
          });
      admin.createTopics(create).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

      Map<String, NewPartitions> grow = new TreeMap<>();
      Map<String, TopicDescription> present =
          admin
              .describeTopics(existing.stream().filter(needed::containsKey).toList())
              .allTopicNames()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      present.forEach(
          (topic, description) -> {
            if (description.partitions().size() < needed.get(topic)) {
              grow.put(topic, NewPartitions.increaseTo(needed.get(topic)));
            }
          });
      admin.createPartitions(grow).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      ReadyTopics.awaitServed(admin, needed.keySet(), Duration.ofSeconds(TIMEOUT_SECONDS));
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot prepare the capture's topics: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the broker did not answer in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  private static Properties producerProperties(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // Idempotence keeps retried batches in order; large batches make big captures quick.
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.putAll(EmbeddedKafka.largeRecordProducerSettings());
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
    return p;
  }
}
