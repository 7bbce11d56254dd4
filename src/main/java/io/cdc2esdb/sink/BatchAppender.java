package io.cdc2esdb.sink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one flush, without blocking the caller: per stream (every stream's events, streams
 * concurrently, bounded, each stream's events in order) or per transaction ({@link
 * #appendTransactions}). The policy every {@link EventStoreWriter} shares lives here:
 *
 * <ul>
 *   <li>events are split into appends within the server's size limit; one event over the limit is
 *       dead-lettered ({@link EventTooLargeException}) and the rest goes on;
 *   <li>a wrong expected version is reconciled by reading the stream after the expected revision:
 *       if what is there is our own earlier write (same event ids, in order) the stream advances
 *       past it, otherwise the rest of the batch is a {@link StreamConflictException} and the
 *       stream is rebased on the server's revision so that later changes go on;
 *   <li>a tombstoned stream dead-letters its events ({@link StreamTombstonedException});
 *   <li>{@link EventStoreUnavailableException} is retried with exponential backoff until {@link
 *       Settings#retryTimeout()} has passed since the first failure, then thrown: the caller must
 *       not record anything of the flush as written beyond what the outcome of a completed call
 *       says.
 * </ul>
 */
public final class BatchAppender {

  private static final Logger LOG = LoggerFactory.getLogger(BatchAppender.class);

  private final EventStoreWriter writer;
  private final AppendSettings settings;
  private final AppendMode configured;
  private CompletableFuture<AppendMode> mode;

  /** An appender in {@code per-stream} mode. */
  public BatchAppender(EventStoreWriter writer, AppendSettings settings) {
    this(writer, settings, AppendMode.PER_STREAM);
  }

  public BatchAppender(EventStoreWriter writer, AppendSettings settings, AppendMode mode) {
    this.writer = writer;
    this.settings = settings;
    this.configured = mode;
  }

  /**
   * The mode in use: as configured, or for {@code auto} what the server offers, asked on first use
   * (retried while the server cannot be reached) and logged once.
   */
  public synchronized CompletableFuture<AppendMode> mode() {
    if (mode == null || mode.isCompletedExceptionally()) {
      mode =
          configured != AppendMode.AUTO
              ? CompletableFuture.completedFuture(configured)
              : probe(System.nanoTime(), 0)
                  .thenApply(yes -> yes ? AppendMode.TRANSACTION : AppendMode.PER_STREAM);
      mode.thenAccept(
          m ->
              LOG.info(
                  "Append mode: {} ({}{})",
                  m.configValue(),
                  configured == AppendMode.AUTO ? "auto: " : "configured",
                  configured != AppendMode.AUTO
                      ? ""
                      : m == AppendMode.TRANSACTION
                          ? "the server offers multi-stream appends"
                          : "the server has no multi-stream append"));
    }
    return mode;
  }

  private CompletableFuture<Boolean> probe(long firstNanos, int attempt) {
    return writer
        .supportsAppendSession()
        .handle(
            (yes, error) -> {
              if (error == null) {
                return CompletableFuture.completedFuture(yes);
              }
              Throwable cause = unwrap(error);
              if (!(cause instanceof EventStoreUnavailableException)
                  || System.nanoTime() - firstNanos > settings.retryTimeout().toNanos()) {
                return CompletableFuture.<Boolean>failedFuture(cause);
              }
              long delay =
                  Math.min(
                      settings.retryBackoffMax().toMillis(),
                      settings.retryBackoff().toMillis() << Math.min(attempt, 20));
              return CompletableFuture.supplyAsync(
                      () -> probe(firstNanos, attempt + 1),
                      CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
                  .thenCompose(next -> next);
            })
        .thenCompose(next -> next);
  }

  /**
   * Appends every batch and waits for all of them (per stream).
   *
   * @return one outcome per stream, in the order of {@code batches}
   * @throws EventStoreUnavailableException when EventStoreDB stayed unavailable past the retry
   *     timeout
   * @throws EventStoreException on any other failure
   */
  public Map<String, StreamOutcome> appendAll(List<StreamBatch> batches) {
    return join(appendStreams(batches)).streams();
  }

  /**
   * Appends every batch, one append per stream, at most {@link AppendSettings#maxInFlight()}
   * streams at once, without waiting: the future completes when every stream is done (or
   * exceptionally with the first failure that is not an answer of the server).
   */
  public CompletableFuture<FlushOutcome> appendStreams(List<StreamBatch> batches) {
    int lanes = Math.max(1, Math.min(settings.maxInFlight(), batches.size()));
    List<StreamOutcome> results = new ArrayList<>(Collections.nCopies(batches.size(), null));
    List<CompletableFuture<Void>> running = new ArrayList<>(lanes);
    for (int lane = 0; lane < lanes; lane++) {
      // Each lane appends its streams one after another; chaining (not recursion) keeps the stack
      // flat when appends complete at once, as the in-memory store's do.
      CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
      for (int i = lane; i < batches.size(); i += lanes) {
        int index = i;
        chain =
            chain.thenCompose(
                ignored ->
                    new StreamAppendTask(writer, settings, batches.get(index))
                        .run()
                        .thenAccept(outcome -> results.set(index, outcome)));
      }
      running.add(chain);
    }
    return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              Map<String, StreamOutcome> outcomes = new LinkedHashMap<>();
              for (StreamOutcome outcome : results) {
                outcomes.put(outcome.stream(), outcome);
              }
              return new FlushOutcome(outcomes, batches.size(), 0);
            });
  }

  /**
   * Appends whole transactions atomically (see {@link TransactionFlush}), without waiting. Each
   * transaction is its streams' batches; a stream's {@link StreamBatch#expectedRevision()} counts
   * where it first appears in the flush.
   */
  public CompletableFuture<FlushOutcome> appendTransactions(List<List<StreamBatch>> transactions) {
    return new TransactionFlush(writer, settings, transactions).run();
  }

  /** Waits for a flush, throwing what it failed with. */
  public static FlushOutcome join(CompletableFuture<FlushOutcome> flush) {
    try {
      return flush.join();
    } catch (CompletionException e) {
      Throwable error = unwrap(e);
      if (error instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new EventStoreException("append failed: " + error, error);
    }
  }

  public EventStoreWriter writer() {
    return writer;
  }

  static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while (current instanceof CompletionException && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
