package io.cdc2esdb.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.SubscriptionListener;
import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import io.cdc2esdb.dev.emulator.ServerVersion;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.event.ProposedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A {@code $all} subscriber, reading while cdc2esdb's appender writes many multi-row transactions
 * from several tasks at once, never sees part of a transaction: in {@code transaction} mode every
 * transaction's events arrive together, complete and contiguous. The real client subscribes, the
 * gRPC writer appends, the emulator plays KurrentDB 26.0.
 */
class AtomicTransactionsIT {

  private static final int TASKS = 4;
  private static final int FLUSHES_PER_TASK = 50;
  private static final int TRANSACTIONS_PER_FLUSH = 50;
  private static final int TRANSACTIONS = TASKS * FLUSHES_PER_TASK * TRANSACTIONS_PER_FLUSH;
  private static final int STREAMS_PER_TASK = 300;

  private final Map<String, Integer> sizes = new ConcurrentHashMap<>();

  @Test
  void shouldNeverLetASubscriberSeePartOfATransaction() throws Exception {
    assertThat(TRANSACTIONS).isGreaterThanOrEqualTo(10_000);
    try (EventStoreEmulator emulator =
            EventStoreEmulator.start(
                EmulatorOptions.ephemeral()
                    .withProjections(false)
                    .withServerVersion(ServerVersion.V26_0));
        EsdbGrpcWriter writer =
            EsdbGrpcWriter.connect(
                emulator.connectionString(),
                new EsdbGrpcWriter.Settings(Duration.ofSeconds(10), 1_048_576))) {
      Checker checker = new Checker();
      EventStoreDBClient client =
          EventStoreDBClient.create(
              EventStoreDBConnectionString.parseOrThrow(emulator.connectionString()));
      Subscription subscription =
          client.subscribeToAll(checker, SubscribeToAllOptions.get().fromStart()).get();
      BatchAppender appender =
          new BatchAppender(writer, AppendSettings.defaults(), AppendMode.TRANSACTION);

      List<CompletableFuture<Void>> tasks = new ArrayList<>();
      for (int task = 0; task < TASKS; task++) {
        int t = task;
        tasks.add(CompletableFuture.runAsync(() -> runTask(appender, t)));
      }
      CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
      int events = sizes.values().stream().mapToInt(Integer::intValue).sum();
      assertThat(checker.all.await(2, TimeUnit.MINUTES)).as("subscriber caught up").isTrue();
      subscription.stop();
      client.shutdown().get();

      assertThat(checker.seen.get()).isEqualTo(events);
      assertThat(checker.transactionsSeen.get()).isEqualTo(TRANSACTIONS);
      assertThat(checker.partial).isEmpty();
    }
  }

  /** One task: its own streams (as a partition owns its rows), flushes one after another. */
  private void runTask(BatchAppender appender, int task) {
    Random random = new Random(task);
    Map<String, Long> revisions = new HashMap<>();
    for (int flush = 0; flush < FLUSHES_PER_TASK; flush++) {
      List<List<StreamBatch>> txns = new ArrayList<>();
      Map<String, Long> expectedInFlush = new HashMap<>();
      for (int n = 0; n < TRANSACTIONS_PER_FLUSH; n++) {
        String txId = "t" + task + "-" + flush + "-" + n;
        int rows = 1 + random.nextInt(5);
        Map<String, List<ProposedEvent>> byStream = new LinkedHashMap<>();
        for (int r = 0; r < rows; r++) {
          String stream = "rows" + task + "-" + random.nextInt(STREAMS_PER_TASK);
          byStream.computeIfAbsent(stream, s -> new ArrayList<>()).add(event(txId));
        }
        sizes.put(txId, rows);
        List<StreamBatch> txn = new ArrayList<>();
        byStream.forEach(
            (stream, events) -> {
              long expected =
                  expectedInFlush.computeIfAbsent(
                      stream, s -> revisions.getOrDefault(s, AppendRequest.NO_STREAM));
              txn.add(new StreamBatch(stream, expected, events));
            });
        txns.add(txn);
      }
      FlushOutcome outcome = BatchAppender.join(appender.appendTransactions(txns));
      outcome.streams().forEach((stream, o) -> revisions.put(stream, o.lastRevision()));
      outcome.streams().values().forEach(o -> assertThat(o.deadLetters()).isEmpty());
    }
  }

  private static ProposedEvent event(String txId) {
    return new ProposedEvent(
        UUID.randomUUID(),
        "Update",
        "{\"n\":1}".getBytes(StandardCharsets.UTF_8),
        ("{\"$correlationId\":\"" + txId + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  /** Follows {@code $all}: each transaction's events must come one after another, all of them. */
  private final class Checker extends SubscriptionListener {
    final AtomicInteger seen = new AtomicInteger();
    final AtomicInteger transactionsSeen = new AtomicInteger();
    final List<String> partial = new ArrayList<>();
    final CountDownLatch all = new CountDownLatch(1);
    private String current;
    private int count;

    @Override
    public void onEvent(Subscription subscription, ResolvedEvent resolved) {
      RecordedEvent event = resolved.getOriginalEvent();
      if (event.getStreamId().startsWith("$") || event.getEventType().startsWith("$")) {
        return;
      }
      String txId;
      try {
        txId = Json.read(event.getUserMetadata()).get("$correlationId").asText();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      seen.incrementAndGet();
      if (!txId.equals(current)) {
        closeCurrent();
        current = txId;
        count = 0;
        transactionsSeen.incrementAndGet();
      }
      count++;
      if (count == sizes.get(txId)) {
        closeCurrent();
        current = null;
        if (transactionsSeen.get() == TRANSACTIONS) {
          all.countDown();
        }
      }
    }

    private void closeCurrent() {
      if (current != null && count != sizes.get(current)) {
        partial.add(current + ": " + count + " of " + sizes.get(current));
      }
    }
  }
}
