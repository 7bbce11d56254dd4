package io.cdc2esdb.app;

import io.cdc2esdb.config.CdcConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What {@code run} makes sure of before it starts Kafka Streams, each within {@code
 * startup.timeout.ms}: the cluster answers; the transaction topic exists (the global store cannot
 * start without it, and Kafka Streams would retry for minutes); the dead-letter topic exists, or is
 * created like the source topics (otherwise the first bad record would fail its task again and
 * again); and whether any data topic exists yet (if not: a warning, since Debezium creates a
 * table's topic with its first change, and Kafka Streams subscribes to the pattern).
 */
final class StartupCheck {

  /** Topic settings copied from a source topic to a dead-letter topic created here. */
  private static final Set<String> COPIED_CONFIGS =
      Set.of(
          TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
          TopicConfig.RETENTION_MS_CONFIG);

  private static final Duration POLL = Duration.ofMillis(100);

  /** A check that failed: one line for the operator, and the exit code that goes with it. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    Failure(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }

    int exitCode() {
      return exitCode;
    }
  }

  /** What the checks found: lines to log at INFO and at WARN. */
  record Outcome(List<String> notes, List<String> warnings) {}

  private final CdcConfig config;
  private final Properties streams;
  private final BooleanSupplier stopRequested;
  private final long deadlineNanos;

  private StartupCheck(CdcConfig config, Properties streams, BooleanSupplier stopRequested) {
    this.config = config;
    this.streams = streams;
    this.stopRequested = stopRequested;
    this.deadlineNanos = System.nanoTime() + config.startupTimeoutMs() * 1_000_000L;
  }

  /**
   * Runs the checks.
   *
   * @throws Failure naming what is wrong; {@link ExitCodes#STOPPED} when a stop was requested
   */
  static Outcome run(CdcConfig config, Properties streams, BooleanSupplier stopRequested) {
    return new StartupCheck(config, streams, stopRequested).run();
  }

  private Outcome run() {
    Map<String, Object> adminConfig =
        new StreamsConfig(streams).getAdminConfigs("cdc2esdb-startup-check");
    List<String> notes = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Admin admin = Admin.create(adminConfig);
    try {
      String servers = String.valueOf(adminConfig.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
      await(
          admin.describeCluster(new DescribeClusterOptions().timeoutMs(remainingMs())).nodes(),
          "the Kafka cluster at " + servers + " (bootstrap.servers)");
      Set<String> topics =
          await(
              admin.listTopics(new ListTopicsOptions().timeoutMs(remainingMs())).names(),
              "the topic list of " + servers);
      String transactions = config.transactionTopic();
      if (!topics.contains(transactions)) {
        throw new Failure(
            ExitCodes.TOPIC_MISSING,
            "Transaction topic '"
                + transactions
                + "' does not exist (transaction.topic). Debezium writes it when the connector has"
                + " provide.transaction.metadata=true; for a connector without transaction"
                + " metadata, create it empty with one partition: changes are then written without"
                + " waiting for their transaction.");
      }
      String schemaChanges = config.schemaChangesTopic();
      if (config.naturalValues() && !topics.contains(schemaChanges)) {
        throw new Failure(
            ExitCodes.TOPIC_MISSING,
            "Schema-change topic '"
                + schemaChanges
                + "' does not exist (schema.changes.topic). Debezium writes it when the connector"
                + " has include.schema.changes=true (its default); event.values=natural reads the"
                + " column types from it. With event.values=debezium it is not needed.");
      }
      List<String> data =
          topics.stream().filter(t -> config.dataTopicsPattern().matcher(t).matches()).toList();
      if (data.isEmpty()) {
        warnings.add(
            "No topic matches data.topics.pattern '"
                + config.dataTopicsPattern().pattern()
                + "' yet; waiting for Debezium to create one (Kafka Streams finds new topics"
                + " within metadata.max.age.ms).");
      }
      String deadLetter = config.deadLetterTopic();
      if (!topics.contains(deadLetter)) {
        notes.add(createDeadLetterTopic(admin, deadLetter, data));
      }
    } finally {
      // Calls still pending (the cluster never answered) are abandoned, not waited for.
      admin.close(Duration.ZERO);
    }
    return new Outcome(notes, warnings);
  }

  private String createDeadLetterTopic(Admin admin, String topic, Collection<String> sources) {
    String template = config.transactionTopic();
    Map<String, TopicDescription> described =
        await(
            admin.describeTopics(sources.isEmpty() ? List.of(template) : sources).allTopicNames(),
            "the source topics");
    TopicDescription like =
        described.values().stream()
            .max(Comparator.comparingInt(d -> d.partitions().size()))
            .orElseThrow();
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, like.name());
    Config settings =
        await(admin.describeConfigs(List.of(resource)).all(), like.name()).get(resource);
    Map<String, String> copied = new HashMap<>();
    for (ConfigEntry entry : settings.entries()) {
      if (COPIED_CONFIGS.contains(entry.name())
          && entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
        copied.put(entry.name(), entry.value());
      }
    }
    int partitions = like.partitions().size();
    short replication = (short) like.partitions().get(0).replicas().size();
    NewTopic create = new NewTopic(topic, partitions, replication).configs(copied);
    try {
      await(admin.createTopics(List.of(create)).all(), "creating " + topic);
    } catch (Failure e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new Failure(
            ExitCodes.TOPIC_MISSING,
            "Dead-letter topic '"
                + topic
                + "' does not exist and cannot be created ("
                + e.getMessage()
                + "); create it, or set dead.letter.topic to a topic that exists.");
      }
    }
    awaitServed(admin, topic, partitions);
    return "Created dead-letter topic '"
        + topic
        + "' like '"
        + like.name()
        + "': "
        + partitions
        + " partition(s), replication factor "
        + replication
        + (copied.isEmpty() ? "" : ", " + copied);
  }

  /**
   * Until the new topic's partitions answer: a producer's first batches to a partition that is not
   * served yet fail and are retried (with warnings, and KAFKA-15591's risk for an idempotent one).
   */
  private void awaitServed(Admin admin, String topic, int partitions) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    while (true) {
      try {
        await(admin.listOffsets(request).all(), "the new topic " + topic);
        return;
      } catch (Failure e) {
        if (e.exitCode() != ExitCodes.FAILED) {
          throw e;
        }
        sleep();
      }
    }
  }

  private void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(ExitCodes.STOPPED, "interrupted during start-up");
    }
  }

  /** Waits for {@code future} in short steps, so that a stop request ends the wait at once. */
  private <T> T await(KafkaFuture<T> future, String what) {
    while (true) {
      if (stopRequested.getAsBoolean()) {
        throw new Failure(ExitCodes.STOPPED, "stopped during start-up");
      }
      if (System.nanoTime() > deadlineNanos) {
        throw unreachable(what);
      }
      try {
        return future.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // not yet: look at the stop request and the deadline again
      } catch (ExecutionException e) {
        if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
          throw unreachable(what);
        }
        Failure failure = new Failure(ExitCodes.FAILED, String.valueOf(e.getCause().getMessage()));
        failure.initCause(e.getCause());
        throw failure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Failure(ExitCodes.STOPPED, "interrupted during start-up");
      }
    }
  }

  private Failure unreachable(String what) {
    return new Failure(
        ExitCodes.KAFKA_UNREACHABLE,
        "No answer from "
            + what
            + " within "
            + config.startupTimeoutMs()
            + " ms (startup.timeout.ms).");
  }

  private int remainingMs() {
    long ms = (deadlineNanos - System.nanoTime()) / 1_000_000L;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
  }
}
