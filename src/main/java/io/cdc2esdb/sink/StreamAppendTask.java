package io.cdc2esdb.sink;

import io.cdc2esdb.error.DeadLetterException;
import io.cdc2esdb.event.ProposedEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One stream's part of a flush, as a chain of asynchronous steps: append the next chunk, and on the
 * answer advance, reconcile, dead-letter or retry. Not thread-safe, and need not be: its steps run
 * one after another.
 */
final class StreamAppendTask {

  /** Reconciling the same chunk more often than this means the stream keeps moving: a conflict. */
  private static final int MAX_RECONCILES = 3;

  private final EventStoreWriter writer;
  private final AppendSettings settings;
  private final String stream;
  private final Deque<List<ProposedEvent>> chunks = new ArrayDeque<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private long expected;
  private long firstFailureNanos;
  private int attempts;
  private int reconciles;

  StreamAppendTask(EventStoreWriter writer, AppendSettings settings, StreamBatch batch) {
    this.writer = writer;
    this.settings = settings;
    this.stream = batch.stream();
    this.expected = batch.expectedRevision();
    split(batch.events(), writer.maxAppendBytes());
  }

  CompletableFuture<StreamOutcome> run() {
    if (chunks.isEmpty()) {
      return CompletableFuture.completedFuture(new StreamOutcome(stream, expected, deadLetters));
    }
    List<ProposedEvent> chunk = chunks.peekFirst();
    return writer
        .append(new AppendRequest(stream, expected, chunk))
        .handle((result, error) -> error != null ? retry(error) : onResult(chunk, result))
        .thenCompose(next -> next);
  }

  private CompletableFuture<StreamOutcome> onResult(
      List<ProposedEvent> chunk, AppendResult result) {
    firstFailureNanos = 0;
    attempts = 0;
    if (result instanceof AppendResult.Success success) {
      chunks.removeFirst();
      expected = success.lastRevision();
      reconciles = 0;
      return run();
    }
    if (result instanceof AppendResult.WrongExpectedVersion wrong) {
      return reconcile(chunk, wrong);
    }
    if (result instanceof AppendResult.StreamDeleted) {
      deadLetterRest(new StreamTombstonedException(stream));
      return run();
    }
    AppendResult.Rejected rejected = (AppendResult.Rejected) result;
    chunks.removeFirst();
    if (chunk.size() > 1) {
      // Find the one event the server refuses rather than losing its neighbours with it.
      for (int i = chunk.size() - 1; i >= 0; i--) {
        chunks.addFirst(List.of(chunk.get(i)));
      }
    } else {
      ProposedEvent event = chunk.get(0);
      deadLetters.add(
          new DeadLetter(event, new EventRejectedException(stream, event.id(), rejected.reason())));
    }
    return run();
  }

  /**
   * The stream is not where we expected. If the events after {@code expected} are ours (a write
   * that was acknowledged but not recorded before a restart), skip past them; anything else is a
   * conflict.
   */
  private CompletableFuture<StreamOutcome> reconcile(
      List<ProposedEvent> chunk, AppendResult.WrongExpectedVersion wrong) {
    if (++reconciles > MAX_RECONCILES) {
      return conflict(wrong, "stream keeps moving under our appends");
    }
    return writer
        .read(stream, expected + 1, chunk.size())
        .handle(
            (stored, error) -> {
              if (error != null) {
                return retry(error);
              }
              int ours = 0;
              while (ours < stored.size()
                  && ours < chunk.size()
                  && stored.get(ours).id().equals(chunk.get(ours).id())) {
                ours++;
              }
              if (ours == 0 || (ours < stored.size() && ours < chunk.size())) {
                return conflict(wrong, describe(stored, chunk, ours));
              }
              expected += ours;
              chunks.removeFirst();
              if (ours < chunk.size()) {
                chunks.addFirst(chunk.subList(ours, chunk.size()));
              }
              return run();
            })
        .thenCompose(next -> next);
  }

  private CompletableFuture<StreamOutcome> conflict(
      AppendResult.WrongExpectedVersion wrong, String why) {
    deadLetterRest(
        new StreamConflictException(stream, wrong.expectedRevision(), wrong.actualRevision(), why));
    expected = wrong.actualRevision();
    return run();
  }

  private CompletableFuture<StreamOutcome> retry(Throwable error) {
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
          new RetryTimeoutException(stream, Duration.ofNanos(now - firstFailureNanos), cause));
    }
    long delay =
        Math.min(
            settings.retryBackoffMax().toMillis(),
            settings.retryBackoff().toMillis() << Math.min(attempts++, 20));
    return CompletableFuture.supplyAsync(
            this::run, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
        .thenCompose(next -> next);
  }

  /** Every event not yet written goes to the dead-letter topic for the same {@code reason}. */
  private void deadLetterRest(DeadLetterException reason) {
    for (List<ProposedEvent> chunk : chunks) {
      for (ProposedEvent event : chunk) {
        deadLetters.add(new DeadLetter(event, reason));
      }
    }
    chunks.clear();
  }

  private void split(List<ProposedEvent> events, long maxBytes) {
    List<ProposedEvent> chunk = new ArrayList<>();
    long bytes = 0;
    for (ProposedEvent event : events) {
      long size = writer.appendSize(event);
      if (size > maxBytes) {
        deadLetters.add(
            new DeadLetter(event, new EventTooLargeException(stream, event.id(), size, maxBytes)));
        continue;
      }
      if (bytes + size > maxBytes && !chunk.isEmpty()) {
        chunks.add(chunk);
        chunk = new ArrayList<>();
        bytes = 0;
      }
      chunk.add(event);
      bytes += size;
    }
    if (!chunk.isEmpty()) {
      chunks.add(chunk);
    }
  }

  private static String describe(List<StoredEvent> stored, List<ProposedEvent> chunk, int at) {
    return stored.isEmpty()
        ? "no events after the expected revision"
        : "event "
            + stored.get(at).revision()
            + " has id "
            + stored.get(at).id()
            + ", ours is "
            + chunk.get(at).id();
  }
}
