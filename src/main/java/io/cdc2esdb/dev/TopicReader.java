package io.cdc2esdb.dev;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics from their beginning without a consumer group, as capture records: to dump what a
 * run produced, or to wait in a test until it is there. Topics that do not exist yet are picked up
 * when they appear (Debezium creates a table's topic with its first record).
 */
public final class TopicReader {

  private static final Duration POLL = Duration.ofMillis(100);
  // How often to look for topics (or partitions) that appeared since the last look.
  private static final Duration LOOKUP_INTERVAL = Duration.ofMillis(500);

  private TopicReader() {}

  /**
   * Reads until {@code done} accepts everything read so far, or the timeout passes; returns what
   * was read either way, in the order each partition holds it.
   */
  public static List<CaptureRecord> readUntil(
      String bootstrapServers,
      Collection<String> topics,
      Predicate<List<CaptureRecord>> done,
      Duration timeout) {
    List<CaptureRecord> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
      Set<TopicPartition> assigned = new HashSet<>();
      long nextLookup = System.nanoTime();
      while (!done.test(records) && System.nanoTime() < deadline) {
        if (System.nanoTime() >= nextLookup) {
          assignNewPartitions(consumer, topics, assigned);
          nextLookup = System.nanoTime() + LOOKUP_INTERVAL.toNanos();
        }
        poll(consumer, assigned, records);
      }
    }
    return records;
  }

  /** Reads everything the topics hold now, up to their current end. */
  public static List<CaptureRecord> readAll(
      String bootstrapServers, Collection<String> topics, Duration timeout) {
    List<CaptureRecord> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
      Set<TopicPartition> assigned = new HashSet<>();
      assignNewPartitions(consumer, topics, assigned);
      Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
      while (!reached(consumer, end) && System.nanoTime() < deadline) {
        poll(consumer, assigned, records);
      }
    }
    return records;
  }

  // A consumer with nothing assigned refuses to poll; the topics may simply not exist yet.
  private static void poll(
      KafkaConsumer<byte[], byte[]> consumer,
      Set<TopicPartition> assigned,
      List<CaptureRecord> records) {
    if (assigned.isEmpty()) {
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for topics", e);
      }
      return;
    }
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
      records.add(KafkaCaptures.fromConsumerRecord(record));
    }
  }

  private static boolean reached(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private static void assignNewPartitions(
      KafkaConsumer<byte[], byte[]> consumer,
      Collection<String> topics,
      Set<TopicPartition> assigned) {
    Map<String, List<PartitionInfo>> existing = consumer.listTopics(Duration.ofSeconds(10));
    List<TopicPartition> fresh = new ArrayList<>();
    for (String topic : topics) {
      for (PartitionInfo info : existing.getOrDefault(topic, List.of())) {
        TopicPartition partition = new TopicPartition(topic, info.partition());
        if (assigned.add(partition)) {
          fresh.add(partition);
        }
      }
    }
    if (!fresh.isEmpty()) {
      consumer.assign(assigned);
      consumer.seekToBeginning(fresh);
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Reading must not create the topic it waits for (with the broker's default partitions).
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(p);
  }
}
