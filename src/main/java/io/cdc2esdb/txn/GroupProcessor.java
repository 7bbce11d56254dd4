package io.cdc2esdb.txn;

import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.processing.Counters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Step 3: buffers changes in the task's ordered, persistent {@code pending} store (key: a monotonic
 * sequence) and releases them from its head, in order, while the head may go:
 *
 * <ul>
 *   <li>its transaction has ended (END seen in the global {@code transactions} store), or
 *   <li>it has no transaction (snapshot rows, connectors without transaction metadata), or
 *   <li>it has waited {@code transaction.max.wait.ms} (wall-clock) since it was buffered: Debezium
 *       can lose or undercount an END after a restart, so END is never waited for forever.
 * </ul>
 *
 * The released prefix goes to the append processor as one {@link ReleasedBatch} of whole
 * transactions (a cut falls only between two transactions; one transaction larger than {@code
 * flush.max.events} is released whole). Releasing does not remove anything: the append step removes
 * a batch's events from {@code pending} once EventStoreDB acknowledged them, so the store holds
 * every change not yet written at any commit, and a restart releases them again (which the append
 * step makes harmless). One batch per task is in flight at a time ({@link Handoff}): the next is
 * released as soon as the previous one is acknowledged, and takes everything releasable that
 * arrived meanwhile, so flushes grow with the load instead of with a timer. A wall-clock
 * punctuation every {@code flush.interval.ms} releases what became releasable without new input.
 */
public final class GroupProcessor implements Processor<String, ChangeEvent, Object, ReleasedBatch> {

  private final GroupSettings settings;
  private final Handoffs handoffs;
  private Handoff handoff;
  private ProcessorContext<Object, ReleasedBatch> context;
  private KeyValueStore<Long, PendingEvent> pending;
  private KeyValueStore<String, TransactionInfo> transactions;
  private Counters counters;
  private long head;
  private long next;
  private long size;
  private long blockedMs;

  /** The longest the input is held back between two punctuations (well below 10 s). */
  static final long MAX_BLOCK_MS = 500;

  public GroupProcessor(GroupSettings settings, Handoffs handoffs) {
    this.settings = settings;
    this.handoffs = handoffs;
  }

  @Override
  public void init(ProcessorContext<Object, ReleasedBatch> context) {
    this.context = context;
    this.pending = context.getStateStore(settings.pendingStore());
    this.transactions = context.getStateStore(settings.transactionsStore());
    this.counters = new Counters(context.metrics(), context.taskId().toString());
    this.handoff = handoffs.forTask(context.taskId());
    // A re-created task has nothing in flight: what an earlier instance released is released again.
    handoff.acknowledged();
    recoverBounds();
    context.schedule(
        Duration.ofMillis(settings.flushIntervalMs()),
        PunctuationType.WALL_CLOCK_TIME,
        now -> {
          blockedMs = 0;
          flush(now);
        });
  }

  /**
   * Finds the head and the next sequence of a restored buffer. This is the one scan from the start
   * of the store; every flush after it seeks straight to the head, so the ranges that earlier
   * flushes deleted (which RocksDB must step over until compaction) are never walked again.
   */
  private void recoverBounds() {
    head = 0;
    next = 0;
    size = 0;
    try (KeyValueIterator<Long, PendingEvent> all = pending.all()) {
      while (all.hasNext()) {
        long key = all.next().key;
        if (size++ == 0) {
          head = key;
        }
        next = key + 1;
      }
    }
    if (size == 0) {
      head = next;
    }
  }

  @Override
  public void process(Record<String, ChangeEvent> record) {
    pending.put(next++, new PendingEvent(record.key(), record.value(), now()));
    size++;
    flush(now());
    pushBack();
  }

  /**
   * Releases the longest releasable prefix of whole transactions, about {@code flush.max.events} at
   * most, unless a batch is still in flight.
   */
  void flush(long nowMs) {
    // An append that completes at once (the in-memory store) frees the handoff at once.
    while (size > 0 && handoff.idle()) {
      List<ReleasedEvent> released = releasablePrefix(nowMs);
      if (released.isEmpty()) {
        return;
      }
      head = released.get(released.size() - 1).sequence() + 1;
      size -= released.size();
      handoff.handedOver(released.size());
      context.forward(new Record<>(null, new ReleasedBatch(released), nowMs));
    }
  }

  /**
   * Back-pressure: with more than {@code pending.max.events} buffered and a batch in flight, waits
   * for EventStoreDB's answer, but never longer than {@code backpressureMaxBlockMs} between two
   * punctuations, so that one step of the stream thread stays far below the producer's transaction
   * timeout whatever EventStoreDB does.
   */
  private void pushBack() {
    if (size < settings.maxPendingEvents() || handoff.idle() || blockedMs >= MAX_BLOCK_MS) {
      return;
    }
    long start = System.nanoTime();
    handoff.await(MAX_BLOCK_MS - blockedMs);
    blockedMs += (System.nanoTime() - start) / 1_000_000;
    counters.increment(Counters.BACKPRESSURE_WAITS);
  }

  private List<ReleasedEvent> releasablePrefix(long nowMs) {
    List<ReleasedEvent> released = new ArrayList<>();
    String lastTx = null;
    try (KeyValueIterator<Long, PendingEvent> it = pending.range(head, Long.MAX_VALUE)) {
      while (it.hasNext()) {
        KeyValue<Long, PendingEvent> entry = it.next();
        PendingEvent p = entry.value;
        String txId = p.event().transactionId();
        boolean newTransaction = released.isEmpty() || txId == null || !txId.equals(lastTx);
        // Cut only between transactions: one larger than the bound is released whole.
        if (newTransaction && released.size() >= settings.flushMaxEvents()) {
          break;
        }
        TransactionInfo info = txId == null ? null : transactions.get(txId);
        Long eventCount = null;
        if (info != null && info.ended()) {
          eventCount = info.eventCount();
        } else if (txId != null) {
          if (nowMs - p.bufferedAtMs() < settings.maxWaitMs()) {
            break;
          }
          counters.increment(Counters.RELEASED_ON_TIMEOUT);
        }
        released.add(new ReleasedEvent(entry.key, p.stream(), p.event(), eventCount));
        lastTx = txId;
      }
    }
    return released;
  }

  private long now() {
    return context.currentSystemTimeMs();
  }

  @Override
  public void close() {
    handoffs.closed(context.taskId());
    counters.close();
  }
}
