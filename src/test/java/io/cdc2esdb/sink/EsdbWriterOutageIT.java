package io.cdc2esdb.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import io.cdc2esdb.event.ProposedEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator goes away for 10 s in the middle of a run and comes back on its data directory: the
 * writer rides it out, and every stream ends up with exactly the events sent, once each, in order.
 */
class EsdbWriterOutageIT {

  private static final int STREAMS = 20;
  private static final int FLUSHES = 60;
  private static final int EVENTS_PER_STREAM_PER_FLUSH = 3;

  @TempDir Path dataDir;

  @Test
  void shouldLoseNothingDuplicateNothingAndKeepOrderAcrossATenSecondOutage() throws Exception {
    EventStoreEmulator first =
        EventStoreEmulator.start(EmulatorOptions.ephemeral().withDataDir(dataDir));
    int port = first.port();
    EmulatorOptions sameServer = EmulatorOptions.ephemeral().withPort(port).withDataDir(dataDir);
    EventStoreEmulator[] running = {first};
    CompletableFuture<Void> outage =
        CompletableFuture.runAsync(
            () -> {
              sleep(Duration.ofSeconds(2));
              running[0].close();
              sleep(Duration.ofSeconds(10));
              running[0] = EventStoreEmulator.start(sameServer);
            });

    Map<String, Long> recorded = new HashMap<>();
    Map<String, List<UUID>> sent = new HashMap<>();
    long longestFlushMillis = 0;
    try (EsdbWriter writer =
        EsdbWriter.connect(
            first.connectionString(),
            EsdbWriter.Settings.defaults().withDeadline(Duration.ofSeconds(2)))) {
      BatchAppender appender =
          new BatchAppender(
              writer,
              new AppendSettings(
                  16, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(60)));
      for (int flush = 0; flush < FLUSHES; flush++) {
        List<StreamBatch> batches = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
          String stream = "outage-" + i;
          List<ProposedEvent> events = new ArrayList<>();
          for (int e = 0; e < EVENTS_PER_STREAM_PER_FLUSH; e++) {
            UUID id = UUID.nameUUIDFromBytes((stream + "/" + flush + "/" + e).getBytes());
            events.add(
                new ProposedEvent(
                    id,
                    "Update",
                    ("{\"flush\":" + flush + "}").getBytes(StandardCharsets.UTF_8),
                    "{}".getBytes(StandardCharsets.UTF_8)));
            sent.computeIfAbsent(stream, s -> new ArrayList<>()).add(id);
          }
          batches.add(
              new StreamBatch(
                  stream, recorded.getOrDefault(stream, AppendRequest.NO_STREAM), events));
        }
        long started = System.nanoTime();
        Map<String, StreamOutcome> outcomes = appender.appendAll(batches);
        longestFlushMillis =
            Math.max(
                longestFlushMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        for (StreamOutcome outcome : outcomes.values()) {
          assertThat(outcome.deadLetters()).as(outcome.stream()).isEmpty();
          recorded.put(outcome.stream(), outcome.lastRevision());
        }
        Thread.sleep(100);
      }
      outage.get(30, TimeUnit.SECONDS);

      assertThat(longestFlushMillis).as("a flush waited out the outage").isGreaterThan(5_000);
      for (int i = 0; i < STREAMS; i++) {
        String stream = "outage-" + i;
        List<UUID> stored =
            writer.read(stream, 0, 10_000).get().stream().map(StoredEvent::id).toList();
        assertThat(stored).as(stream).containsExactlyElementsOf(sent.get(stream));
        assertThat(recorded.get(stream)).isEqualTo(sent.get(stream).size() - 1L);
      }
    } finally {
      outage.join();
      running[0].close();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
