package io.cdc2esdb.sink;

import io.cdc2esdb.event.ProposedEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The port through which cdc2esdb talks to EventStoreDB: one append to one stream, one atomic
 * append to several streams ({@link #appendSession}, KurrentDB 25.1+), and a read of a stream's
 * events to reconcile a conflict or an unclear answer.
 *
 * <p>Implementations are thin translations of the server's behaviour (see {@code
 * reference/esdb-server-semantics.md}): they neither retry nor split batches nor decide what a
 * wrong expected version means. That policy lives once, in {@link BatchAppender}, so every
 * implementation (the real client, the in-memory store used with TopologyTestDriver) gets it alike.
 *
 * <p>Failure contract of the returned futures: the server's answers (success, wrong expected
 * version, stream deleted, rejected) complete normally as an {@link AppendResult}; a failure that
 * may heal by itself (unavailable, deadline exceeded, aborted, not leader) completes exceptionally
 * with {@link EventStoreUnavailableException}; anything else completes exceptionally with another
 * {@link EventStoreException}. Futures may be completed on any thread; several calls may be in
 * flight at once.
 */
public interface EventStoreWriter extends AutoCloseable {

  /** Appends {@code request.events()} to {@code request.stream()} in one append. */
  CompletableFuture<AppendResult> append(AppendRequest request);

  /**
   * Appends every request in one atomic call (KurrentDB 25.1+ {@code AppendSession}): all streams
   * at their exact expected revisions, or nothing. The streams must differ, compared
   * case-insensitively, as the server requires.
   *
   * @throws UnsupportedOperationException (in the future) when the writer or the server cannot
   */
  default CompletableFuture<SessionResult> appendSession(List<AppendRequest> requests) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(this + " has no multi-stream append"));
  }

  /**
   * Whether the server offers {@link #appendSession} (it advertises {@code appendsession} in its
   * server features); asked once, on first contact, to resolve {@code esdb.append.mode=auto}.
   * Completes exceptionally with {@link EventStoreUnavailableException} while the server cannot be
   * reached.
   */
  default CompletableFuture<Boolean> supportsAppendSession() {
    return CompletableFuture.completedFuture(false);
  }

  /**
   * Reads up to {@code maxCount} events of {@code stream} forwards from {@code fromRevision}
   * (inclusive). A stream that does not exist (or is soft-deleted) reads as an empty list; a
   * tombstoned stream completes exceptionally with {@link StreamDeletedException}.
   */
  CompletableFuture<List<StoredEvent>> read(String stream, long fromRevision, int maxCount);

  /** The byte limit of one append as the server counts it (data + metadata + 2 x type). */
  default long maxAppendBytes() {
    return ProposedEvent.DEFAULT_MAX_APPEND_BYTES;
  }

  /**
   * What {@code event} counts against {@link #maxAppendBytes()} when sent through this writer:
   * {@link ProposedEvent#appendSize()}, plus whatever the implementation adds on the way (the real
   * client adds trace ids to JSON metadata).
   */
  default long appendSize(ProposedEvent event) {
    return event.appendSize();
  }

  @Override
  void close();
}
