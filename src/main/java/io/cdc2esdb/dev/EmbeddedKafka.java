package io.cdc2esdb.dev;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker inside this JVM: one KRaft node that is broker and controller, on free
 * loopback ports, in a directory of its own. Meant for {@code demo} and the tests; {@code run}
 * connects to a real cluster instead.
 *
 * <p>Its log lines go through SLF4J under {@code kafka} and {@code org.apache.kafka}, which the
 * bundled log4j2 configuration keeps at WARN.
 */
public final class EmbeddedKafka implements AutoCloseable {

  /** The largest record (key, value and headers) the broker and the dev producers carry: 16 MiB. */
  public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int START_ATTEMPTS = 3;

  private final KafkaRaftServer server;
  private final Path directory;
  private final boolean keepDirectory;
  private final String bootstrapServers;
  private boolean closed;

  private EmbeddedKafka(
      KafkaRaftServer server, Path directory, boolean keepDirectory, String bootstrapServers) {
    this.server = server;
    this.directory = directory;
    this.keepDirectory = keepDirectory;
    this.bootstrapServers = bootstrapServers;
  }

  /** A broker with the defaults, in a temporary directory deleted on close. */
  public static EmbeddedKafka start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Path directory() {
    return directory;
  }

  /**
   * The producer setting that lets a producer send any record the broker takes ({@code
   * max.request.size}), for every producer of the dev parts.
   */
  public static Map<String, Object> largeRecordProducerSettings() {
    return Map.of("max.request.size", KafkaBrokerConfig.MAX_MESSAGE_BYTES);
  }

  /** Client properties that reach this broker; add serializers and the rest. */
  public Properties clientProperties() {
    Properties props = new Properties();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return props;
  }

  /** Creates each topic with that many partitions; a topic that already exists is left as is. */
  public void createTopics(int partitions, String... topics) {
    Map<String, Integer> byTopic = new LinkedHashMap<>();
    for (String topic : topics) {
      byTopic.put(topic, partitions);
    }
    createTopics(byTopic);
  }

  /** Creates topics (name -> partitions); one that already exists is left as is. */
  public void createTopics(Map<String, Integer> partitionsByTopic) {
    List<NewTopic> topics =
        partitionsByTopic.entrySet().stream()
            .map(e -> new NewTopic(e.getKey(), Optional.of(e.getValue()), Optional.empty()))
            .toList();
    try (Admin admin = Admin.create(clientProperties())) {
      for (var result : admin.createTopics(topics).values().entrySet()) {
        try {
          result.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + result.getKey(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("topics not created within 30 s", e);
    }
  }

  /** Stops the broker and waits for it; deletes its directory unless asked to keep it. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long started = System.nanoTime();
    server.shutdown();
    server.awaitShutdown();
    LOG.debug("Kafka broker stopped in {} ms", Duration.ofNanos(System.nanoTime() - started));
    if (!keepDirectory) {
      Directories.deleteRecursively(directory);
    }
  }

  /** Options; every one has a default that suits a test or a demo. */
  public static final class Builder {
    private Path directory;
    private boolean keepDirectory;
    private final Properties overrides = new Properties();

    private Builder() {}

    /**
     * Keep the broker's files in {@code <directory>/kafka}, and keep them on close (to look at
     * after a run); default: a new temporary directory, deleted on close. Every start formats a
     * fresh broker: what an earlier run left there is replaced.
     */
    public Builder directory(Path directory) {
      this.directory = directory;
      this.keepDirectory = true;
      return this;
    }

    public Builder keepDirectory(boolean keep) {
      this.keepDirectory = keep;
      return this;
    }

    /** Any broker setting, applied over the defaults. */
    public Builder brokerProperty(String name, String value) {
      overrides.setProperty(name, value);
      return this;
    }

    /**
     * Formats a fresh directory and starts the broker; returns once it accepts clients (0.3–2 s). A
     * port taken between choosing it and binding it is retried with new ports.
     */
    public EmbeddedKafka start() {
      RuntimeException last = null;
      for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
        Path dir =
            directory != null
                ? freshKafkaDir(directory)
                : Directories.createTemp("cdc2esdb-kafka-");
        try {
          return startIn(dir);
        } catch (RuntimeException e) {
          last = e;
          LOG.warn("Kafka broker did not start (attempt {}): {}", attempt, e.toString());
          Directories.deleteRecursively(dir);
        }
      }
      throw new IllegalStateException("the embedded Kafka broker did not start", last);
    }

    private EmbeddedKafka startIn(Path dir) {
      long started = System.nanoTime();
      int port = Loopback.freePort();
      int controllerPort = Loopback.freePort();
      Properties props = KafkaBrokerConfig.properties(dir.resolve("logs"), port, controllerPort);
      props.putAll(overrides);
      format(dir, props);
      KafkaRaftServer server =
          new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      try {
        server.startup();
      } catch (RuntimeException e) {
        server.shutdown();
        server.awaitShutdown();
        throw e;
      }
      String bootstrap = Loopback.HOST + ":" + port;
      LOG.info(
          "Kafka broker on {} started in {} ms",
          bootstrap,
          Duration.ofNanos(System.nanoTime() - started).toMillis());
      return new EmbeddedKafka(server, dir, keepDirectory, bootstrap);
    }

    private static Path freshKafkaDir(Path parent) {
      Path dir = parent.resolve("kafka");
      Directories.deleteRecursively(dir);
      return Directories.create(dir);
    }

    // KRaft refuses an unformatted log directory; the tool takes its settings from a file.
    private static void format(Path dir, Properties props) {
      Path configFile = dir.resolve("server.properties");
      try (OutputStream out = Files.newOutputStream(configFile)) {
        props.store(out, "embedded Kafka broker");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      int exit;
      try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
        exit =
            StorageTool.execute(
                new String[] {
                  "format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString()
                },
                print);
      }
      String text = output.toString(StandardCharsets.UTF_8).trim();
      if (exit != 0) {
        throw new IllegalStateException("formatting the Kafka log directory failed: " + text);
      }
      LOG.debug("{}", text);
    }
  }
}
