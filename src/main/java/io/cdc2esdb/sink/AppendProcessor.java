package io.cdc2esdb.sink;

import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.SourcePosition;
import io.cdc2esdb.error.DeadLetterCode;
import io.cdc2esdb.event.ProposedEvent;
import io.cdc2esdb.processing.Counters;
import io.cdc2esdb.processing.DeadLetters;
import io.cdc2esdb.processing.FaultInjection;
import io.cdc2esdb.txn.Handoff;
import io.cdc2esdb.txn.ReleasedBatch;
import io.cdc2esdb.txn.ReleasedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Step 4, the terminal processor: hands a released batch to the {@link BatchAppender} without
 * waiting for EventStoreDB, and applies the answer on the stream thread when it has come (at once
 * if it is already there, else at a punctuation every {@code ackPollMs}): each stream's new
 * revision and high-water mark into {@code stream-positions}, dead letters out, and only then the
 * batch's events out of {@code pending}. So the stores only ever reflect acknowledged appends:
 * whatever is committed while an append is in flight is consistent, and the in-flight events are
 * released again after a crash.
 *
 * <p>Exactly once in effect: each append expects the exact revision recorded here and carries
 * deterministic event ids, and changes at or below a stream's high-water mark are skipped before
 * anything is sent. A replay after a crash (positions behind EventStoreDB) is recognised by the
 * server or by the appender's reconciliation; a replay of input older than the recorded positions
 * (offsets not committed, changelog written) is skipped here.
 */
public final class AppendProcessor implements Processor<Object, ReleasedBatch, byte[], byte[]> {

  private final AppendProcessorSupplier.Settings settings;
  private final BatchAppender appender;
  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<String, StreamPosition> positions;
  private KeyValueStore<Long, ?> pending;
  private Counters counters;
  private Handoff handoff;
  private InFlight inFlight;

  /** A batch sent and not yet recorded. */
  private record InFlight(
      ReleasedBatch batch,
      Map<String, Handled> streams,
      Map<ProposedEvent, ReleasedEvent> sources,
      CompletableFuture<FlushOutcome> answer) {}

  /** A stream's position before the batch, and the changes and events of the batch it handles. */
  private record Handled(
      StreamPosition before, List<ReleasedEvent> changes, List<ProposedEvent> events) {}

  AppendProcessor(AppendProcessorSupplier.Settings settings, BatchAppender appender) {
    this.settings = settings;
    this.appender = appender;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.positions = context.getStateStore(settings.positionsStore());
    this.pending = context.getStateStore(settings.pendingStore());
    this.counters = new Counters(context.metrics(), context.taskId().toString());
    this.handoff = settings.handoffs().forTask(context.taskId());
    context.schedule(
        Duration.ofMillis(settings.ackPollMs()),
        PunctuationType.WALL_CLOCK_TIME,
        now -> applyIfAnswered());
  }

  @Override
  public void process(Record<Object, ReleasedBatch> record) {
    applyIfAnswered();
    ReleasedBatch batch = record.value();
    Map<String, Handled> streams = new LinkedHashMap<>();
    Map<ProposedEvent, ReleasedEvent> sources = new IdentityHashMap<>();
    Map<String, SourcePosition> marks = new LinkedHashMap<>();
    List<Map<String, List<ProposedEvent>>> transactions = new ArrayList<>();
    Map<String, List<ProposedEvent>> transaction = null;
    String transactionId = null;
    for (ReleasedEvent change : batch.events()) {
      String stream = change.stream();
      Handled handled =
          streams.computeIfAbsent(
              stream,
              s -> {
                StreamPosition before = positions.get(s);
                marks.put(s, before == null ? null : before.lastSource());
                return new Handled(before, new ArrayList<>(), new ArrayList<>());
              });
      SourcePosition mark = marks.get(stream);
      SourcePosition source = change.event().source();
      if (mark != null && !source.isAfter(mark)) {
        counters.increment(Counters.SKIPPED_BELOW_HIGH_WATER);
        continue;
      }
      marks.put(stream, source);
      ProposedEvent event = settings.mapper().map(change.event(), change.eventCount());
      sources.put(event, change);
      handled.changes().add(change);
      handled.events().add(event);
      String txId = change.event().transactionId();
      if (transaction == null || txId == null || !txId.equals(transactionId)) {
        transaction = new LinkedHashMap<>();
        transactions.add(transaction);
        transactionId = txId;
      }
      transaction.computeIfAbsent(stream, s -> new ArrayList<>()).add(event);
    }
    streams.values().removeIf(h -> h.events().isEmpty());
    CompletableFuture<FlushOutcome> answer =
        streams.isEmpty()
            ? CompletableFuture.completedFuture(new FlushOutcome(Map.of(), 0, 0))
            : send(streams, transactions);
    inFlight = new InFlight(batch, streams, sources, answer);
    handoff.sent(answer);
    applyIfAnswered();
  }

  private CompletableFuture<FlushOutcome> send(
      Map<String, Handled> streams, List<Map<String, List<ProposedEvent>>> transactions) {
    return appender
        .mode()
        .thenCompose(
            mode -> {
              if (mode == AppendMode.TRANSACTION) {
                List<List<StreamBatch>> txns = new ArrayList<>(transactions.size());
                for (Map<String, List<ProposedEvent>> txn : transactions) {
                  List<StreamBatch> batches = new ArrayList<>(txn.size());
                  txn.forEach((s, events) -> batches.add(batch(s, streams.get(s), events)));
                  txns.add(batches);
                }
                return appender.appendTransactions(txns);
              }
              List<StreamBatch> batches = new ArrayList<>(streams.size());
              streams.forEach((s, handled) -> batches.add(batch(s, handled, handled.events())));
              return appender.appendStreams(batches);
            });
  }

  private static StreamBatch batch(String stream, Handled handled, List<ProposedEvent> events) {
    long expected =
        handled.before() == null ? AppendRequest.NO_STREAM : handled.before().expectedRevision();
    return new StreamBatch(stream, expected, events);
  }

  /**
   * Records the batch in flight if EventStoreDB has answered; a failure (EventStoreDB unavailable
   * past the retry timeout, or an unexpected error) fails the task, which restarts from its last
   * commit with nothing of the batch recorded.
   */
  private void applyIfAnswered() {
    if (inFlight == null || !inFlight.answer().isDone()) {
      return;
    }
    InFlight done = inFlight;
    FlushOutcome outcome = BatchAppender.join(done.answer());
    // Acknowledged, nothing recorded yet: where a crash hurts most (fault suite only).
    FaultInjection.afterAppendAcknowledged();
    done.streams()
        .forEach(
            (stream, handled) ->
                record(
                    stream, Objects.requireNonNull(outcome.streams().get(stream)), handled, done));
    counters.add(Counters.APPENDS, outcome.appends());
    counters.add(Counters.TRANSACTIONS_SPLIT, outcome.splitTransactions());
    for (ReleasedEvent change : done.batch().events()) {
      // Not delete(): the store's delete returns the old value, so it would read back every
      // event it removes.
      pending.put(change.sequence(), null);
    }
    inFlight = null;
    handoff.acknowledged();
  }

  private void record(String stream, StreamOutcome outcome, Handled handled, InFlight done) {
    StreamPosition before = handled.before();
    Set<ProposedEvent> dead = Collections.newSetFromMap(new IdentityHashMap<>());
    for (DeadLetter letter : outcome.deadLetters()) {
      dead.add(letter.event());
      deadLetter(stream, letter, done.sources().get(letter.event()).event());
    }
    ProposedEvent lastWritten = null;
    int written = 0;
    for (ProposedEvent event : handled.events()) {
      if (!dead.contains(event)) {
        lastWritten = event;
        written++;
      }
    }
    ChangeEvent last = handled.changes().get(handled.changes().size() - 1).event();
    positions.put(
        stream,
        new StreamPosition(
            outcome.lastRevision(),
            last.source(),
            lastWritten != null
                ? lastWritten.id().toString()
                : before == null ? null : before.lastEventId(),
            last.transactionId(),
            (before == null ? 0 : before.eventsWritten()) + written,
            context.currentSystemTimeMs()));
    counters.add(Counters.EVENTS_WRITTEN, written);
  }

  private void deadLetter(String stream, DeadLetter dead, ChangeEvent event) {
    counters.deadLettered(dead.code());
    if (dead.code() == DeadLetterCode.CONFLICT) {
      counters.increment(Counters.CONFLICTS);
    }
    context.forward(
        DeadLetters.of(dead.reason(), event.origin()).stream(stream)
            .key(event.key() == null ? null : Json.bytes(event.key()))
            .value(event.payloadBytes())
            .at(context.currentSystemTimeMs()),
        settings.deadLetter());
  }

  @Override
  public void close() {
    settings.handoffs().closed(context.taskId());
    counters.close();
  }
}
