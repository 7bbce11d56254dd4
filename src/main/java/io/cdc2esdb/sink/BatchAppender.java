package io.cdc2esdb.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Appends one flush: every stream's events, streams concurrently (bounded), each stream's events in
 * order. The policy every {@link EventStoreWriter} shares lives here:
 *
 * <ul>
 *   <li>events are split into appends within the server's size limit; one event over the limit is
 *       dead-lettered ({@link DeadLetter#EVENT_TOO_LARGE}) and the rest goes on;
 *   <li>a wrong expected version is reconciled by reading the stream after the expected revision:
 *       if what is there is our own earlier write (same event ids, in order) the stream advances
 *       past it, otherwise the rest of the batch is a {@link DeadLetter#CONFLICT} and the stream is
 *       rebased on the server's revision so that later changes go on;
 *   <li>a tombstoned stream dead-letters its events ({@link DeadLetter#STREAM_DELETED});
 *   <li>{@link EventStoreUnavailableException} is retried with exponential backoff until {@link
 *       AppendSettings#retryTimeout()} has passed since the first failure, then thrown: the caller
 *       must not record anything of the flush as written beyond what the outcome of a completed
 *       call says.
 * </ul>
 */
public final class BatchAppender {

  private final EventStoreWriter writer;
  private final AppendSettings settings;

  public BatchAppender(EventStoreWriter writer, AppendSettings settings) {
    this.writer = writer;
    this.settings = settings;
  }

  /**
   * Appends every batch and waits for all of them.
   *
   * @return one outcome per stream, in the order of {@code batches}
   * @throws EventStoreUnavailableException when EventStoreDB stayed unavailable past the retry
   *     timeout
   * @throws EventStoreException on any other failure
   */
  public Map<String, StreamOutcome> appendAll(List<StreamBatch> batches) {
    Semaphore permits = new Semaphore(settings.maxInFlight());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<CompletableFuture<StreamOutcome>> running = new ArrayList<>(batches.size());
    for (StreamBatch batch : batches) {
      acquire(permits);
      if (failure.get() != null) {
        break;
      }
      CompletableFuture<StreamOutcome> outcome =
          new StreamAppendTask(writer, settings, batch).run();
      outcome.whenComplete(
          (ok, error) -> {
            if (error != null) {
              failure.compareAndSet(null, unwrap(error));
            }
            permits.release();
          });
      running.add(outcome);
    }
    Map<String, StreamOutcome> outcomes = new LinkedHashMap<>();
    for (CompletableFuture<StreamOutcome> outcome : running) {
      try {
        StreamOutcome result = outcome.join();
        outcomes.put(result.stream(), result);
      } catch (CompletionException e) {
        failure.compareAndSet(null, unwrap(e));
      }
    }
    Throwable error = failure.get();
    if (error instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (error != null) {
      throw new EventStoreException("append failed: " + error, error);
    }
    return outcomes;
  }

  static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while (current instanceof CompletionException && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static void acquire(Semaphore permits) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventStoreException("interrupted while appending", e);
    }
  }
}
