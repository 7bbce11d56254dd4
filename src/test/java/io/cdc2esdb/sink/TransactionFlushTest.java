package io.cdc2esdb.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.event.ProposedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How a transaction-mode flush packs its transactions into appends and overlaps them. */
class TransactionFlushTest {

  private static final AppendSettings SETTINGS =
      new AppendSettings(8, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5));

  @Test
  void shouldPackEachTransactionIntoTheFirstAppendAfterTheLastHoldingOneOfItsStreams() {
    Gated store = new Gated(new InMemoryEventStore());
    // T1 {a}, T2 {a, b}, T3 {c}, T4 {b}: T3 joins T1's append, T2 and T4 follow in turn.
    List<List<StreamBatch>> txns = List.of(txn("a"), txn("a", "b"), txn("c"), txn("b"));

    CompletableFuture<FlushOutcome> flush = new TransactionFlush(store, SETTINGS, txns).run();
    store.releaseAll();

    FlushOutcome outcome = flush.join();
    assertThat(store.sessions).containsExactly(List.of("a", "c"), List.of("a", "b"), List.of("b"));
    assertThat(outcome.appends()).isEqualTo(3);
    assertThat(outcome.streams().get("a").lastRevision()).isEqualTo(1);
    assertThat(outcome.streams().get("b").lastRevision()).isEqualTo(1);
    assertThat(outcome.streams().get("c").lastRevision()).isEqualTo(0);
  }

  @Test
  void shouldSendAppendsOnDisjointStreamsTogetherAndHoldOneThatSharesAStream() {
    // One event per append at most (by size): every transaction is its own append.
    Gated store = new Gated(new InMemoryEventStore(event("x").appendSize()));
    List<List<StreamBatch>> txns = List.of(txn("a"), txn("b"), txn("a"), txn("c"));

    CompletableFuture<FlushOutcome> flush = new TransactionFlush(store, SETTINGS, txns).run();

    // a, b and c go at once; the second a waits for the first a's answer.
    assertThat(store.sessions).containsExactly(List.of("a"), List.of("b"), List.of("c"));
    store.release(0);
    assertThat(store.sessions).hasSize(4);
    assertThat(store.sessions.get(3)).containsExactly("a");
    store.releaseAll();
    assertThat(flush.join().streams().get("a").lastRevision()).isEqualTo(1);
    assertThat(store.store.events("a")).hasSize(2);
  }

  private static List<StreamBatch> txn(String... streams) {
    List<StreamBatch> batches = new ArrayList<>();
    for (String stream : streams) {
      batches.add(new StreamBatch(stream, AppendRequest.NO_STREAM, List.of(event(stream))));
    }
    return batches;
  }

  private static ProposedEvent event(String stream) {
    byte[] data = ("{\"stream\":\"" + stream + "\"}").getBytes(StandardCharsets.UTF_8);
    return new ProposedEvent(UUID.randomUUID(), "Insert", data, data);
  }

  /** The in-memory store, with each session's answer held until the test releases it. */
  private static final class Gated implements EventStoreWriter {
    final InMemoryEventStore store;
    final List<List<String>> sessions = new ArrayList<>();
    final List<Runnable> held = new ArrayList<>();

    Gated(InMemoryEventStore store) {
      this.store = store;
    }

    @Override
    public synchronized CompletableFuture<SessionResult> appendSession(
        List<AppendRequest> requests) {
      sessions.add(requests.stream().map(AppendRequest::stream).toList());
      CompletableFuture<SessionResult> answer = new CompletableFuture<>();
      held.add(() -> store.appendSession(requests).thenAccept(answer::complete));
      return answer;
    }

    void release(int index) {
      Runnable r;
      synchronized (this) {
        r = held.set(index, () -> {});
      }
      r.run();
    }

    void releaseAll() {
      for (int i = 0; ; i++) {
        synchronized (this) {
          if (i >= held.size()) {
            return;
          }
        }
        release(i);
      }
    }

    @Override
    public CompletableFuture<AppendResult> append(AppendRequest request) {
      return store.append(request);
    }

    @Override
    public CompletableFuture<Boolean> supportsAppendSession() {
      return CompletableFuture.completedFuture(true);
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
    public long appendSize(ProposedEvent event) {
      return store.appendSize(event);
    }

    @Override
    public void close() {}
  }
}
