package io.cdc2esdb.txn;

import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.processing.Counters;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
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
 *
 * <p>The store is written for durability and read only to recover: the head of the buffer (up to
 * twice {@code flush.max.events}, a bound like Kafka Streams' own record buffer) is also kept as
 * objects in a window, so a release neither reads nor parses what it just buffered. What does not
 * fit waits in the store alone and moves into the window as the head drains.
 */
public final class GroupProcessor implements Processor<String, ChangeEvent, Object, ReleasedBatch> {

  private final GroupSettings settings;
  private final Handoffs handoffs;
  private Handoff handoff;
  private ProcessorContext<Object, ReleasedBatch> context;
  private KeyValueStore<Long, PendingEvent> pending;
  private KeyValueStore<String, TransactionInfo> transactions;
  private Counters counters;
  private final ArrayDeque<Buffered> window = new ArrayDeque<>();
  private long head;
  private long next;
  private long size;
  private long windowEnd;
  private long windowBytes;
  private long blockedMs;

  /** A buffered change and its sequence in {@code pending}. */
  private record Buffered(long sequence, PendingEvent event) {}

  /** The most buffered events also held as objects. */
  static final long MAX_WINDOW_EVENTS = 20_000;

  /** The most record bytes (the Debezium values they were read from) held as objects. */
  static final long MAX_WINDOW_BYTES = 32L * 1024 * 1024;

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
   * Finds the head and the next sequence of a restored buffer and fills the window from it. This is
   * the one scan from the start of the store; every later read seeks past the window, so the ranges
   * that earlier releases deleted (which RocksDB must step over until compaction) are never walked
   * again.
   */
  private void recoverBounds() {
    window.clear();
    windowBytes = 0;
    windowEnd = -1;
    head = 0;
    next = 0;
    size = 0;
    try (KeyValueIterator<Long, PendingEvent> all = pending.all()) {
      while (all.hasNext()) {
        KeyValue<Long, PendingEvent> entry = all.next();
        if (size++ == 0) {
          head = entry.key;
          windowEnd = entry.key;
        }
        next = entry.key + 1;
        if (windowEnd == entry.key && fitsWindow(entry.value)) {
          window.add(new Buffered(entry.key, entry.value));
          windowEnd = next;
        }
      }
    }
    if (size == 0) {
      head = next;
      windowEnd = next;
    }
  }

  /** Whether {@code event} has room in the window (always when it is empty); if so, counts it. */
  private boolean fitsWindow(PendingEvent event) {
    long bytes = event.event().origin().valueBytes();
    if (!window.isEmpty()
        && (window.size() >= windowCapacity() || windowBytes + bytes > MAX_WINDOW_BYTES)) {
      return false;
    }
    windowBytes += bytes;
    return true;
  }

  private int windowCapacity() {
    long wanted = Math.max(2L * settings.flushMaxEvents(), settings.maxPendingEvents());
    return (int) Math.max(2, Math.min(wanted, MAX_WINDOW_EVENTS));
  }

  @Override
  public void process(Record<String, ChangeEvent> record) {
    PendingEvent event = new PendingEvent(record.key(), record.value(), now());
    long sequence = next++;
    pending.put(sequence, event);
    size++;
    if (windowEnd == sequence && fitsWindow(event)) {
      window.add(new Buffered(sequence, event));
      windowEnd = next;
    }
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
      dropReleased();
      handoff.handedOver(released.size());
      context.forward(new Record<>(null, new ReleasedBatch(released), nowMs));
    }
  }

  /** Drops the released head from the window and refills it from the store. */
  private void dropReleased() {
    while (!window.isEmpty() && window.peekFirst().sequence() < head) {
      windowBytes -= window.pollFirst().event().event().origin().valueBytes();
    }
    if (window.isEmpty()) {
      windowEnd = Math.max(windowEnd, head);
    }
    if (windowEnd >= next || window.size() >= windowCapacity() / 2) {
      return;
    }
    try (KeyValueIterator<Long, PendingEvent> it = pending.range(windowEnd, next - 1)) {
      while (it.hasNext()) {
        KeyValue<Long, PendingEvent> entry = it.next();
        if (!fitsWindow(entry.value)) {
          break;
        }
        window.add(new Buffered(entry.key, entry.value));
        windowEnd = entry.key + 1;
      }
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
    TransactionInfo info = null;
    try (Head it = new Head()) {
      while (it.hasNext()) {
        Buffered entry = it.next();
        PendingEvent p = entry.event();
        String txId = p.event().transactionId();
        boolean newTransaction = released.isEmpty() || txId == null || !txId.equals(lastTx);
        // Cut only between transactions: one larger than the bound is released whole.
        if (newTransaction && released.size() >= settings.flushMaxEvents()) {
          break;
        }
        if (newTransaction) {
          info = txId == null ? null : transactions.get(txId);
        }
        Long eventCount = null;
        if (info != null && info.ended()) {
          eventCount = info.eventCount();
        } else if (txId != null) {
          if (nowMs - p.bufferedAtMs() < settings.maxWaitMs()) {
            break;
          }
          counters.increment(Counters.RELEASED_ON_TIMEOUT);
        }
        released.add(new ReleasedEvent(entry.sequence(), p.stream(), p.event(), eventCount));
        lastTx = txId;
      }
    }
    return released;
  }

  /**
   * The buffer from its head: the window, then (only for a transaction longer than the window) the
   * store past it.
   */
  private final class Head implements Iterator<Buffered>, AutoCloseable {
    private final Iterator<Buffered> inWindow = window.iterator();
    private KeyValueIterator<Long, PendingEvent> inStore;

    @Override
    public boolean hasNext() {
      if (inWindow.hasNext()) {
        return true;
      }
      if (inStore == null && windowEnd < next) {
        inStore = pending.range(windowEnd, next - 1);
      }
      return inStore != null && inStore.hasNext();
    }

    @Override
    public Buffered next() {
      if (inWindow.hasNext()) {
        return inWindow.next();
      }
      KeyValue<Long, PendingEvent> entry = inStore.next();
      return new Buffered(entry.key, entry.value);
    }

    @Override
    public void close() {
      if (inStore != null) {
        inStore.close();
      }
    }
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
