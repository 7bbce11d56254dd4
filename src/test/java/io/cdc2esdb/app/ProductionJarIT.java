package io.cdc2esdb.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.CaptureFile;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.dev.CaptureReplayer;
import io.cdc2esdb.dev.EmbeddedKafka;
import io.cdc2esdb.dev.ReadyTopics;
import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import io.cdc2esdb.sink.EsdbReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production jar is lean and works: it holds none of the dev parts (no broker, Kafka Connect,
 * Debezium, Scala, MariaDB driver or emulator), and {@code run} from it writes real Debezium
 * records from a real broker into EventStoreDB (the emulator, in this JVM) and stops on SIGTERM.
 */
class ProductionJarIT {

  private static final Path JAR = Path.of("target", "cdc2esdb.jar");
  private static final String CAPTURE = "/fixtures/debezium-mariadb-3.5/connect-dump.jsonl";

  /** Class and resource prefixes that belong to the dev artifact only. */
  private static final List<String> DEV_ONLY =
      List.of(
          "io/cdc2esdb/dev/",
          "sample/",
          "kafka/server/",
          "kafka/log/",
          "org/apache/kafka/raft/",
          "org/apache/kafka/metadata/",
          "org/apache/kafka/controller/",
          "org/apache/kafka/image/",
          "org/apache/kafka/storage/",
          "org/apache/kafka/connect/",
          "io/debezium/",
          "scala/",
          // Jetty's core server (server, http, io, util) serves the HTTP surface; the servlet
          // layers, the client and sessions come with Kafka Connect only.
          "org/eclipse/jetty/ee10/",
          "org/eclipse/jetty/client/",
          "org/eclipse/jetty/security/",
          "org/eclipse/jetty/session/",
          "org/glassfish/jersey/");

  @TempDir Path tmp;

  @Test
  void shouldHoldNoneOfTheDevParts() throws IOException {
    assertThat(JAR).exists();
    List<String> offending = new ArrayList<>();
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      zip.stream()
          .map(ZipEntry::getName)
          .filter(name -> DEV_ONLY.stream().anyMatch(name::startsWith))
          .limit(20)
          .forEach(offending::add);
      assertThat(zip.getEntry("io/cdc2esdb/app/Main.class")).isNotNull();
      assertThat(zip.getEntry("io/cdc2esdb/dev/app/DevMain.class")).isNull();
      assertThat(zip.getEntry("org/eclipse/jetty/server/Server.class")).isNotNull();
    }
    assertThat(offending).as("dev-only entries in the production jar").isEmpty();
  }

  @Test
  void shouldOfferOnlyTheProductionCommands() throws Exception {
    Result help = java(List.of("--help"), Duration.ofSeconds(30));
    assertThat(help.exit()).isZero();
    assertThat(help.out())
        .contains("run", "topology", "verify", "read")
        .doesNotContain("demo", "emulator");

    Result runHelp = java(List.of("run", "--help"), Duration.ofSeconds(30));
    assertThat(runHelp.exit()).isZero();
    assertThat(runHelp.out()).contains("--config");

    Result topology = java(List.of("topology"), Duration.ofSeconds(30));
    assertThat(topology.exit()).isZero();
    assertThat(topology.out().strip())
        .isEqualTo(Files.readString(Path.of("topology-docs", "topology.txt")).strip());
  }

  @Test
  void shouldRunAgainstARealBrokerAndWriteEveryChange() throws Exception {
    List<CaptureRecord> records;
    try (InputStream in = ProductionJarIT.class.getResourceAsStream(CAPTURE)) {
      records = CaptureFile.read(in, CAPTURE);
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        EventStoreEmulator emulator = EventStoreEmulator.start(EmulatorOptions.ephemeral())) {
      ReadyTopics.create(
          kafka.bootstrapServers(),
          Map.of(
              "dbserver1.inventory.customers", 1,
              "dbserver1.transaction", 1,
              "dbserver1", 1,
              "cdc2esdb-dead-letter", 1));
      CaptureReplayer.replay(kafka.bootstrapServers(), records);
      Path config = tmp.resolve("cdc2esdb.properties");
      String http = "127.0.0.1:" + freePort();
      Files.writeString(
          config,
          String.join(
              "\n",
              "bootstrap.servers=" + kafka.bootstrapServers(),
              "esdb.connection.string=" + emulator.connectionString(),
              "state.dir=" + tmp.resolve("state"),
              "http.listen=" + http,
              "commit.interval.ms=200"));

      Process run = start(List.of("run", "--config", config.toString()));
      try (EsdbReader reader = EsdbReader.connect(emulator.connectionString(), 30_000)) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        int events = 0;
        while (System.nanoTime() < deadline) {
          events = reader.streams().stream().mapToInt(s -> reader.read(s).size()).sum();
          if (events >= 53 || !run.isAlive()) {
            break;
          }
          Thread.sleep(500);
        }
        // connect-dump.jsonl: 66 change records, 13 of them tombstones, 53 events.
        assertThat(events)
            .as("events written by run from the production jar (log: %s)", log("run"))
            .isEqualTo(53);
        // The HTTP surface and the metrics libraries are in the jar too.
        assertThat(get(http, "/health/ready").statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = get(http, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
            .contains("cdc2esdb_events_written_total 53", "cdc2esdb_append_seconds_bucket")
            .contains("kafka_stream_thread_");
      } finally {
        run.destroy();
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("run stops on SIGTERM").isTrue();
      }
    }
  }

  private record Result(int exit, String out) {}

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static HttpResponse<String> get(String address, String path)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://" + address + path))
                .timeout(Duration.ofSeconds(15))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** Where a command's log goes: kept under target/ so that a failure can be read. */
  private static Path log(String command) throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "production-jar-it"));
    return dir.resolve(command.replace("-", "") + ".log");
  }

  private Result java(List<String> args, Duration timeout) throws Exception {
    Process process = start(args);
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private Process start(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(args);
    return new ProcessBuilder(command).redirectError(log(args.get(0)).toFile()).start();
  }
}
