package io.cdc2esdb.sink;

import static io.cdc2esdb.sink.EsdbWriterTest.event;
import static io.cdc2esdb.sink.EsdbWriterTest.json;
import static io.cdc2esdb.sink.EsdbWriterTest.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdc2esdb.dev.emulator.AppendFault;
import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import io.cdc2esdb.error.DeadLetterCode;
import io.cdc2esdb.event.ProposedEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared append policy on the real writer, against the emulator. */
class EsdbBatchAppenderTest {

  private static final AppendSettings FAST_RETRIES =
      new AppendSettings(16, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(20));

  private static EventStoreEmulator emulator;
  private static EsdbWriter writer;
  private static BatchAppender appender;

  @BeforeAll
  static void start() {
    emulator = EventStoreEmulator.start(EmulatorOptions.ephemeral());
    writer = EsdbWriter.connect(emulator.connectionString(), EsdbWriter.Settings.defaults());
    appender = new BatchAppender(writer, FAST_RETRIES);
  }

  @AfterAll
  static void stop() {
    writer.close();
    emulator.close();
  }

  @Test
  void shouldNotDuplicateWhenReplayingAWriteThatWasAcknowledgedButNotRecorded() throws Exception {
    String s = stream();
    ProposedEvent a = event("Insert");
    ProposedEvent b = event("Update");
    ProposedEvent c = event("Update");
    StreamOutcome first = appendOne(new StreamBatch(s, AppendRequest.NO_STREAM, List.of(a, b)));
    assertThat(first.lastRevision()).isEqualTo(1);

    // The revision was never recorded: the same events come again from the old position, and more.
    StreamOutcome replay = appendOne(new StreamBatch(s, AppendRequest.NO_STREAM, List.of(a, b, c)));

    assertThat(replay.deadLetters()).isEmpty();
    assertThat(replay.lastRevision()).isEqualTo(2);
    assertThat(writer.read(s, 0, 100).get())
        .extracting(StoredEvent::id)
        .containsExactly(a.id(), b.id(), c.id());
  }

  @Test
  void shouldNotDuplicateWhenTheServerWritesButTheAnswerIsATimeout() throws Exception {
    String s = stream();
    ProposedEvent a = event("Insert");
    ProposedEvent b = event("Update");
    emulator.injectAppendFaults(AppendFault.TIMEOUT_AFTER_WRITE);
    StreamOutcome outcome = appendOne(new StreamBatch(s, AppendRequest.NO_STREAM, List.of(a, b)));
    assertThat(outcome.lastRevision()).isEqualTo(1);
    assertThat(outcome.deadLetters()).isEmpty();
    assertThat(writer.read(s, 0, 100).get())
        .extracting(StoredEvent::id)
        .containsExactly(a.id(), b.id());
  }

  @Test
  void shouldRetryThroughTransientFailures() throws Exception {
    String s = stream();
    emulator.injectAppendFaults(AppendFault.NOT_READY, AppendFault.TIMEOUT, AppendFault.NOT_LEADER);
    StreamOutcome outcome =
        appendOne(new StreamBatch(s, AppendRequest.NO_STREAM, List.of(event("Insert"))));
    assertThat(outcome.lastRevision()).isZero();
    assertThat(writer.read(s, 0, 100).get()).hasSize(1);
  }

  @Test
  void shouldDeadLetterAForeignWriteAsAConflictAndGoOnWithOtherStreams() throws Exception {
    String contested = stream();
    String other = stream();
    writer
        .append(new AppendRequest(contested, AppendRequest.NO_STREAM, List.of(event("Foreign"))))
        .get();
    ProposedEvent ours = event("Insert");

    Map<String, StreamOutcome> outcomes =
        appender.appendAll(
            List.of(
                new StreamBatch(contested, AppendRequest.NO_STREAM, List.of(ours)),
                new StreamBatch(other, AppendRequest.NO_STREAM, List.of(event("Insert")))));

    assertThat(outcomes.get(contested).deadLetters())
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.code()).isEqualTo(DeadLetterCode.CONFLICT);
              assertThat(letter.event().id()).isEqualTo(ours.id());
            });
    assertThat(writer.read(contested, 0, 100).get())
        .extracting(StoredEvent::type)
        .containsExactly("Foreign");
    assertThat(outcomes.get(other).deadLetters()).isEmpty();
    assertThat(outcomes.get(other).lastRevision()).isZero();
  }

  @Test
  void shouldDeadLetterATwoMebibyteEventAndWriteTheRestInOrder() throws Exception {
    String s = stream();
    ProposedEvent before = event("Insert");
    ProposedEvent big =
        new ProposedEvent(UUID.randomUUID(), "Update", json(2 * 1024 * 1024), "{}".getBytes());
    ProposedEvent after = event("Delete");

    StreamOutcome outcome =
        appendOne(new StreamBatch(s, AppendRequest.NO_STREAM, List.of(before, big, after)));

    assertThat(outcome.deadLetters())
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.code()).isEqualTo(DeadLetterCode.EVENT_TOO_LARGE);
              assertThat(letter.event().id()).isEqualTo(big.id());
            });
    assertThat(outcome.lastRevision()).isEqualTo(1);
    assertThat(writer.read(s, 0, 100).get())
        .extracting(StoredEvent::id)
        .containsExactly(before.id(), after.id());
  }

  @Test
  void shouldCountTheClientsTraceIdsSoAnEventJustUnderTheLimitIsKnownTooLargeBeforeSending()
      throws Exception {
    ProposedEvent edge =
        new ProposedEvent(UUID.randomUUID(), "Update", json(1_048_576 - 20 - 12), "{}".getBytes());
    assertThat(edge.appendSize()).isLessThanOrEqualTo(1_048_576);
    StreamOutcome outcome =
        appendOne(new StreamBatch(stream(), AppendRequest.NO_STREAM, List.of(edge)));
    assertThat(outcome.deadLetters())
        .singleElement()
        .extracting(DeadLetter::code)
        .isEqualTo(DeadLetterCode.EVENT_TOO_LARGE);
  }

  @Test
  void shouldSplitABatchOverTheLimitIntoSeveralAppends() throws Exception {
    String s = stream();
    List<ProposedEvent> events =
        List.of(
            new ProposedEvent(UUID.randomUUID(), "A", json(400_000), "{}".getBytes()),
            new ProposedEvent(UUID.randomUUID(), "B", json(400_000), "{}".getBytes()),
            new ProposedEvent(UUID.randomUUID(), "C", json(400_000), "{}".getBytes()));
    StreamOutcome outcome = appendOne(new StreamBatch(s, AppendRequest.NO_STREAM, events));
    assertThat(outcome.deadLetters()).isEmpty();
    assertThat(outcome.lastRevision()).isEqualTo(2);
    assertThat(writer.read(s, 0, 100).get())
        .extracting(StoredEvent::type)
        .containsExactly("A", "B", "C");
  }

  @Test
  void shouldDeadLetterTheEventsOfATombstonedStream() throws Exception {
    String s = stream();
    writer.append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("A")))).get();
    try (var client = new AutoCloseableClient(emulator.connectionString())) {
      client.client.tombstoneStream(s).get();
    }
    StreamOutcome outcome = appendOne(new StreamBatch(s, 0, List.of(event("B"))));
    assertThat(outcome.deadLetters())
        .singleElement()
        .extracting(DeadLetter::code)
        .isEqualTo(DeadLetterCode.STREAM_DELETED);
  }

  @Test
  void shouldGiveUpWithUnavailableWhenTheServerStaysAway() {
    EventStoreEmulator gone = EventStoreEmulator.start(EmulatorOptions.ephemeral());
    String connection = gone.connectionString();
    gone.close();
    try (EsdbWriter orphan =
        EsdbWriter.connect(
            connection, EsdbWriter.Settings.defaults().withDeadline(Duration.ofSeconds(1)))) {
      BatchAppender impatient =
          new BatchAppender(
              orphan,
              new AppendSettings(
                  4, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(2)));
      assertThatThrownBy(
              () ->
                  impatient.appendAll(
                      List.of(
                          new StreamBatch(stream(), AppendRequest.NO_STREAM, List.of(event("A"))))))
          .isInstanceOf(EventStoreUnavailableException.class);
    }
  }

  private static StreamOutcome appendOne(StreamBatch batch) {
    return appender.appendAll(List.of(batch)).get(batch.stream());
  }

  /** A plain client for what the writer does not do (tombstones). */
  private static final class AutoCloseableClient implements AutoCloseable {
    final com.eventstore.dbclient.EventStoreDBClient client;

    AutoCloseableClient(String connectionString) {
      client =
          com.eventstore.dbclient.EventStoreDBClient.create(
              com.eventstore.dbclient.EventStoreDBConnectionString.parseOrThrow(connectionString));
    }

    @Override
    public void close() throws Exception {
      client.shutdown().get();
    }
  }
}
