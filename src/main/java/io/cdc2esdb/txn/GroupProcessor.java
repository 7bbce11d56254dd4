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
 * The released prefix goes to the append processor as one {@link ReleasedBatch}; it is removed from
 * {@code pending} only after that call returns, i.e. after EventStoreDB acknowledged it. If the
 * append throws, nothing is removed and the task fails: the events are appended again after the
 * restart, which the append processor makes harmless. Flushes run on a wall-clock punctuation and
 * whenever {@code flush.max.events} are pending.
 */
public final class GroupProcessor implements Processor<String, ChangeEvent, Object, ReleasedBatch> {

  private final GroupSettings settings;
  private ProcessorContext<Object, ReleasedBatch> context;
  private KeyValueStore<Long, PendingEvent> pending;
  private KeyValueStore<String, TransactionInfo> transactions;
  private Counters counters;
  private long head;
  private long next;
  private long size;

  public GroupProcessor(GroupSettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<Object, ReleasedBatch> context) {
    this.context = context;
    this.pending = context.getStateStore(settings.pendingStore());
    this.transactions = context.getStateStore(settings.transactionsStore());
    this.counters = new Counters(context.metrics(), context.taskId().toString());
    recoverBounds();
    context.schedule(
        Duration.ofMillis(settings.flushIntervalMs()),
        PunctuationType.WALL_CLOCK_TIME,
        this::flush);
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
    if (++size >= settings.flushMaxEvents()) {
      flush(now());
    }
  }

  /** Releases the longest releasable prefix, at most {@code flush.max.events} at a time. */
  void flush(long nowMs) {
    while (size > 0) {
      List<ReleasedEvent> released = releasablePrefix(nowMs);
      if (released.isEmpty()) {
        return;
      }
      context.forward(new Record<>(null, new ReleasedBatch(released), nowMs));
      for (ReleasedEvent event : released) {
        pending.delete(event.sequence());
      }
      head = released.get(released.size() - 1).sequence() + 1;
      size -= released.size();
      if (released.size() < settings.flushMaxEvents()) {
        return;
      }
    }
  }

  private List<ReleasedEvent> releasablePrefix(long nowMs) {
    List<ReleasedEvent> released = new ArrayList<>();
    try (KeyValueIterator<Long, PendingEvent> it = pending.range(head, Long.MAX_VALUE)) {
      while (it.hasNext() && released.size() < settings.flushMaxEvents()) {
        KeyValue<Long, PendingEvent> entry = it.next();
        PendingEvent p = entry.value;
        String txId = p.event().transactionId();
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
      }
    }
    return released;
  }

  private long now() {
    return context.currentSystemTimeMs();
  }

  @Override
  public void close() {
    counters.close();
  }
}
