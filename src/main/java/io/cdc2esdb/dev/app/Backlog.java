package io.cdc2esdb.dev.app;

import io.cdc2esdb.sink.StreamPosition;
import io.cdc2esdb.topology.CdcTopology;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * How far cdc2esdb is from having written everything the broker holds. Two facts together say it is
 * done: the application's committed offsets have reached the end of every data topic (so every
 * record was processed, and with exactly-once its state committed), and the {@code pending} buffer
 * is empty (so every processed change was appended: nothing leaves it before EventStoreDB
 * acknowledged it). Either alone is not enough: offsets move as soon as changes are buffered, and
 * an empty buffer says nothing about records not yet polled.
 */
public final class Backlog implements AutoCloseable {

  private static final long TIMEOUT_SECONDS = 10;
  // Data topics: an open transaction's records are not there to read yet.
  private static final IsolationLevel COMMITTED = IsolationLevel.READ_COMMITTED;
  private static final IsolationLevel UNCOMMITTED = IsolationLevel.READ_UNCOMMITTED;

  /**
   * @param read data records processed (committed offsets past the start of each partition)
   * @param behind data records not processed yet
   * @param pending changes processed but not yet written; -1 while the store cannot be queried
   * @param written events appended, from each stream's count in {@code stream-positions}; -1 while
   *     the store cannot be queried
   * @param deadLettersOpen whether dead letters are in a transaction not committed yet (then a
   *     reader of the topic would not see them)
   */
  public record Progress(
      long read, long behind, long pending, long written, boolean deadLettersOpen) {
    public boolean caughtUp() {
      return behind == 0 && pending == 0 && !deadLettersOpen;
    }
  }

  private final Admin admin;
  private final String groupId;
  private final Pattern dataTopics;
  private final String deadLetterTopic;
  private final List<KafkaStreams> instances;

  Backlog(
      String bootstrapServers,
      String groupId,
      Pattern dataTopics,
      String deadLetterTopic,
      List<KafkaStreams> instances) {
    Properties props = new Properties();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.admin = Admin.create(props);
    this.groupId = groupId;
    this.dataTopics = dataTopics;
    this.deadLetterTopic = deadLetterTopic;
    this.instances = List.copyOf(instances);
  }

  Progress measure() {
    List<TopicPartition> partitions = dataPartitions();
    Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest(), COMMITTED);
    Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest(), COMMITTED);
    // The last committed offsets: an exactly-once commit still in flight does not count yet.
    Map<TopicPartition, OffsetAndMetadata> committed =
        get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
    long read = 0;
    long behind = 0;
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata offset = committed.get(partition);
      long position = offset == null ? start.get(partition) : offset.offset();
      read += Math.max(0, position - start.get(partition));
      behind += Math.max(0, end.get(partition) - position);
    }
    if (partitions.isEmpty()) {
      // No data topic seen (yet, or in a moment when the broker's answer lacked it): that proves
      // nothing is left, so this is not "caught up" (pending -1: not known).
      return new Progress(0, 0, -1, -1, false);
    }
    long pending = sum(CdcTopology.PENDING_STORE, value -> 1);
    long written =
        sum(CdcTopology.POSITIONS_STORE, value -> ((StreamPosition) value).eventsWritten());
    return new Progress(read, behind, pending, written, deadLettersOpen());
  }

  // An open transaction holds the last stable offset below the end.
  private boolean deadLettersOpen() {
    List<TopicPartition> partitions =
        get(admin.describeTopics(List.of(deadLetterTopic)).allTopicNames()).values().stream()
            .flatMap(
                d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
            .toList();
    Map<TopicPartition, Long> stable = offsets(partitions, OffsetSpec.latest(), COMMITTED);
    Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest(), UNCOMMITTED);
    return !stable.equals(end);
  }

  private List<TopicPartition> dataPartitions() {
    List<String> topics =
        get(admin.listTopics().names()).stream()
            .filter(t -> dataTopics.matcher(t).matches())
            .sorted()
            .toList();
    return get(admin.describeTopics(topics).allTopicNames()).values().stream()
        .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
        .toList();
  }

  private Map<TopicPartition, Long> offsets(
      List<TopicPartition> partitions, OffsetSpec spec, IsolationLevel isolation) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(p -> request.put(p, spec));
    Map<TopicPartition, Long> offsets = new HashMap<>();
    get(admin.listOffsets(request, new ListOffsetsOptions(isolation)).all())
        .forEach((p, info) -> offsets.put(p, info.offset()));
    return offsets;
  }

  // Counted by iterating: RocksDB's approximate count stays above zero after deletes. Each instance
  // answers for its own active tasks.
  private long sum(String storeName, ToLongFunction<Object> valueOf) {
    long sum = 0;
    for (KafkaStreams streams : instances) {
      long one = sum(streams, storeName, valueOf);
      if (one < 0) {
        return -1;
      }
      sum += one;
    }
    return sum;
  }

  private static long sum(KafkaStreams streams, String storeName, ToLongFunction<Object> valueOf) {
    try {
      boolean hasTasks =
          streams.metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty());
      if (!hasTasks) {
        // More instances than partitions: a running one may have nothing to do.
        return streams.state() == KafkaStreams.State.RUNNING ? 0 : -1;
      }
      ReadOnlyKeyValueStore<Object, Object> store =
          streams.store(
              StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.keyValueStore()));
      long sum = 0;
      try (KeyValueIterator<Object, Object> all = store.all()) {
        while (all.hasNext()) {
          sum += valueOf.applyAsLong(all.next().value);
        }
      }
      return sum;
    } catch (InvalidStateStoreException e) {
      return -1; // starting, or rebalancing: ask again later
    }
  }

  private static <T> T get(KafkaFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the broker refused a query: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the broker did not answer within 10 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while querying the broker", e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
