package io.cdc2esdb.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdc2esdb.error.DeadLetterCode;
import io.cdc2esdb.event.ProposedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchAppenderTest {

  private static final AppendSettings FAST =
      new AppendSettings(4, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(300));

  private final InMemoryEventStore store = new InMemoryEventStore(1_000);

  @Test
  void shouldSplitAStreamsEventsIntoAppendsWithinTheLimit() {
    List<ProposedEvent> events = events(5, 300);
    Map<String, StreamOutcome> out = appendAll(new StreamBatch("s-1", -1, events));
    assertThat(out.get("s-1").lastRevision()).isEqualTo(4);
    assertThat(store.appendCalls("s-1")).isEqualTo(2);
    assertThat(store.events("s-1"))
        .extracting(r -> r.event().id())
        .containsExactlyElementsOf(ids(events));
  }

  @Test
  void shouldDeadLetterOnlyTheEventOverTheLimit() {
    List<ProposedEvent> events = new ArrayList<>(events(1, 10));
    events.add(event(2_000));
    events.addAll(events(1, 10));
    StreamOutcome out = appendAll(new StreamBatch("s-1", -1, events)).get("s-1");
    assertThat(out.deadLetters())
        .extracting(DeadLetter::code)
        .containsExactly(DeadLetterCode.EVENT_TOO_LARGE);
    assertThat(store.events("s-1")).hasSize(2);
  }

  @Test
  void shouldRecogniseOurOwnEarlierWriteAndAppendOnlyTheRest() {
    List<ProposedEvent> events = events(4, 10);
    appendAll(new StreamBatch("s-1", -1, events.subList(0, 2)));

    // Positions were lost: the same events come again, expecting no stream.
    StreamOutcome out = appendAll(new StreamBatch("s-1", -1, events)).get("s-1");

    assertThat(out.deadLetters()).isEmpty();
    assertThat(out.lastRevision()).isEqualTo(3);
    assertThat(store.events("s-1"))
        .extracting(r -> r.event().id())
        .containsExactlyElementsOf(ids(events));
  }

  @Test
  void shouldCallAForeignEventAConflictAndRebaseOnIt() {
    appendAll(new StreamBatch("s-1", -1, events(1, 10)));
    store.append(new AppendRequest("s-1", 0, events(1, 10)));

    StreamOutcome out = appendAll(new StreamBatch("s-1", 0, events(2, 10))).get("s-1");

    assertThat(out.deadLetters()).hasSize(2).allMatch(d -> d.code() == DeadLetterCode.CONFLICT);
    assertThat(out.lastRevision()).isEqualTo(1);
  }

  @Test
  void shouldRetryTransientFailuresAndThenSucceed() {
    AtomicInteger failures = new AtomicInteger(3);
    EventStoreWriter flaky = flaky(failures);
    Map<String, StreamOutcome> out =
        new BatchAppender(flaky, FAST)
            .appendAll(List.of(new StreamBatch("s-1", -1, events(2, 10))));
    assertThat(out.get("s-1").lastRevision()).isEqualTo(1);
    assertThat(failures.get()).isNegative();
  }

  @Test
  void shouldGiveUpAfterTheRetryTimeout() {
    EventStoreWriter down = flaky(new AtomicInteger(Integer.MAX_VALUE));
    assertThatThrownBy(
            () ->
                new BatchAppender(down, FAST)
                    .appendAll(List.of(new StreamBatch("s-1", -1, events(1, 10)))))
        .isInstanceOf(EventStoreUnavailableException.class)
        .hasMessageContaining("s-1");
    assertThat(store.events("s-1")).isEmpty();
  }

  @Test
  void shouldAppendManyStreamsConcurrentlyAndReportEach() {
    List<StreamBatch> batches = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      batches.add(new StreamBatch("s-" + i, -1, events(3, 10)));
    }
    Map<String, StreamOutcome> out = appendAll(batches.toArray(StreamBatch[]::new));
    assertThat(out).hasSize(20);
    assertThat(store.totalEvents()).isEqualTo(60);
  }

  private Map<String, StreamOutcome> appendAll(StreamBatch... batches) {
    return new BatchAppender(store, FAST).appendAll(List.of(batches));
  }

  private EventStoreWriter flaky(AtomicInteger failures) {
    return new EventStoreWriter() {
      @Override
      public CompletableFuture<AppendResult> append(AppendRequest request) {
        if (failures.getAndDecrement() > 0) {
          return CompletableFuture.failedFuture(
              new EventStoreUnavailableException("UNAVAILABLE", null));
        }
        return store.append(request);
      }

      @Override
      public CompletableFuture<List<StoredEvent>> read(String stream, long from, int max) {
        return store.read(stream, from, max);
      }

      @Override
      public long maxAppendBytes() {
        return store.maxAppendBytes();
      }

      @Override
      public void close() {}
    };
  }

  private static List<ProposedEvent> events(int n, int size) {
    List<ProposedEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(event(size));
    }
    return events;
  }

  private static ProposedEvent event(int size) {
    return new ProposedEvent(UUID.randomUUID(), "T", new byte[size], new byte[0]);
  }

  private static List<UUID> ids(List<ProposedEvent> events) {
    return events.stream().map(ProposedEvent::id).toList();
  }
}
