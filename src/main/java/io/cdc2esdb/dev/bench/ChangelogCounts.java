package io.cdc2esdb.dev.bench;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How many records a cdc2esdb run wrote to the changelogs of its two task stores: the sum of each
 * changelog's end offsets after the run. Offsets count what was written, before the broker's log
 * cleaner compacts it, and include the transactions' commit markers (one per partition and commit,
 * a few per thousand events here). It shows the broker's share of a change that the subject's CPU
 * does not.
 *
 * @param pending records written to the {@code pending} changelog
 * @param positions records written to the {@code stream-positions} changelog
 */
public record ChangelogCounts(long pending, long positions) {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** The end offsets of both changelogs of application {@code applicationId}. */
  static ChangelogCounts read(String bootstrapServers, String applicationId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      return new ChangelogCounts(
          written(consumer, applicationId + "-pending-changelog"),
          written(consumer, applicationId + "-stream-positions-changelog"));
    }
  }

  /** The sum of {@code topic}'s end offsets, or 0 if it does not exist. */
  private static long written(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, TIMEOUT).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    return consumer.endOffsets(partitions, TIMEOUT).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }
}
