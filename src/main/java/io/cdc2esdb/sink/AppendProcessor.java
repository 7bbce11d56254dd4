package io.cdc2esdb.sink;

import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.error.DeadLetterCode;
import io.cdc2esdb.event.EventMapper;
import io.cdc2esdb.event.ProposedEvent;
import io.cdc2esdb.processing.Counters;
import io.cdc2esdb.processing.DeadLetters;
import io.cdc2esdb.txn.ReleasedBatch;
import io.cdc2esdb.txn.ReleasedEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Step 4, the terminal processor: appends a released batch to EventStoreDB, one append per stream
 * (streams concurrently, see {@link BatchAppender}), and only then records each stream's new
 * revision and high-water mark in {@code stream-positions}.
 *
 * <p>Exactly once in effect: each append expects the exact revision recorded here and carries
 * deterministic event ids, and changes at or below a stream's high-water mark are skipped before
 * anything is sent. A replay after a crash (positions behind EventStoreDB) is recognised by the
 * server or by {@link BatchAppender}'s reconciliation; a replay of input older than the recorded
 * positions (offsets not committed, changelog written) is skipped here. Events that cannot be
 * written go to the dead-letter sink.
 */
public final class AppendProcessor implements Processor<Object, ReleasedBatch, byte[], byte[]> {

  private final String positionsStore;
  private final EventMapper mapper;
  private final BatchAppender appender;
  private final String deadLetter;
  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<String, StreamPosition> positions;
  private Counters counters;

  public AppendProcessor(
      String positionsStore, EventMapper mapper, BatchAppender appender, String deadLetter) {
    this.positionsStore = positionsStore;
    this.mapper = mapper;
    this.appender = appender;
    this.deadLetter = deadLetter;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.positions = context.getStateStore(positionsStore);
    this.counters = new Counters(context.metrics(), context.taskId().toString());
  }

  @Override
  public void process(Record<Object, ReleasedBatch> record) {
    Map<String, List<ReleasedEvent>> byStream = new LinkedHashMap<>();
    for (ReleasedEvent event : record.value().events()) {
      byStream.computeIfAbsent(event.stream(), s -> new ArrayList<>()).add(event);
    }
    Map<ProposedEvent, ReleasedEvent> sources = new IdentityHashMap<>();
    Map<String, Handled> handled = new LinkedHashMap<>();
    List<StreamBatch> batches = new ArrayList<>();
    byStream.forEach(
        (stream, events) -> {
          StreamPosition position = positions.get(stream);
          List<ReleasedEvent> fresh = aboveHighWaterMark(position, events);
          if (fresh.isEmpty()) {
            return;
          }
          List<ProposedEvent> proposed = new ArrayList<>(fresh.size());
          for (ReleasedEvent event : fresh) {
            ProposedEvent mapped = mapper.map(event.event(), event.eventCount());
            sources.put(mapped, event);
            proposed.add(mapped);
          }
          handled.put(stream, new Handled(position, fresh));
          long expected = position == null ? AppendRequest.NO_STREAM : position.expectedRevision();
          batches.add(new StreamBatch(stream, expected, proposed));
        });
    if (batches.isEmpty()) {
      return;
    }
    Map<String, StreamOutcome> outcomes = appender.appendAll(batches);
    counters.add(Counters.APPENDS, batches.size());
    for (StreamBatch batch : batches) {
      record(batch, outcomes.get(batch.stream()), handled.get(batch.stream()), sources);
    }
  }

  /** Drops changes already handled: at or below the stored mark, or repeated within the batch. */
  private List<ReleasedEvent> aboveHighWaterMark(
      StreamPosition position, List<ReleasedEvent> events) {
    List<ReleasedEvent> fresh = new ArrayList<>(events.size());
    var mark = position == null ? null : position.lastSource();
    for (ReleasedEvent event : events) {
      var source = event.event().source();
      if (mark == null || source.isAfter(mark)) {
        fresh.add(event);
        mark = source;
      } else {
        counters.increment(Counters.SKIPPED_BELOW_HIGH_WATER);
      }
    }
    return fresh;
  }

  /** A stream's position before this batch, and the changes of the batch it handles. */
  private record Handled(StreamPosition before, List<ReleasedEvent> events) {}

  private void record(
      StreamBatch batch,
      StreamOutcome outcome,
      Handled handled,
      Map<ProposedEvent, ReleasedEvent> sources) {
    StreamPosition before = handled.before();
    Set<ProposedEvent> dead = Collections.newSetFromMap(new IdentityHashMap<>());
    for (DeadLetter letter : outcome.deadLetters()) {
      dead.add(letter.event());
      deadLetter(batch.stream(), letter, sources.get(letter.event()).event());
    }
    ProposedEvent lastWritten = null;
    int written = 0;
    for (ProposedEvent event : batch.events()) {
      if (!dead.contains(event)) {
        lastWritten = event;
        written++;
      }
    }
    ChangeEvent last = handled.events().get(handled.events().size() - 1).event();
    positions.put(
        batch.stream(),
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
    counters.increment(Counters.DEAD_LETTERED);
    if (dead.code() == DeadLetterCode.CONFLICT) {
      counters.increment(Counters.CONFLICTS);
    }
    context.forward(
        DeadLetters.of(dead.reason(), event.origin()).stream(stream)
            .key(event.key() == null ? null : Json.bytes(event.key()))
            .value(Json.bytes(event.payload()))
            .at(context.currentSystemTimeMs()),
        deadLetter);
  }

  @Override
  public void close() {
    counters.close();
  }
}
