package io.cdc2esdb.dev.app;

import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.config.Settings;
import io.cdc2esdb.dev.EmbeddedKafka;
import io.cdc2esdb.dev.ReadyTopics;
import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import io.cdc2esdb.dev.emulator.ServerVersion;
import io.cdc2esdb.metrics.CdcMetrics;
import io.cdc2esdb.processing.Counters;
import io.cdc2esdb.query.QueryServer;
import io.cdc2esdb.sink.EventStoreWriter;
import io.cdc2esdb.sink.EventStoreWriters;
import io.cdc2esdb.topology.CdcTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.QueryableStoreType;

/**
 * cdc2esdb's whole path inside this JVM, on loopback: an embedded Kafka broker, the EventStoreDB
 * emulator, and cdc2esdb itself (Kafka Streams running {@link CdcTopology}, appending through the
 * real client). For {@code demo} and the end-to-end tests; {@code run} connects to real servers.
 *
 * <p>Start the servers, put the source's topics in place, then {@link #startCdc2esdb}; close stops
 * everything in reverse order.
 */
public final class LocalPipeline implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(200);

  /**
   * Kafka Streams warns about a state directory under the OS temp directory, which the OS may
   * clear; the demo's is temporary on purpose (deleted on close). The bundled log configuration
   * drops that warning for directories with this prefix only.
   */
  static final String STATE_DIR_PREFIX = "cdc2esdb-demo-state-";

  private final EmbeddedKafka kafka;
  private final EventStoreEmulator emulator;
  private final AtomicReference<Throwable> lastFailure = new AtomicReference<>();
  private final List<Instance> instances = new ArrayList<>();
  private CdcConfig config;
  private int minPartitions = 1;
  private Backlog backlog;
  private Duration measureInterval = POLL;

  private LocalPipeline(EmbeddedKafka kafka, EventStoreEmulator emulator) {
    this.kafka = kafka;
    this.emulator = emulator;
  }

  /** Starts the broker and the emulator (as {@link ServerVersion#DEFAULT}) on free ports. */
  public static LocalPipeline start() {
    return start(ServerVersion.DEFAULT);
  }

  /** Starts the broker and the emulator playing {@code esdbVersion}, each on a free port. */
  public static LocalPipeline start(ServerVersion esdbVersion) {
    EmbeddedKafka kafka = EmbeddedKafka.start();
    try {
      return new LocalPipeline(
          kafka,
          EventStoreEmulator.start(EmulatorOptions.ephemeral().withServerVersion(esdbVersion)));
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  /**
   * Creates topics (name -> partitions) that are missing, and waits until the broker serves them:
   * create a source's topics this way before producing to them.
   */
  public void createTopics(Map<String, Integer> partitionsByTopic) {
    Map<String, Integer> topics = new HashMap<>();
    partitionsByTopic.forEach((topic, n) -> topics.put(topic, Math.max(n, minPartitions)));
    ReadyTopics.create(bootstrapServers(), topics);
  }

  /**
   * Topics created from now on get at least {@code partitions} partitions, so that that many
   * instances each have a share of the work.
   */
  public void partitionsAtLeast(int partitions) {
    this.minPartitions = partitions;
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String esdbConnectionString() {
    return emulator.connectionString();
  }

  /** The server version the emulator plays. */
  public ServerVersion esdbVersion() {
    return emulator.serverVersion();
  }

  /** cdc2esdb's own settings as it runs; null before {@link #startCdc2esdb}. */
  public CdcConfig config() {
    return config;
  }

  /**
   * Starts cdc2esdb with {@code settings} over the pipeline's own (broker, emulator, a temporary
   * state directory); returns once Kafka Streams runs.
   *
   * @throws org.apache.kafka.common.config.ConfigException naming a bad setting
   */
  public void startCdc2esdb(Map<String, String> settings, Duration timeout) {
    startCdc2esdb(settings, timeout, 1);
  }

  /**
   * Starts {@code count} cdc2esdb instances of one application (each with its own state directory,
   * client and HTTP port) with {@code settings} over the pipeline's own; returns once every one
   * runs.
   *
   * @throws org.apache.kafka.common.config.ConfigException naming a bad setting
   */
  public synchronized void startCdc2esdb(
      Map<String, String> settings, Duration timeout, int count) {
    if (!instances.isEmpty()) {
      throw new IllegalStateException("cdc2esdb is already running");
    }
    Map<String, String> all = new HashMap<>();
    all.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    all.put(CdcConfig.ESDB_CONNECTION_STRING, esdbConnectionString());
    // Any free loopback port: several instances, and other programs, never clash.
    all.put(CdcConfig.HTTP_LISTEN, "127.0.0.1:0");
    // Debezium creates a table's topic with its first change: find new ones within a second,
    // not the clients' default five minutes.
    all.put(CommonClientConfigs.METADATA_MAX_AGE_CONFIG, "1000");
    all.putAll(settings);
    Settings parsed = Settings.of(all);
    config = parsed.cdc();
    // The global store cannot start on a missing topic; a source may create it only later.
    ReadyTopics.create(
        bootstrapServers(),
        Map.of(
            config.transactionTopic(),
            1,
            config.deadLetterTopic(),
            1,
            config.schemaChangesTopic(),
            1));
    for (int i = 0; i < count; i++) {
      instances.add(startInstance(all, i));
    }
    long commitIntervalMs =
        new StreamsConfig(parsed.streams()).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    measureInterval = POLL.plusMillis(commitIntervalMs);
    backlog =
        new Backlog(
            bootstrapServers(),
            parsed.streams().getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
            config.dataTopicsPattern(),
            config.deadLetterTopic(),
            instances.stream().map(Instance::streams).toList());
    awaitRunning(timeout);
  }

  private Instance startInstance(Map<String, String> settings, int index) {
    Map<String, String> own = new HashMap<>(settings);
    Path stateDir = createTempDir();
    own.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    String listen = own.get(CdcConfig.HTTP_LISTEN);
    int colon = listen.lastIndexOf(':');
    if (index > 0 && colon > 0 && !listen.endsWith(":0")) {
      // A fixed port: the next instances take the ports after it.
      int port = Integer.parseInt(listen.substring(colon + 1)) + index;
      own.put(CdcConfig.HTTP_LISTEN, listen.substring(0, colon + 1) + port);
    }
    Settings parsed = Settings.of(own);
    CdcConfig cdc = parsed.cdc();
    Properties properties = parsed.streams();
    QueryServer http = QueryServer.open(cdc, properties).orElse(null);
    CdcMetrics metrics = new CdcMetrics();
    EventStoreWriter writer =
        metrics.timed(
            EventStoreWriters.connect(
                cdc.esdbConnectionString().value(),
                cdc.esdbDeadlineMs(),
                cdc.esdbMaxAppendBytes(),
                cdc.esdbBatchAppend()));
    Topology topology = CdcTopology.build(cdc, writer);
    KafkaStreams streams = new KafkaStreams(topology, properties);
    streams.setUncaughtExceptionHandler(
        e -> {
          // As in run: the task restarts from its last commit, replays are harmless.
          lastFailure.set(e);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    if (http != null) {
      http.serve(streams, topology, writer, metrics, cdc);
      streams.setStateListener(http::onStateChange);
    }
    streams.start();
    return new Instance(stateDir, writer, streams, http, metrics);
  }

  /** One cdc2esdb instance of the pipeline. */
  private record Instance(
      Path stateDir,
      EventStoreWriter writer,
      KafkaStreams streams,
      QueryServer http,
      CdcMetrics metrics) {

    void close() {
      streams.close(Duration.ofSeconds(30));
      writer.close();
      if (http != null) {
        http.close();
      }
      metrics.close();
      deleteRecursively(stateDir);
    }
  }

  /** Instance {@code index}'s Kafka Streams (start order), for tests that look inside. */
  public KafkaStreams streams(int index) {
    return instances.get(index).streams();
  }

  /** Each instance's HTTP address (its {@code application.server}), in start order. */
  public List<String> httpAddresses() {
    return instances.stream().filter(i -> i.http() != null).map(i -> i.http().address()).toList();
  }

  private void awaitRunning(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Instance instance : instances) {
      KafkaStreams streams = instance.streams();
      while (streams.state() != KafkaStreams.State.RUNNING) {
        if (!streams.state().isRunningOrRebalancing() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "cdc2esdb did not start (Kafka Streams " + streams.state() + ")", lastFailure.get());
        }
        sleep(POLL);
      }
    }
  }

  /** Where cdc2esdb stands now. */
  public Backlog.Progress progress() {
    requireStarted();
    return backlog.measure();
  }

  /**
   * Waits until everything the data topics hold is written (or dead-lettered), reporting each
   * measurement to {@code onProgress}. Done means caught up in two measurements in a row, a commit
   * interval or more apart: a dead letter sent just before the first one is committed, and so
   * readable, by the second.
   *
   * @throws IllegalStateException when the timeout passes first, with the last thread failure
   */
  public Backlog.Progress awaitCaughtUp(Duration timeout, Consumer<Backlog.Progress> onProgress) {
    requireStarted();
    long deadline = System.nanoTime() + timeout.toNanos();
    Backlog.Progress previous = null;
    while (true) {
      Backlog.Progress progress = backlog.measure();
      onProgress.accept(progress);
      if (progress.caughtUp() && progress.equals(previous)) {
        return progress;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "cdc2esdb did not catch up within " + timeout + ": " + progress, lastFailure.get());
      }
      previous = progress;
      sleep(measureInterval);
    }
  }

  /** The total of one of cdc2esdb's counters ({@link Counters}) over all tasks. */
  public long counter(String name) {
    requireStarted();
    String metric = name + "-total";
    String group = Counters.GROUP;
    return Math.round(
        instances.stream()
            .flatMap(i -> i.streams().metrics().values().stream())
            .filter(m -> m.metricName().group().equals(group))
            .filter(m -> m.metricName().name().equals(metric))
            .mapToDouble(m -> ((Number) m.metricValue()).doubleValue())
            .sum());
  }

  /**
   * A read-only view of one of cdc2esdb's stores, as an interactive query sees it: the first
   * instance's (all of it when it runs alone).
   */
  public <T> T store(String name, QueryableStoreType<T> type) {
    requireStarted();
    return instances.get(0).streams().store(StoreQueryParameters.fromNameAndType(name, type));
  }

  /** The last failure of a stream thread (which was then replaced), if any. */
  public Throwable lastFailure() {
    return lastFailure.get();
  }

  private void requireStarted() {
    if (instances.isEmpty()) {
      throw new IllegalStateException("cdc2esdb is not started");
    }
  }

  /** Stops cdc2esdb (Kafka Streams commits as it closes), then the emulator, then the broker. */
  @Override
  public synchronized void close() {
    try {
      if (backlog != null) {
        backlog.close();
      }
      // Together, not one by one: each close would otherwise hand its tasks to the others first.
      instances.parallelStream().forEach(Instance::close);
    } finally {
      try {
        emulator.close();
      } finally {
        kafka.close();
      }
    }
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory(STATE_DIR_PREFIX);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // temporary files only; leaving some behind must not fail a shutdown
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
