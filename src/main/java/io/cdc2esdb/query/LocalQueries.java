package io.cdc2esdb.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.sink.StreamPosition;
import io.cdc2esdb.topology.CdcTopology;
import io.cdc2esdb.txn.PendingEvent;
import io.cdc2esdb.txn.TransactionInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What this instance's own stores say: the active tasks' {@code stream-positions} and {@code
 * pending}, the global {@code transactions}. Each read goes partition by partition, so an answer
 * names the partition (and task) it came from; standby copies are never read.
 */
final class LocalQueries {

  /** Past this many entries a task's pending count is reported as a lower bound. */
  static final int PENDING_COUNT_LIMIT = 100_000;

  private final KafkaStreams streams;
  private final HostInfo self;
  private final long transactionMaxWaitMs;

  LocalQueries(KafkaStreams streams, HostInfo self, long transactionMaxWaitMs) {
    this.streams = streams;
    this.self = self;
    this.transactionMaxWaitMs = transactionMaxWaitMs;
  }

  /** The stream's entry, if an active task of this instance has it. */
  Optional<ObjectNode> stream(String name) {
    for (int partition : localPartitions(CdcTopology.POSITIONS_STORE)) {
      StreamPosition position = positions(partition).get(name);
      if (position != null) {
        return Optional.of(streamJson(name, position, partition));
      }
    }
    return Optional.empty();
  }

  /** Up to {@code limit} streams named {@code prefix...} and after {@code after}, by name. */
  List<ObjectNode> streams(String prefix, String after, int limit) {
    TreeMap<String, ObjectNode> found = new TreeMap<>();
    for (int partition : localPartitions(CdcTopology.POSITIONS_STORE)) {
      int taken = 0;
      try (KeyValueIterator<String, StreamPosition> it =
          positions(partition).prefixScan(prefix, Serdes.String().serializer())) {
        while (it.hasNext() && taken < limit) {
          KeyValue<String, StreamPosition> entry = it.next();
          if (after == null || entry.key.compareTo(after) > 0) {
            found.put(entry.key, streamJson(entry.key, entry.value, partition));
            taken++;
          }
        }
      }
    }
    return found.values().stream().limit(limit).toList();
  }

  /** One entry per active task: its backlog, the change at its head and why that waits. */
  List<ObjectNode> pending(long nowMs) {
    List<ObjectNode> tasks = new ArrayList<>();
    ReadOnlyKeyValueStore<String, TransactionInfo> transactions = transactions();
    for (int partition : localPartitions(CdcTopology.PENDING_STORE)) {
      ReadOnlyKeyValueStore<Long, PendingEvent> store =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                      CdcTopology.PENDING_STORE,
                      QueryableStoreTypes.<Long, PendingEvent>keyValueStore())
                  .withPartition(partition));
      ObjectNode task =
          Json.object()
              .put("task", taskId(CdcTopology.PENDING_STORE, partition))
              .put("partition", partition)
              .put("instance", QueryApi.address(self));
      long count = 0;
      try (KeyValueIterator<Long, PendingEvent> it = store.all()) {
        while (it.hasNext() && count < PENDING_COUNT_LIMIT) {
          KeyValue<Long, PendingEvent> entry = it.next();
          if (count++ == 0) {
            task.set("head", head(entry.key, entry.value, transactions, nowMs));
            task.put("oldestAgeMs", Math.max(0, nowMs - entry.value.bufferedAtMs()));
          }
        }
      }
      task.put("events", count);
      task.put("countComplete", count < PENDING_COUNT_LIMIT);
      if (count == 0) {
        task.put("oldestAgeMs", 0);
        task.putNull("head");
      }
      tasks.add(task);
    }
    return tasks;
  }

  private ObjectNode head(
      long sequence,
      PendingEvent event,
      ReadOnlyKeyValueStore<String, TransactionInfo> transactions,
      long nowMs) {
    String txId = event.event().transactionId();
    ObjectNode head =
        Json.object()
            .put("sequence", sequence)
            .put("stream", event.stream())
            .put("transaction", txId)
            .put("bufferedAt", iso(event.bufferedAtMs()));
    TransactionInfo info = txId == null ? null : transactions.get(txId);
    long releaseBy = event.bufferedAtMs() + transactionMaxWaitMs;
    if (txId == null) {
      head.put("waitsFor", "nothing: no transaction, goes with the next flush");
    } else if (info != null && info.ended()) {
      head.put("waitsFor", "nothing: END seen, goes with the next flush");
    } else if (nowMs >= releaseBy) {
      head.put("waitsFor", "nothing: wait bound passed, released without END at the next flush");
    } else {
      head.put("waitsFor", "END of its transaction (not seen yet)");
      head.put("releasedWithoutEndAt", iso(releaseBy));
    }
    head.put("transactionStatus", info == null ? null : info.status());
    return head;
  }

  /** The global store's entry for {@code id}: every instance has all of it. */
  Optional<TransactionInfo> transaction(String id) {
    return Optional.ofNullable(transactions().get(id));
  }

  /** This instance's state and, per stream thread, its active and standby tasks. */
  ObjectNode instance() {
    ObjectNode node =
        Json.object().put("instance", QueryApi.address(self)).put("state", streams.state().name());
    ArrayNode threads = node.putArray("threads");
    for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
      ObjectNode t = threads.addObject().put("name", thread.threadName());
      t.put("state", thread.threadState());
      tasksJson(t.putArray("activeTasks"), thread.activeTasks());
      tasksJson(t.putArray("standbyTasks"), thread.standbyTasks());
    }
    return node;
  }

  private static void tasksJson(ArrayNode array, Set<TaskMetadata> tasks) {
    tasks.stream()
        .sorted((a, b) -> a.taskId().compareTo(b.taskId()))
        .forEach(
            task -> {
              ObjectNode t = array.addObject().put("task", task.taskId().toString());
              ArrayNode partitions = t.putArray("partitions");
              new TreeSet<>(task.topicPartitions().stream().map(TopicPartition::toString).toList())
                  .forEach(partitions::add);
            });
  }

  private ReadOnlyKeyValueStore<String, StreamPosition> positions(int partition) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(
                CdcTopology.POSITIONS_STORE,
                QueryableStoreTypes.<String, StreamPosition>keyValueStore())
            .withPartition(partition));
  }

  private ReadOnlyKeyValueStore<String, TransactionInfo> transactions() {
    return streams.store(
        StoreQueryParameters.fromNameAndType(
            CdcTopology.TRANSACTIONS_STORE,
            QueryableStoreTypes.<String, TransactionInfo>keyValueStore()));
  }

  /** The partitions whose active task here holds {@code store}. */
  Set<Integer> localPartitions(String store) {
    for (StreamsMetadata metadata : streams.streamsMetadataForStore(store)) {
      if (metadata.hostInfo().equals(self)) {
        Set<Integer> partitions = new TreeSet<>();
        metadata.topicPartitions().forEach(tp -> partitions.add(tp.partition()));
        return partitions;
      }
    }
    if (!streams.state().isRunningOrRebalancing()) {
      throw new InvalidStateStoreException("Kafka Streams is " + streams.state());
    }
    return Set.of();
  }

  private String taskId(String store, int partition) {
    Set<TopicPartition> storePartitions = Set.of();
    for (StreamsMetadata metadata : streams.streamsMetadataForStore(store)) {
      if (metadata.hostInfo().equals(self)) {
        storePartitions = metadata.topicPartitions();
      }
    }
    for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
      for (TaskMetadata task : thread.activeTasks()) {
        if (task.taskId().partition() == partition
            && task.topicPartitions().stream().anyMatch(storePartitions::contains)) {
          return task.taskId().toString();
        }
      }
    }
    return "?_" + partition;
  }

  private ObjectNode streamJson(String name, StreamPosition position, int partition) {
    ObjectNode node = Json.object().put("stream", name);
    node.put("lastRevision", position.lastRevision());
    if (position.lastRevision() < 0) {
      node.put("nextExpectedRevision", "no_stream");
    } else {
      node.put("nextExpectedRevision", position.lastRevision());
    }
    node.set("lastSourcePosition", Json.MAPPER.valueToTree(position.lastSource()));
    node.put("lastEventId", position.lastEventId());
    node.put("lastTransaction", position.lastTransaction());
    node.put("eventsWritten", position.eventsWritten());
    node.put("updatedAt", iso(position.updatedAtMs()));
    node.put("partition", partition);
    node.put("task", taskId(CdcTopology.POSITIONS_STORE, partition));
    node.put("instance", QueryApi.address(self));
    return node;
  }

  static String iso(long epochMs) {
    return Instant.ofEpochMilli(epochMs).toString();
  }
}
