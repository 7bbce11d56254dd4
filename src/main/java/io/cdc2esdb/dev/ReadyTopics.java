package io.cdc2esdb.dev;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates topics and returns only once the broker serves every partition. A producer that writes to
 * a partition the broker has not opened yet, with several requests in flight, can see a later batch
 * accepted before an earlier one is retried; the idempotent producer then retries the earlier one
 * forever with OUT_OF_ORDER_SEQUENCE_NUMBER (KAFKA-15591). Debezium's burst of snapshot records to
 * brand-new topics hits exactly that, so whatever creates topics here waits until they are served.
 */
public final class ReadyTopics {

  private static final long POLL_MS = 50;

  private ReadyTopics() {}

  /** Creates each missing topic with that many partitions, then waits until all are served. */
  public static void create(String bootstrapServers, Map<String, Integer> partitionsByTopic) {
    Properties props = new Properties();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      List<NewTopic> topics =
          partitionsByTopic.entrySet().stream()
              .map(e -> new NewTopic(e.getKey(), Optional.of(e.getValue()), Optional.empty()))
              .toList();
      for (var created : admin.createTopics(topics).values().values()) {
        try {
          created.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topics: " + e.getCause(), e);
          }
        }
      }
      awaitServed(admin, partitionsByTopic, Duration.ofSeconds(30));
    } catch (TimeoutException e) {
      throw new IllegalStateException("the broker did not create the topics within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  /**
   * Waits until the broker serves every partition of {@code topics}, which must exist (or have just
   * been created: the broker's metadata may not know a new topic yet, which is waited out).
   */
  public static void awaitServed(Admin admin, Collection<String> topics, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      Map<String, Integer> partitions = new HashMap<>();
      while (true) {
        try {
          admin
              .describeTopics(topics)
              .allTopicNames()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .forEach(
                  (name, description) -> partitions.put(name, description.partitions().size()));
          break;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
              || System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(POLL_MS);
        }
      }
      awaitServed(admin, partitions, timeout);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe topics " + topics + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for topics", e);
    }
  }

  // Listing a partition's offsets is answered by its leader only: success means it is open.
  private static void awaitServed(
      Admin admin, Map<String, Integer> partitionsByTopic, Duration timeout)
      throws InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitionsByTopic.forEach(
        (topic, count) -> {
          for (int p = 0; p < count; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
          }
        });
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        admin.listOffsets(request).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topics not served within " + timeout, e.getCause());
        }
        Thread.sleep(POLL_MS);
      }
    }
  }
}
