package io.cdc2esdb.sink;

import io.cdc2esdb.event.ProposedEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One flush in {@code transaction} mode: whole transactions packed into atomic multi-stream appends
 * (several small ones share an append while no stream repeats, compared case-insensitively, and the
 * append stays within the size limit), sent one after another so that each stream's expected
 * revision follows from the previous answer.
 *
 * <p>A transaction larger than one append is split at stream boundaries (counted: it is then not
 * atomic); a stream whose own events exceed one append goes per stream, in chunks. A conflict or an
 * unclear answer is reconciled by reading each stream after its expected revision: streams that
 * already hold exactly our events (an acknowledged append not recorded before a restart) advance,
 * streams that hold nothing new are sent again, and a stream that holds anything else continues per
 * stream, where {@link StreamAppendTask} dead-letters it as a conflict. So a partial replay, which
 * the server answers as a conflict (26.0.3+) or INTERNAL (25.1 to 26.0.2), resolves without
 * duplicates. Not thread-safe, and need not be: its steps run one after another.
 */
final class TransactionFlush {

  private static final int MAX_RECONCILES = 3;

  /** One append of the plan: several streams atomically, or one stream on its own. */
  private record Step(List<StreamBatch> streams, boolean perStream) {}

  private final EventStoreWriter writer;
  private final AppendSettings settings;
  private final Deque<Step> steps = new ArrayDeque<>();
  private final Map<String, Long> revisions = new LinkedHashMap<>();
  private final Map<String, List<DeadLetter>> deadLetters = new LinkedHashMap<>();
  private int appends;
  private int splits;
  private int reconciles;
  private int attempts;
  private long firstFailureNanos;

  TransactionFlush(EventStoreWriter writer, AppendSettings settings, List<List<StreamBatch>> txns) {
    this.writer = writer;
    this.settings = settings;
    plan(txns);
  }

  CompletableFuture<FlushOutcome> run() {
    Step step = steps.peekFirst();
    if (step == null) {
      Map<String, StreamOutcome> outcomes = new LinkedHashMap<>();
      revisions.forEach(
          (stream, revision) ->
              outcomes.put(
                  stream,
                  new StreamOutcome(
                      stream, revision, deadLetters.getOrDefault(stream, List.of()))));
      return CompletableFuture.completedFuture(new FlushOutcome(outcomes, appends, splits));
    }
    appends++;
    if (step.perStream()) {
      StreamBatch only = step.streams().get(0);
      return new StreamAppendTask(writer, settings, rebased(only))
          .run()
          .thenCompose(
              outcome -> {
                steps.removeFirst();
                revisions.put(only.stream(), outcome.lastRevision());
                outcome.deadLetters().forEach(d -> dead(only.stream(), d));
                return run();
              });
    }
    List<AppendRequest> requests = new ArrayList<>(step.streams().size());
    for (StreamBatch batch : step.streams()) {
      requests.add(
          new AppendRequest(batch.stream(), revisions.get(batch.stream()), batch.events()));
    }
    return writer
        .appendSession(requests)
        .handle((result, error) -> error != null ? retry(error) : onResult(step, result))
        .thenCompose(next -> next);
  }

  private CompletableFuture<FlushOutcome> onResult(Step step, SessionResult result) {
    firstFailureNanos = 0;
    attempts = 0;
    if (result instanceof SessionResult.Success success) {
      steps.removeFirst();
      for (int i = 0; i < step.streams().size(); i++) {
        revisions.put(step.streams().get(i).stream(), success.lastRevisions().get(i));
      }
      reconciles = 0;
      return run();
    }
    if (result instanceof SessionResult.StreamDeleted deleted) {
      steps.removeFirst();
      List<StreamBatch> rest = new ArrayList<>();
      for (StreamBatch batch : step.streams()) {
        if (batch.stream().equals(deleted.stream())) {
          StreamTombstonedException why = new StreamTombstonedException(batch.stream());
          batch.events().forEach(e -> dead(batch.stream(), new DeadLetter(e, why)));
        } else {
          rest.add(batch);
        }
      }
      if (!rest.isEmpty()) {
        steps.addFirst(new Step(rest, false));
      }
      return run();
    }
    if (result instanceof SessionResult.Rejected) {
      // Refused as a whole (too large for the server, say): go per stream, where a single
      // refused event is found and dead-lettered.
      steps.removeFirst();
      if (step.streams().size() > 1) {
        splits++;
      }
      List<StreamBatch> streams = step.streams();
      for (int i = streams.size() - 1; i >= 0; i--) {
        steps.addFirst(new Step(List.of(streams.get(i)), true));
      }
      return run();
    }
    boolean inconclusive = result instanceof SessionResult.Inconclusive;
    return reconcile(step, inconclusive, result);
  }

  private CompletableFuture<FlushOutcome> reconcile(
      Step step, boolean inconclusive, SessionResult answer) {
    if (++reconciles > MAX_RECONCILES) {
      return perStream(step);
    }
    List<CompletableFuture<List<StoredEvent>>> reads = new ArrayList<>();
    for (StreamBatch batch : step.streams()) {
      long expected = revisions.get(batch.stream());
      reads.add(writer.read(batch.stream(), expected + 1, batch.events().size()));
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .handle(
            (ignored, error) -> {
              if (error != null) {
                return retry(error);
              }
              List<StreamBatch> resend = new ArrayList<>();
              List<StreamBatch> foreign = new ArrayList<>();
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
              if (foreign.isEmpty() && resend.size() == step.streams().size()) {
                // Nothing moved, and yet the server refused: a conflict on a stream the read cannot
                // see (e.g. soft-deleted), or a server fault. Per stream settles the first; the
                // second is retried as the outage it probably is.
                if (inconclusive) {
                  return retry(
                      new EventStoreUnavailableException("session failed: " + answer, null));
                }
                return perStream(step);
              }
              steps.removeFirst();
              for (int i = foreign.size() - 1; i >= 0; i--) {
                steps.addFirst(new Step(List.of(foreign.get(i)), true));
              }
              if (!resend.isEmpty()) {
                steps.addFirst(new Step(resend, false));
              }
              return run();
            })
        .thenCompose(next -> next);
  }

  private CompletableFuture<FlushOutcome> perStream(Step step) {
    steps.removeFirst();
    if (step.streams().size() > 1) {
      splits++;
    }
    for (int i = step.streams().size() - 1; i >= 0; i--) {
      steps.addFirst(new Step(List.of(step.streams().get(i)), true));
    }
    return run();
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

  private CompletableFuture<FlushOutcome> retry(Throwable error) {
    Throwable cause = BatchAppender.unwrap(error);
    if (!(cause instanceof EventStoreUnavailableException)) {
      return CompletableFuture.failedFuture(cause);
    }
    long now = System.nanoTime();
    if (firstFailureNanos == 0) {
      firstFailureNanos = now;
    }
    if (now - firstFailureNanos > settings.retryTimeout().toNanos()) {
      return CompletableFuture.failedFuture(
          new RetryTimeoutException(
              steps.isEmpty() ? "" : steps.peekFirst().streams().get(0).stream(),
              java.time.Duration.ofNanos(now - firstFailureNanos),
              cause));
    }
    long delay =
        Math.min(
            settings.retryBackoffMax().toMillis(),
            settings.retryBackoff().toMillis() << Math.min(attempts++, 20));
    return CompletableFuture.supplyAsync(
            this::run, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
        .thenCompose(next -> next);
  }

  private StreamBatch rebased(StreamBatch batch) {
    return new StreamBatch(batch.stream(), revisions.get(batch.stream()), batch.events());
  }

  private void dead(String stream, DeadLetter letter) {
    deadLetters.computeIfAbsent(stream, s -> new ArrayList<>()).add(letter);
  }

  /** Packs the transactions into steps, in order. */
  private void plan(List<List<StreamBatch>> txns) {
    long max = writer.maxAppendBytes();
    List<StreamBatch> session = new ArrayList<>();
    Set<String> inSession = new HashSet<>();
    long sessionBytes = 0;
    for (List<StreamBatch> txn : txns) {
      List<StreamBatch> fitting = new ArrayList<>(txn.size());
      long bytes = 0;
      for (StreamBatch batch : txn) {
        revisions.putIfAbsent(batch.stream(), batch.expectedRevision());
        StreamBatch kept = withoutOversized(batch, max);
        if (kept != null) {
          fitting.add(kept);
          bytes += size(kept);
        }
      }
      if (fitting.isEmpty()) {
        continue;
      }
      boolean repeats = false;
      for (StreamBatch batch : fitting) {
        repeats |= inSession.contains(key(batch.stream()));
      }
      if (!session.isEmpty() && (repeats || sessionBytes + bytes > max)) {
        steps.add(new Step(session, false));
        session = new ArrayList<>();
        inSession.clear();
        sessionBytes = 0;
      }
      if (bytes <= max) {
        session.addAll(fitting);
        fitting.forEach(b -> inSession.add(key(b.stream())));
        sessionBytes += bytes;
        continue;
      }
      // Too large for one append: split at stream boundaries; no longer atomic.
      splits++;
      for (StreamBatch batch : fitting) {
        long streamBytes = size(batch);
        if (streamBytes > max) {
          steps.add(new Step(List.of(batch), true));
          continue;
        }
        if (!session.isEmpty() && sessionBytes + streamBytes > max) {
          steps.add(new Step(session, false));
          session = new ArrayList<>();
          inSession.clear();
          sessionBytes = 0;
        }
        session.add(batch);
        inSession.add(key(batch.stream()));
        sessionBytes += streamBytes;
      }
      steps.add(new Step(session, false));
      session = new ArrayList<>();
      inSession.clear();
      sessionBytes = 0;
    }
    if (!session.isEmpty()) {
      steps.add(new Step(session, false));
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
