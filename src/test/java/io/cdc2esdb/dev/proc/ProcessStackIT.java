package io.cdc2esdb.dev.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.ReadyTopics;
import io.cdc2esdb.event.ProposedEvent;
import io.cdc2esdb.sink.AppendRequest;
import io.cdc2esdb.sink.AppendResult;
import io.cdc2esdb.sink.EsdbReader;
import io.cdc2esdb.sink.EsdbWriter;
import io.cdc2esdb.sink.ReadEvent;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack from the built jars: a broker, an emulator that is killed and comes back on its data
 * and port, and a cdc2esdb instance whose CPU, memory, heap and Kafka Streams metrics can be read
 * from outside; every part listens on loopback only, and closing the stack leaves nothing running.
 */
class ProcessStackIT {

  private static final List<String> SMALL_HEAP = List.of("-Xmx256m");

  @TempDir Path work;

  @Test
  void shouldRunEachPartAsAProcessAndStopThemAll() throws Exception {
    JavaProcess cdc;
    ProcessStack.Emulator emulator;
    ProcessStack.Broker broker;
    try (ProcessStack stack = ProcessStack.in(work, ProcessStack.Jars.in(Path.of("target")))) {
      broker = stack.startBroker("broker", SMALL_HEAP);
      assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
      emulator = stack.startEmulator("emulator", List.of("--no-projections"), SMALL_HEAP);
      int port = emulator.port();

      UUID id = appendOneEvent(emulator.connectionString(), "customers-1");
      emulator.kill();
      assertThat(emulator.process().isAlive()).isFalse();
      emulator.restart();
      assertThat(emulator.port()).isEqualTo(port);
      try (EsdbReader reader = EsdbReader.connect(emulator.connectionString(), 30_000)) {
        assertThat(reader.read("customers-1")).extracting(ReadEvent::id).containsExactly(id);
      }

      ReadyTopics.create(
          broker.bootstrapServers(),
          Map.of("dbserver1", 1, "dbserver1.transaction", 1, "cdc2esdb-dead-letter", 1));
      cdc =
          stack.startCdc2esdb(
              "cdc2esdb-1",
              Map.of(
                  "bootstrap.servers", broker.bootstrapServers(),
                  "esdb.connection.string", emulator.connectionString()),
              SMALL_HEAP);
      assertThat(cdc.jvm().heapUsedBytes()).isPositive();
      assertThat(cdc.jvm().gc().count()).isNotNegative();
      // Kafka Streams' own metrics reach JMX: one stream thread is alive.
      assertThat(cdc.jvm().sum("kafka.streams:type=stream-metrics,*", "alive-stream-threads"))
          .isEqualTo(1.0);
      for (JavaProcess process : List.of(cdc, emulator.process(), broker.process())) {
        assertThat(ListeningSockets.of(process.pid()))
            .as(process.name() + " listens on loopback only")
            .isNotEmpty()
            .allMatch(InetAddress::isLoopbackAddress);
      }
      ProcStats stats = cdc.stats();
      assertThat(stats.cpuNanos()).isPositive();
      assertThat(stats.peakRssBytes()).isGreaterThanOrEqualTo(stats.rssBytes()).isPositive();
    }
    for (JavaProcess process : List.of(cdc, emulator.process(), broker.process())) {
      assertThat(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false))
          .as(process.name() + " stopped")
          .isFalse();
    }
  }

  private static UUID appendOneEvent(String connectionString, String stream) throws Exception {
    UUID id = UUID.randomUUID();
    byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
    try (EsdbWriter writer =
        EsdbWriter.connect(
            connectionString,
            EsdbWriter.Settings.defaults().withDeadline(Duration.ofSeconds(30)))) {
      AppendResult result =
          writer
              .append(
                  new AppendRequest(
                      stream,
                      AppendRequest.NO_STREAM,
                      List.of(new ProposedEvent(id, "Insert", json, json))))
              .get(60, TimeUnit.SECONDS);
      assertThat(result).isInstanceOf(AppendResult.Success.class);
    }
    return id;
  }
}
