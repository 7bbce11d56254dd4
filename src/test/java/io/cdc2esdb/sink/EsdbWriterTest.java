package io.cdc2esdb.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared append policy through the real client, against the emulator on loopback. */
class EsdbWriterTest {

  private static EventStoreEmulator emulator;
  private static EsdbWriter writer;
  private static BatchAppender appender;

  @BeforeAll
  static void start() {
    emulator = EventStoreEmulator.start(EmulatorOptions.ephemeral());
    writer = EsdbWriter.connect(emulator.connectionString(), 10_000, 1_048_576);
    appender =
        new BatchAppender(
            writer,
            new BatchAppender.Settings(
                16, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(5)));
  }

  @AfterAll
  static void stop() {
    writer.close();
    emulator.close();
  }

  @Test
  void shouldWriteNoDuplicateWhenAnAckedBatchIsReplayedFromAnOlderPosition() {
    List<ProposedEvent> events = events(5, 20);
    appender.appendAll(List.of(new StreamBatch("replay-1", -1, events.subList(0, 3))));

    StreamOutcome out =
        appender.appendAll(List.of(new StreamBatch("replay-1", -1, events))).get("replay-1");

    assertThat(out.deadLetters()).isEmpty();
    assertThat(out.lastRevision()).isEqualTo(4);
    assertThat(writer.read("replay-1", 0, 100).join())
        .extracting(StoredEvent::id)
        .containsExactlyElementsOf(events.stream().map(ProposedEvent::id).toList());
  }

  @Test
  void shouldDetectAForeignWriteAsAConflictAndGoOnWithOtherStreams() {
    appender.appendAll(List.of(new StreamBatch("foreign-1", -1, events(1, 20))));
    writer.append(new AppendRequest("foreign-1", 0, events(1, 20))).join();

    var out =
        appender.appendAll(
            List.of(
                new StreamBatch("foreign-1", 0, events(2, 20)),
                new StreamBatch("other-1", -1, events(2, 20))));

    assertThat(out.get("foreign-1").deadLetters())
        .extracting(DeadLetter::error)
        .containsOnly("conflict");
    assertThat(out.get("other-1").deadLetters()).isEmpty();
    assertThat(writer.read("other-1", 0, 10).join()).hasSize(2);
  }

  @Test
  void shouldDeadLetterATwoMebibyteEventAndWriteTheRest() {
    List<ProposedEvent> events = new ArrayList<>(events(1, 20));
    events.add(event(2 * 1024 * 1024));
    events.addAll(events(1, 20));

    StreamOutcome out =
        appender.appendAll(List.of(new StreamBatch("big-1", -1, events))).get("big-1");

    assertThat(out.deadLetters()).extracting(DeadLetter::error).containsExactly("event-too-large");
    assertThat(writer.read("big-1", 0, 10).join()).hasSize(2);
  }

  @Test
  void shouldReadAMissingStreamAsEmpty() {
    assertThat(writer.read("never-written", 0, 10).join()).isEmpty();
  }

  private static List<ProposedEvent> events(int n, int size) {
    List<ProposedEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(event(size));
    }
    return events;
  }

  private static ProposedEvent event(int size) {
    byte[] data = ("{\"x\":\"" + "a".repeat(size) + "\"}").getBytes(StandardCharsets.UTF_8);
    return new ProposedEvent(
        UUID.randomUUID(), "Test", data, "{}".getBytes(StandardCharsets.UTF_8));
  }
}
