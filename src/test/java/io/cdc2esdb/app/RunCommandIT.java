package io.cdc2esdb.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdc2esdb.config.Settings;
import io.cdc2esdb.dev.EmbeddedKafka;
import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} as an operator meets it: the start-up checks against a real broker that does not
 * create topics on its own, and the production jar started and stopped as a process.
 */
class RunCommandIT {

  private static EmbeddedKafka kafka;

  @TempDir Path tmp;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.builder().brokerProperty("auto.create.topics.enable", "false").start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void shouldFailWithCode4NamingAMissingTransactionTopic() {
    kafka.createTopics(1, "notxn.shop.items");
    assertThatThrownBy(() -> check("notxn"))
        .isInstanceOfSatisfying(
            StartupCheck.Failure.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.TOPIC_MISSING))
        .hasMessageContaining("'notxn.transaction'")
        .hasMessageContaining("provide.transaction.metadata=true");
  }

  @Test
  void shouldFailWithCode4NamingAMissingSchemaChangeTopicWhenValuesAreDecoded() {
    kafka.createTopics(1, "noddl.transaction", "noddl.shop.items");
    assertThatThrownBy(() -> check("noddl"))
        .isInstanceOfSatisfying(
            StartupCheck.Failure.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.TOPIC_MISSING))
        .hasMessageContaining("'noddl'")
        .hasMessageContaining("schema.changes.topic")
        .hasMessageContaining("include.schema.changes=true");
  }

  @Test
  void shouldCreateAMissingDeadLetterTopicLikeTheSourceTopics() throws Exception {
    kafka.createTopics(
        Map.of("dlt.transaction", 1, "dlt", 1, "dlt.shop.items", 3, "dlt.shop.orders", 2));
    StartupCheck.Outcome outcome = check("dlt");
    assertThat(outcome.warnings()).isEmpty();
    assertThat(outcome.notes()).singleElement().asString().contains("dlt-dead-letter");
    TopicDescription created = describe("dlt-dead-letter");
    assertThat(created.partitions()).hasSize(3);

    // Found the second time: nothing to do.
    assertThat(check("dlt").notes()).isEmpty();
  }

  @Test
  void shouldWarnAndGoOnWhenNoDataTopicExistsYet() throws Exception {
    kafka.createTopics(1, "early.transaction", "early");
    StartupCheck.Outcome outcome = check("early");
    assertThat(outcome.warnings())
        .singleElement()
        .asString()
        .contains("data.topics.pattern")
        .contains("waiting");
    assertThat(describe("early-dead-letter").partitions()).hasSize(1);
  }

  @Test
  void shouldFailWithCode3WhenTheBrokerDoesNotAnswerInTime() throws IOException {
    Map<String, String> props = settings("gone");
    props.put("bootstrap.servers", "127.0.0.1:" + closedPort());
    props.put("startup.timeout.ms", "1500");
    Settings settings = Settings.of(props);
    assertThatThrownBy(() -> StartupCheck.run(settings.cdc(), settings.streams(), () -> false))
        .isInstanceOfSatisfying(
            StartupCheck.Failure.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.KAFKA_UNREACHABLE))
        .hasMessageContaining("bootstrap.servers")
        .hasMessageContaining("startup.timeout.ms");
  }

  @Test
  void shouldExitWithinSecondsOnSigtermWhileTheBrokerIsUnreachable() throws Exception {
    Path config = tmp.resolve("unreachable.properties");
    Files.writeString(
        config, "bootstrap.servers=127.0.0.1:" + closedPort() + "\nstartup.timeout.ms=600000\n");
    Launched run = launch(config);
    // In the start-up check once the admin client reports the refused connection.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (run.stderr().stream().noneMatch(l -> l.contains("could not be established"))
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(run.process().isAlive()).as("waiting for the broker: %s", run.stderr()).isTrue();
    run.process().toHandle().destroy();
    assertThat(run.process().waitFor(10, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
    run.awaitEndOfOutput();
    assertThat(run.stderr()).anyMatch(l -> l.contains("Stop requested"));
  }

  @Test
  void shouldExitWithCode3AndOneLineWhenTheBrokerStaysUnreachable() throws Exception {
    Path config = tmp.resolve("unreachable.properties");
    Files.writeString(
        config, "bootstrap.servers=127.0.0.1:" + closedPort() + "\nstartup.timeout.ms=2000\n");
    Launched run = launch(config);
    assertThat(run.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(run.process().exitValue()).isEqualTo(ExitCodes.KAFKA_UNREACHABLE);
    run.awaitEndOfOutput();
    // Log lines start with a time of day; what run itself prints is one plain line.
    assertThat(run.stderr())
        .filteredOn(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"))
        .singleElement()
        .asString()
        .contains("bootstrap.servers")
        .contains("startup.timeout.ms");
  }

  @Test
  void shouldRunAndStopCleanlyOnSigterm() throws Exception {
    kafka.createTopics(1, "live.transaction", "live", "live.shop.items");
    try (EventStoreEmulator emulator = EventStoreEmulator.start(EmulatorOptions.ephemeral())) {
      Path config = tmp.resolve("live.properties");
      Files.writeString(
          config,
          String.join(
              "\n",
              "bootstrap.servers=" + kafka.bootstrapServers(),
              "topic.prefix=live",
              "application.id=live-run",
              "dead.letter.topic=live-dead-letter",
              "state.dir=" + tmp.resolve("state"),
              "esdb.connection.string=" + emulator.connectionString(),
              ""));
      Launched run = launch(config);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (run.stderr().stream().noneMatch(l -> l.contains("-> RUNNING"))
          && System.nanoTime() < deadline) {
        assertThat(run.process().isAlive()).as("still running: %s", run.stderr()).isTrue();
        Thread.sleep(200);
      }
      assertThat(run.stderr()).anyMatch(l -> l.contains("-> RUNNING"));
      // SIGTERM; Process.destroy() would also close the pipes and cut the output short.
      run.process().toHandle().destroy();
      assertThat(run.process().waitFor(40, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
      run.awaitEndOfOutput();
      assertThat(run.process().exitValue()).isEqualTo(143);
      assertThat(run.stderr()).anyMatch(l -> l.contains("-> NOT_RUNNING"));
      assertThat(run.stderr()).anyMatch(l -> l.contains("Progress: 0 events written"));
      assertThat(run.stderr()).noneMatch(l -> l.contains(" ERROR "));
    }
  }

  private StartupCheck.Outcome check(String prefix) {
    Settings settings = Settings.of(settings(prefix));
    return StartupCheck.run(settings.cdc(), settings.streams(), () -> false);
  }

  private static Map<String, String> settings(String prefix) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put("topic.prefix", prefix);
    props.put("dead.letter.topic", prefix + "-dead-letter");
    props.put("startup.timeout.ms", "20000");
    return props;
  }

  private static TopicDescription describe(String topic) throws Exception {
    Properties props = kafka.clientProperties();
    try (Admin admin = Admin.create(props)) {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(20, TimeUnit.SECONDS)
          .get(topic);
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The production jar's {@code run}, its standard error collected line by line. */
  private static Launched launch(Path config) throws IOException {
    Path jar = Path.of("target", "cdc2esdb.jar");
    assertThat(jar).exists();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                java.toString(), "-jar", jar.toString(), "run", "--config", config.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader err =
                  new BufferedReader(
                      new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                err.lines().forEach(lines::add);
              } catch (IOException | UncheckedIOException e) {
                lines.add("(stderr unreadable: " + e + ")");
              }
            });
    reader.setDaemon(true);
    reader.start();
    return new Launched(process, lines, reader);
  }

  private record Launched(Process process, List<String> stderr, Thread reader) {
    /** After the process ended: until every line it wrote has been read. */
    void awaitEndOfOutput() throws InterruptedException {
      reader.join(10_000);
    }
  }
}
