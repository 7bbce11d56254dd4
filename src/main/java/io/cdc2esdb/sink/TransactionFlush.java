package io.cdc2esdb.sink;

import io.cdc2esdb.event.ProposedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One flush in {@code transaction} mode: whole transactions packed into atomic multi-stream appends
 * (several small ones share an append while no stream repeats, compared case-insensitively, and the
 * append stays within the size limit). Appends that share no stream with an earlier one still
 * waiting or in flight are sent at once, up to {@code esdb.max.inflight.appends}; an append that
 * shares one waits for the earlier to be answered, since its expected revision follows from that
 * answer. So every stream receives its events in order, while independent transactions overlap (as
 * appends to different streams do in per-stream mode).
 *
 * <p>A transaction larger than one append is split at stream boundaries (counted: it is then not
 * atomic); a stream whose own events exceed one append goes per stream, in chunks. A conflict or an
 * unclear answer is reconciled by reading each stream after its expected revision: streams that
 * already hold exactly our events (an acknowledged append not recorded before a restart) advance,
 * streams that hold nothing new are sent again, and a stream that holds anything else continues per
 * stream, where {@link StreamAppendTask} dead-letters it as a conflict. So a partial replay, which
 * the server answers as a conflict (26.0.3+) or INTERNAL (25.1 to 26.0.2), resolves without
 * duplicates. A step replaced this way is replaced in place, by steps on its own streams only.
 * State changes under the flush's lock; appends start outside it, one thread at a time.
 */
final class TransactionFlush {

  private static final int MAX_RECONCILES = 3;

  /** One append of the plan: several streams atomically, or one stream on its own. */
  private record Step(List<StreamBatch> streams, boolean perStream) {}

  /** A step in the plan, with its own retry and reconciliation state. */
  private static final class Node {
    final Step step;
    boolean started;
    int reconciles;
    int attempts;
    long firstFailureNanos;

    Node(Step step) {
      this.step = step;
    }
  }

  private final EventStoreWriter writer;
  private final AppendSettings settings;
  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, Long> revisions = new LinkedHashMap<>();
  private final Map<String, List<DeadLetter>> deadLetters = new LinkedHashMap<>();
  private final CompletableFuture<FlushOutcome> outcome = new CompletableFuture<>();
  private final AtomicInteger pumping = new AtomicInteger();
  private FlushOutcome finished;
  private boolean finishedOnce;
  private int running;
  private int appends;
  private int splits;

  TransactionFlush(EventStoreWriter writer, AppendSettings settings, List<List<StreamBatch>> txns) {
    this.writer = writer;
    this.settings = settings;
    List<Step> planned = new ArrayList<>();
    plan(txns, planned);
    planned.forEach(step -> nodes.add(new Node(step)));
  }

  CompletableFuture<FlushOutcome> run() {
    pump();
    return outcome;
  }

  /**
   * Starts every step that may go now. Only one thread starts steps at a time; a step answered
   * while it does so (at once, or on another thread) makes it look again instead of recursing.
   */
  private void pump() {
    if (pumping.getAndIncrement() != 0) {
      return;
    }
    do {
      for (Node node : startable()) {
        try {
          start(node);
        } catch (RuntimeException e) {
          // A call that fails before it is sent fails the flush, and must not stop the pump.
          fail(e);
        }
      }
      FlushOutcome done = takeFinished();
      if (done != null) {
        // Outside the lock: completing runs the caller's continuations.
        outcome.complete(done);
      }
    } while (pumping.decrementAndGet() != 0);
  }

  /** The flush's outcome once every step is done (handed out once), else null. */
  private synchronized FlushOutcome takeFinished() {
    FlushOutcome done = finished;
    finished = null;
    return done;
  }

  /** The steps that share no stream with an earlier waiting or running step, now marked started. */
  private synchronized List<Node> startable() {
    if (outcome.isDone() || finishedOnce) {
      return List.of();
    }
    if (nodes.isEmpty() && running == 0) {
      finishedOnce = true;
      Map<String, StreamOutcome> outcomes = new LinkedHashMap<>();
      revisions.forEach(
          (stream, revision) ->
              outcomes.put(
                  stream,
                  new StreamOutcome(
                      stream, revision, deadLetters.getOrDefault(stream, List.of()))));
      finished = new FlushOutcome(outcomes, appends, splits);
      return List.of();
    }
    List<Node> start = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    int budget = Math.max(1, settings.maxInFlight()) - running;
    for (Node node : nodes) {
      if (budget <= 0) {
        break;
      }
      boolean free = true;
      for (StreamBatch batch : node.step.streams()) {
        free &= taken.add(key(batch.stream()));
      }
      if (free && !node.started) {
        node.started = true;
        running++;
        budget--;
        appends++;
        start.add(node);
      }
    }
    return start;
  }

  private void start(Node node) {
    Step step = node.step;
    if (step.perStream()) {
      StreamBatch only = rebased(step.streams().get(0));
      new StreamAppendTask(writer, settings, only)
          .run()
          .whenComplete(
              (result, error) -> {
                if (error != null) {
                  fail(error);
                  return;
                }
                synchronized (this) {
                  revisions.put(only.stream(), result.lastRevision());
                  result.deadLetters().forEach(d -> dead(only.stream(), d));
                  replace(node, List.of());
                }
                pump();
              });
      return;
    }
    List<AppendRequest> requests = new ArrayList<>(step.streams().size());
    synchronized (this) {
      for (StreamBatch batch : step.streams()) {
        requests.add(
            new AppendRequest(batch.stream(), revisions.get(batch.stream()), batch.events()));
      }
    }
    writer
        .appendSession(requests)
        .whenComplete(
            (result, error) -> {
              try {
                if (error != null) {
                  retry(node, error);
                } else {
                  onResult(node, result);
                }
              } catch (RuntimeException e) {
                fail(e);
              }
            });
  }

  /** Puts {@code replacement} where {@code node} was, as steps still to start. */
  private synchronized void replace(Node node, List<Step> replacement) {
    int at = nodes.indexOf(node);
    nodes.remove(at);
    for (int i = replacement.size() - 1; i >= 0; i--) {
      nodes.add(at, new Node(replacement.get(i)));
    }
    running--;
  }

  private void fail(Throwable error) {
    outcome.completeExceptionally(BatchAppender.unwrap(error));
  }

  private void onResult(Node node, SessionResult result) {
    Step step = node.step;
    if (result instanceof SessionResult.Success success) {
      synchronized (this) {
        for (int i = 0; i < step.streams().size(); i++) {
          revisions.put(step.streams().get(i).stream(), success.lastRevisions().get(i));
        }
        replace(node, List.of());
      }
      pump();
      return;
    }
    if (result instanceof SessionResult.StreamDeleted deleted) {
      List<StreamBatch> rest = new ArrayList<>();
      synchronized (this) {
        for (StreamBatch batch : step.streams()) {
          if (batch.stream().equals(deleted.stream())) {
            StreamTombstonedException why = new StreamTombstonedException(batch.stream());
            batch.events().forEach(e -> dead(batch.stream(), new DeadLetter(e, why)));
          } else {
            rest.add(batch);
          }
        }
        replace(node, rest.isEmpty() ? List.of() : List.of(new Step(rest, false)));
      }
      pump();
      return;
    }
    if (result instanceof SessionResult.Rejected) {
      // Refused as a whole (too large for the server, say): go per stream, where a single
      // refused event is found and dead-lettered.
      perStream(node);
      return;
    }
    reconcile(node, result instanceof SessionResult.Inconclusive, result);
  }

  private void reconcile(Node node, boolean inconclusive, SessionResult answer) {
    if (++node.reconciles > MAX_RECONCILES) {
      perStream(node);
      return;
    }
    Step step = node.step;
    List<CompletableFuture<List<StoredEvent>>> reads = new ArrayList<>();
    for (StreamBatch batch : step.streams()) {
      long expected;
      synchronized (this) {
        expected = revisions.get(batch.stream());
      }
      reads.add(writer.read(batch.stream(), expected + 1, batch.events().size()));
    }
    CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .whenComplete(
            (ignored, error) -> {
              try {
                if (error != null) {
                  retry(node, error);
                  return;
                }
                List<StreamBatch> resend = new ArrayList<>();
                List<StreamBatch> foreign = new ArrayList<>();
                synchronized (this) {
                  for (int i = 0; i < step.streams().size(); i++) {
                    StreamBatch batch = step.streams().get(i);
                    List<StoredEvent> stored = reads.get(i).join();
                    if (stored.isEmpty()) {
                      resend.add(batch);
                    } else if (ours(stored, batch.events())) {
                      revisions.put(batch.stream(), revisions.get(batch.stream()) + stored.size());
                    } else {
                      foreign.add(batch);
                    }
                  }
                }
                if (foreign.isEmpty() && resend.size() == step.streams().size()) {
                  // Nothing moved, and yet the server refused: a conflict on a stream the read
                  // cannot see (e.g. soft-deleted), or a server fault. Per stream settles the
                  // first; the second is retried as the outage it probably is.
                  if (inconclusive) {
                    retry(
                        node,
                        new EventStoreUnavailableException("session failed: " + answer, null));
                  } else {
                    perStream(node);
                  }
                  return;
                }
                List<Step> replacement = new ArrayList<>();
                if (!resend.isEmpty()) {
                  replacement.add(new Step(resend, false));
                }
                foreign.forEach(batch -> replacement.add(new Step(List.of(batch), true)));
                // The replacement starts afresh, but keeps count of reconciliations.
                synchronized (this) {
                  int at = nodes.indexOf(node);
                  replace(node, replacement);
                  for (int i = 0; i < replacement.size(); i++) {
                    nodes.get(at + i).reconciles = node.reconciles;
                  }
                }
                pump();
              } catch (RuntimeException e) {
                fail(e);
              }
            });
  }

  private void perStream(Node node) {
    List<Step> replacement = new ArrayList<>();
    synchronized (this) {
      if (node.step.streams().size() > 1) {
        splits++;
      }
      node.step.streams().forEach(batch -> replacement.add(new Step(List.of(batch), true)));
      replace(node, replacement);
    }
    pump();
  }

  private static boolean ours(List<StoredEvent> stored, List<ProposedEvent> events) {
    if (stored.size() != events.size()) {
      return false;
    }
    for (int i = 0; i < stored.size(); i++) {
      if (!stored.get(i).id().equals(events.get(i).id())) {
        return false;
      }
    }
    return true;
  }

  /** Sends {@code node} again after a backoff while EventStoreDB is unavailable. */
  private void retry(Node node, Throwable error) {
    Throwable cause = BatchAppender.unwrap(error);
    if (!(cause instanceof EventStoreUnavailableException)) {
      fail(cause);
      return;
    }
    long now = System.nanoTime();
    if (node.firstFailureNanos == 0) {
      node.firstFailureNanos = now;
    }
    if (now - node.firstFailureNanos > settings.retryTimeout().toNanos()) {
      fail(
          new RetryTimeoutException(
              node.step.streams().get(0).stream(),
              Duration.ofNanos(now - node.firstFailureNanos),
              cause));
      return;
    }
    long delay =
        Math.min(
            settings.retryBackoffMax().toMillis(),
            settings.retryBackoff().toMillis() << Math.min(node.attempts++, 20));
    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> start(node));
  }

  private synchronized StreamBatch rebased(StreamBatch batch) {
    return new StreamBatch(batch.stream(), revisions.get(batch.stream()), batch.events());
  }

  private void dead(String stream, DeadLetter letter) {
    deadLetters.computeIfAbsent(stream, s -> new ArrayList<>()).add(letter);
  }

  /**
   * Packs the transactions into steps. Each transaction goes whole into the first append after
   * every append that holds one of its streams, if it fits there: so each stream's events stay in
   * order, and a flush takes as few appends one after another as its busiest stream needs. A
   * transaction too large for one append is split at stream boundaries into appends of its own.
   */
  private void plan(List<List<StreamBatch>> txns, List<Step> steps) {
    long max = writer.maxAppendBytes();
    List<Packing> sessions = new ArrayList<>();
    Map<String, Integer> lastSession = new HashMap<>();
    for (List<StreamBatch> txn : txns) {
      List<StreamBatch> fitting = new ArrayList<>(txn.size());
      long bytes = 0;
      int after = -1;
      for (StreamBatch batch : txn) {
        revisions.putIfAbsent(batch.stream(), batch.expectedRevision());
        StreamBatch kept = withoutOversized(batch, max);
        if (kept != null) {
          fitting.add(kept);
          bytes += size(kept);
          after = Math.max(after, lastSession.getOrDefault(key(kept.stream()), -1));
        }
      }
      if (fitting.isEmpty()) {
        continue;
      }
      if (bytes <= max) {
        int at = after + 1;
        while (at < sessions.size() && sessions.get(at).bytes + bytes > max) {
          at++;
        }
        if (at == sessions.size()) {
          sessions.add(new Packing(false));
        }
        Packing session = sessions.get(at);
        session.streams.addAll(fitting);
        session.bytes += bytes;
        for (StreamBatch batch : fitting) {
          lastSession.put(key(batch.stream()), at);
        }
        continue;
      }
      // Too large for one append: split at stream boundaries, after everything else; no longer
      // atomic.
      splits++;
      Packing session = null;
      for (StreamBatch batch : fitting) {
        long streamBytes = size(batch);
        if (streamBytes > max) {
          sessions.add(new Packing(true));
          sessions.get(sessions.size() - 1).streams.add(batch);
          session = null;
        } else {
          if (session == null || session.bytes + streamBytes > max) {
            session = new Packing(false);
            sessions.add(session);
          }
          session.streams.add(batch);
          session.bytes += streamBytes;
        }
        lastSession.put(key(batch.stream()), sessions.size() - 1);
      }
      // Nothing later joins these appends: a later transaction starts past them.
      for (String stream : lastSession.keySet()) {
        lastSession.put(stream, Math.max(lastSession.get(stream), sessions.size() - 1));
      }
    }
    sessions.forEach(session -> steps.add(new Step(session.streams, session.perStream)));
  }

  /** An append being packed. */
  private static final class Packing {
    final List<StreamBatch> streams = new ArrayList<>();
    final boolean perStream;
    long bytes;

    Packing(boolean perStream) {
      this.perStream = perStream;
    }
  }

  /** The batch without its events over the limit (dead-lettered), or null if none is left. */
  private StreamBatch withoutOversized(StreamBatch batch, long max) {
    List<ProposedEvent> kept = new ArrayList<>(batch.events().size());
    for (ProposedEvent event : batch.events()) {
      long size = writer.appendSize(event);
      if (size > max) {
        dead(
            batch.stream(),
            new DeadLetter(
                event, new EventTooLargeException(batch.stream(), event.id(), size, max)));
      } else {
        kept.add(event);
      }
    }
    if (kept.isEmpty()) {
      return null;
    }
    return kept.size() == batch.events().size()
        ? batch
        : new StreamBatch(batch.stream(), batch.expectedRevision(), kept);
  }

  private long size(StreamBatch batch) {
    long bytes = 0;
    for (ProposedEvent event : batch.events()) {
      bytes += writer.appendSize(event);
    }
    return bytes;
  }

  private static String key(String stream) {
    return stream.toLowerCase(Locale.ROOT);
  }
}
