package io.cdc2esdb.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import io.cdc2esdb.dev.emulator.ServerVersion;
import io.cdc2esdb.sink.EsdbGrpcWriter;
import io.cdc2esdb.sink.InMemoryEventStore;
import io.cdc2esdb.sink.StoredEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * EventStoreDB stopped for 5 s and for 30 s in the middle of the load: nothing lost, nothing
 * duplicated, the topology never fails (a failure would replace the stream thread), and writing
 * resumes within 5 s of the server's return. The real topology in transaction mode and in
 * per-stream mode (over one BatchAppend call, reopened after the outage), the gRPC writer, the
 * emulator (as 26.0, its log on disk) stopped and started again on the same port.
 */
class EventStoreOutageIT {

  private static final List<CaptureRecord> DUMP = TopologyFixture.capture("connect-dump.jsonl");

  @TempDir Path tmp;

  /** Transaction mode (v2 AppendSession) and per-stream mode (v1 BatchAppend, the default). */
  @ParameterizedTest
  @CsvSource({"transaction, 5", "transaction, 30", "per-stream, 5", "per-stream, 30"})
  void shouldWriteEverythingOnceAndResumeSoonAfterAnOutage(String mode, int outageSeconds)
      throws Exception {
    EmulatorOptions options =
        EmulatorOptions.ephemeral()
            .withServerVersion(ServerVersion.V26_0)
            .withDataDir(TopologyFixture.tempDir(tmp, "esdb"));
    EventStoreEmulator emulator = EventStoreEmulator.start(options);
    int port = emulator.port();
    try (EsdbGrpcWriter writer =
            EsdbGrpcWriter.connect(
                emulator.connectionString(),
                new EsdbGrpcWriter.Settings(Duration.ofSeconds(2), 1_048_576));
        TopologyFixture fixture =
            new TopologyFixture(
                TopologyFixture.tempDir(tmp, "state"),
                writer,
                new InMemoryEventStore(),
                Map.of("esdb.append.mode", mode, "esdb.retry.backoff.max.ms", "1000"))) {
      int half = DUMP.size() / 2;
      fixture.pipe(DUMP.subList(0, half));
      settle(fixture, Duration.ofSeconds(3));

      emulator.close();
      long downUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(outageSeconds);
      fixture.pipe(DUMP.subList(half, DUMP.size()));
      while (System.nanoTime() < downUntil) {
        fixture.advance(Duration.ofMillis(100));
        Thread.sleep(100);
      }
      emulator = EventStoreEmulator.start(options.withPort(port));
      long back = System.nanoTime();
      Map<String, List<String>> expected = ReplayTopologyTest.expectedTypesByStream();
      int total = expected.values().stream().mapToInt(List::size).sum();
      long writtenAt = 0;
      while (System.nanoTime() - back < TimeUnit.SECONDS.toNanos(30)) {
        fixture.advance(Duration.ofMillis(50));
        if (count(writer, expected) == total) {
          writtenAt = System.nanoTime();
          break;
        }
        Thread.sleep(50);
      }
      assertThat(writtenAt).as("everything written after the outage").isPositive();
      assertThat(Duration.ofNanos(writtenAt - back)).isLessThan(Duration.ofSeconds(5));
      for (Map.Entry<String, List<String>> stream : expected.entrySet()) {
        List<StoredEvent> events = writer.read(stream.getKey(), 0, 1_000).get(5, TimeUnit.SECONDS);
        assertThat(events.stream().map(StoredEvent::type).toList())
            .as(stream.getKey())
            .isEqualTo(stream.getValue());
      }
      assertThat(fixture.deadLetters()).isEmpty();
    } finally {
      emulator.close();
    }
  }

  private static void settle(TopologyFixture fixture, Duration time) throws InterruptedException {
    long until = System.nanoTime() + time.toNanos();
    while (System.nanoTime() < until) {
      fixture.advance(Duration.ofMillis(50));
      Thread.sleep(50);
    }
  }

  private static int count(EsdbGrpcWriter writer, Map<String, List<String>> expected) {
    int n = 0;
    for (String stream : expected.keySet()) {
      try {
        n += writer.read(stream, 0, 1_000).get(2, TimeUnit.SECONDS).size();
      } catch (Exception e) {
        return -1;
      }
    }
    return n;
  }
}
