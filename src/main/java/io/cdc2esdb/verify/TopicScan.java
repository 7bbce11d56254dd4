package io.cdc2esdb.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics from their start (or a point in time) up to their end as it was when the scan began,
 * one record at a time, without a consumer group: nothing is committed, nothing of the
 * application's is touched. Only committed records are read, as Kafka Streams' exactly-once output
 * (dead letters, changelogs) is transactional.
 */
final class TopicScan implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(500);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Duration timeout;

  TopicScan(Properties clientProperties, Duration timeout) {
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.timeout = timeout;
  }

  /** The topics that exist and match {@code pattern}, sorted. */
  List<String> topics(Pattern pattern) {
    List<String> topics = new ArrayList<>();
    for (String topic : consumer.listTopics(timeout).keySet()) {
      if (pattern.matcher(topic).matches()) {
        topics.add(topic);
      }
    }
    topics.sort(null);
    return topics;
  }

  boolean exists(String topic) {
    return consumer.listTopics(timeout).containsKey(topic);
  }

  /** A scan of {@code topics} fixed at their current end offsets. */
  Range range(Collection<String> topics, Instant from) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos != null) {
        infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
      }
    }
    Map<TopicPartition, Long> start = new HashMap<>(consumer.beginningOffsets(partitions, timeout));
    if (from != null) {
      Map<TopicPartition, Long> times = new HashMap<>();
      partitions.forEach(p -> times.put(p, from.toEpochMilli()));
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
      for (Map.Entry<TopicPartition, OffsetAndTimestamp> e :
          consumer.offsetsForTimes(times, timeout).entrySet()) {
        start.put(e.getKey(), e.getValue() == null ? ends.get(e.getKey()) : e.getValue().offset());
      }
    }
    return new Range(start, consumer.endOffsets(partitions, timeout));
  }

  /** Start and end offset of each partition. */
  record Range(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {
    long records() {
      long total = 0;
      for (var e : end.entrySet()) {
        total += Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), e.getValue()));
      }
      return total;
    }
  }

  /**
   * Calls {@code onRecord} for every record of {@code range}, partition by partition in offset
   * order, and {@code onAdvance} with how many offsets each poll moved past.
   */
  void read(
      Range range, Consumer<ConsumerRecord<byte[], byte[]>> onRecord, LongConsumer onAdvance) {
    List<TopicPartition> open = new ArrayList<>();
    range
        .end()
        .forEach(
            (p, end) -> {
              if (end > range.start().get(p)) {
                open.add(p);
              }
            });
    if (open.isEmpty()) {
      return;
    }
    consumer.assign(open);
    open.forEach(p -> consumer.seek(p, range.start().get(p)));
    Map<TopicPartition, Long> positions = new HashMap<>(range.start());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!open.isEmpty()) {
      var records = consumer.poll(POLL);
      for (ConsumerRecord<byte[], byte[]> record : records) {
        TopicPartition p = new TopicPartition(record.topic(), record.partition());
        if (record.offset() < range.end().get(p)) {
          onRecord.accept(record);
        }
      }
      long advanced = 0;
      for (var it = open.iterator(); it.hasNext(); ) {
        TopicPartition p = it.next();
        long position = Math.min(consumer.position(p), range.end().get(p));
        advanced += position - positions.get(p);
        positions.put(p, position);
        if (position >= range.end().get(p)) {
          it.remove();
          consumer.pause(List.of(p));
        }
      }
      onAdvance.accept(advanced);
      if (advanced > 0 || !records.isEmpty()) {
        deadline = System.nanoTime() + timeout.toNanos();
      } else if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "reading " + open + " made no progress for " + timeout.toSeconds() + " s");
      }
    }
    consumer.unsubscribe();
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
