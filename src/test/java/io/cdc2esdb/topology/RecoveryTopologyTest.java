package io.cdc2esdb.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.sink.AppendRequest;
import io.cdc2esdb.sink.AppendResult;
import io.cdc2esdb.sink.EventStoreException;
import io.cdc2esdb.sink.EventStoreWriter;
import io.cdc2esdb.sink.InMemoryEventStore;
import io.cdc2esdb.sink.SessionResult;
import io.cdc2esdb.sink.StoredEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Crashes and replays: every event ends up written exactly once, in order. */
class RecoveryTopologyTest {

  private static final List<CaptureRecord> DUMP = TopologyFixture.capture("connect-dump.jsonl");

  @TempDir Path tmp;

  /**
   * Acknowledged but not recorded: the first instance wrote some appends and crashed; its state is
   * gone, so the second one sends them again from the start.
   */
  @ParameterizedTest
  @ValueSource(strings = {"per-stream", "transaction"})
  void shouldWriteEveryEventOnceAfterAFailureInTheMiddleOfAFlushAndAReplayFromScratch(String mode)
      throws IOException {
    InMemoryEventStore store = new InMemoryEventStore();
    FailingWriter failing = new FailingWriter(store, 7);
    Map<String, String> settings = Map.of("esdb.append.mode", mode);
    try (TopologyFixture first =
        new TopologyFixture(TopologyFixture.tempDir(tmp, "a"), failing, store, settings)) {
      assertThatThrownBy(
              () -> {
                first.pipe(DUMP);
                first.flush();
              })
          .hasRootCauseInstanceOf(EventStoreException.class);
    }
    assertThat(store.streamNames()).hasSize(7);

    // The crashed instance's state is gone: a new one reprocesses the input from the start.
    try (TopologyFixture second =
        new TopologyFixture(TopologyFixture.tempDir(tmp, "b"), store, settings)) {
      second.pipe(DUMP);
      second.flush();
      assertThat(second.deadLetters()).isEmpty();
    }
    ReplayTopologyTest.expectedTypesByStream()
        .forEach(
            (stream, types) ->
                assertThat(store.events(stream).stream().map(r -> r.event().type()))
                    .as(stream)
                    .isEqualTo(types));
    assertThat(store.totalEvents()).isEqualTo(53);
  }

  @ParameterizedTest
  @ValueSource(strings = {"per-stream", "transaction"})
  void shouldSkipReplayedInputWhenRestoredPositionsAreAheadOfIt(String mode) {
    InMemoryEventStore store = new InMemoryEventStore();
    try (TopologyFixture fixture =
        new TopologyFixture(tmp, store, Map.of("esdb.append.mode", mode))) {
      fixture.pipe(DUMP);
      fixture.flush();
      int written = store.totalEvents();

      // Changelog written, offsets not committed: the input from the start comes again.
      fixture.pipe(DUMP.subList(0, DUMP.size() / 2));
      fixture.flush();
      fixture.pipe(DUMP);
      fixture.flush();

      assertThat(store.totalEvents()).isEqualTo(written);
      assertThat(fixture.deadLetters()).isEmpty();
    }
  }

  /** Delegates to a store, and fails every append after the first {@code healthy} ones. */
  static final class FailingWriter implements EventStoreWriter {
    private final EventStoreWriter delegate;
    private final AtomicInteger left;

    FailingWriter(EventStoreWriter delegate, int healthy) {
      this.delegate = delegate;
      this.left = new AtomicInteger(healthy);
    }

    @Override
    public CompletableFuture<AppendResult> append(AppendRequest request) {
      if (left.getAndDecrement() <= 0) {
        return CompletableFuture.failedFuture(new EventStoreException("injected failure"));
      }
      return delegate.append(request);
    }

    @Override
    public CompletableFuture<SessionResult> appendSession(List<AppendRequest> requests) {
      if (left.getAndDecrement() <= 0) {
        return CompletableFuture.failedFuture(new EventStoreException("injected failure"));
      }
      return delegate.appendSession(requests);
    }

    @Override
    public CompletableFuture<Boolean> supportsAppendSession() {
      return delegate.supportsAppendSession();
    }

    @Override
    public CompletableFuture<List<StoredEvent>> read(String stream, long from, int max) {
      return delegate.read(stream, from, max);
    }

    @Override
    public void close() {}
  }
}
