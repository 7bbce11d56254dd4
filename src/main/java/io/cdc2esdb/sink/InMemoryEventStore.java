package io.cdc2esdb.sink;

import io.cdc2esdb.event.ProposedEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link EventStoreWriter} that keeps streams in memory and answers appends by the server's
 * rules for exact and no-stream expected revisions (see {@code
 * reference/esdb-server-semantics.md}): positional idempotency below the current revision, no
 * idempotency at it. For TopologyTestDriver tests of the topology, where no server runs; the
 * end-to-end tests use the real client against the emulator instead.
 *
 * <p>{@link #appendSession} follows KurrentDB's AppendSession: every stream is checked before
 * anything is written, all or nothing; a stream twice in one session (compared case-insensitively)
 * is refused; a session whose streams all hold exactly its events already is an idempotent success;
 * a partial replay is a conflict naming its first stream (26.0.3+), or {@link
 * SessionResult.Inconclusive} as 25.1 to 26.0.2 answer it ({@link
 * #answerPartialReplaysAsInternal}).
 */
public final class InMemoryEventStore implements EventStoreWriter {

  /** An event as stored, with its revision. */
  public record Recorded(long revision, ProposedEvent event) {}

  private final Map<String, List<ProposedEvent>> streams = new LinkedHashMap<>();
  private final Set<String> tombstoned = new HashSet<>();
  private final Map<String, Integer> appendCalls = new HashMap<>();
  private final long maxAppendBytes;
  private boolean sessions = true;
  private boolean partialReplayInternal;
  private int sessionCalls;

  public InMemoryEventStore() {
    this(ProposedEvent.DEFAULT_MAX_APPEND_BYTES);
  }

  public InMemoryEventStore(long maxAppendBytes) {
    this.maxAppendBytes = maxAppendBytes;
  }

  @Override
  public synchronized CompletableFuture<AppendResult> append(AppendRequest request) {
    appendCalls.merge(request.stream(), 1, Integer::sum);
    return CompletableFuture.completedFuture(check(request));
  }

  private AppendResult check(AppendRequest request) {
    String stream = request.stream();
    if (tombstoned.contains(stream)) {
      return new AppendResult.StreamDeleted(stream);
    }
    if (request.appendSize() > maxAppendBytes) {
      return new AppendResult.Rejected("Maximum Append Size of " + maxAppendBytes + " Exceeded.");
    }
    List<ProposedEvent> events = streams.computeIfAbsent(stream, s -> new ArrayList<>());
    long current = events.size() - 1;
    long expected = request.expectedRevision();
    if (expected == current) {
      events.addAll(request.events());
      return new AppendResult.Success(events.size() - 1);
    }
    if (expected > current) {
      dropIfEmpty(stream);
      return new AppendResult.WrongExpectedVersion(expected, current);
    }
    // Below the current revision: only an exact repeat of what is there succeeds.
    List<ProposedEvent> proposed = request.events();
    for (int i = 0; i < proposed.size(); i++) {
      long revision = expected + 1 + i;
      if (revision > current || !events.get((int) revision).id().equals(proposed.get(i).id())) {
        return new AppendResult.WrongExpectedVersion(expected, current);
      }
    }
    return new AppendResult.Success(expected + proposed.size());
  }

  @Override
  public synchronized CompletableFuture<SessionResult> appendSession(List<AppendRequest> requests) {
    if (!sessions) {
      return EventStoreWriter.super.appendSession(requests);
    }
    sessionCalls++;
    requests.forEach(r -> appendCalls.merge(r.stream(), 1, Integer::sum));
    return CompletableFuture.completedFuture(checkSession(requests));
  }

  private SessionResult checkSession(List<AppendRequest> requests) {
    Set<String> seen = new HashSet<>();
    long bytes = 0;
    for (AppendRequest request : requests) {
      if (!seen.add(request.stream().toLowerCase(Locale.ROOT))) {
        return new SessionResult.Rejected("STREAM_ALREADY_IN_APPEND_SESSION: " + request.stream());
      }
      bytes += request.appendSize();
    }
    if (bytes > maxAppendBytes) {
      return new SessionResult.Rejected("APPEND_TRANSACTION_SIZE_EXCEEDED: " + bytes);
    }
    List<Long> idempotent = new ArrayList<>();
    AppendRequest firstConflict = null;
    int ok = 0;
    for (AppendRequest request : requests) {
      if (tombstoned.contains(request.stream())) {
        return new SessionResult.StreamDeleted(request.stream());
      }
      List<ProposedEvent> events = streams.getOrDefault(request.stream(), List.of());
      long current = events.size() - 1;
      long expected = request.expectedRevision();
      if (expected == current) {
        ok++;
      } else if (expected < current && matches(events, expected, request.events())) {
        idempotent.add(expected + request.events().size());
      } else if (firstConflict == null) {
        firstConflict = request;
      }
    }
    if (idempotent.size() == requests.size()) {
      return new SessionResult.Success(idempotent);
    }
    if (!idempotent.isEmpty()) {
      if (partialReplayInternal) {
        return new SessionResult.Inconclusive("INTERNAL: failed to map error");
      }
      AppendRequest first = requests.get(0);
      return new SessionResult.WrongExpectedVersion(
          first.stream(), first.expectedRevision(), revision(first.stream()));
    }
    if (firstConflict != null) {
      return new SessionResult.WrongExpectedVersion(
          firstConflict.stream(),
          firstConflict.expectedRevision(),
          revision(firstConflict.stream()));
    }
    List<Long> revisions = new ArrayList<>(ok);
    for (AppendRequest request : requests) {
      List<ProposedEvent> events =
          streams.computeIfAbsent(request.stream(), s -> new ArrayList<>());
      events.addAll(request.events());
      revisions.add(events.size() - 1L);
    }
    return new SessionResult.Success(revisions);
  }

  private static boolean matches(
      List<ProposedEvent> events, long expected, List<ProposedEvent> proposed) {
    for (int i = 0; i < proposed.size(); i++) {
      long revision = expected + 1 + i;
      if (revision >= events.size()
          || !events.get((int) revision).id().equals(proposed.get(i).id())) {
        return false;
      }
    }
    return true;
  }

  private long revision(String stream) {
    return streams.getOrDefault(stream, List.of()).size() - 1L;
  }

  @Override
  public synchronized CompletableFuture<Boolean> supportsAppendSession() {
    return CompletableFuture.completedFuture(sessions);
  }

  /** Behave as a server before 25.1: no multi-stream append. */
  public synchronized InMemoryEventStore withoutAppendSession() {
    sessions = false;
    return this;
  }

  /** Answer a partial replay as KurrentDB 25.1 to 26.0.2 do: INTERNAL. */
  public synchronized InMemoryEventStore answerPartialReplaysAsInternal() {
    partialReplayInternal = true;
    return this;
  }

  /** How many multi-stream appends were received. */
  public synchronized int sessionCalls() {
    return sessionCalls;
  }

  @Override
  public synchronized CompletableFuture<List<StoredEvent>> read(
      String stream, long fromRevision, int maxCount) {
    if (tombstoned.contains(stream)) {
      return CompletableFuture.failedFuture(new StreamDeletedException(stream));
    }
    List<StoredEvent> out = new ArrayList<>();
    List<ProposedEvent> events = streams.getOrDefault(stream, List.of());
    for (long r = Math.max(0, fromRevision); r < events.size() && out.size() < maxCount; r++) {
      ProposedEvent event = events.get((int) r);
      out.add(new StoredEvent(stream, r, event.id(), event.type()));
    }
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public long maxAppendBytes() {
    return maxAppendBytes;
  }

  /** Tombstones a stream: every later append answers StreamDeleted. */
  public synchronized void tombstone(String stream) {
    tombstoned.add(stream);
  }

  /** The stream's events in revision order (empty when it does not exist). */
  public synchronized List<Recorded> events(String stream) {
    List<Recorded> out = new ArrayList<>();
    List<ProposedEvent> events = streams.getOrDefault(stream, List.of());
    for (int i = 0; i < events.size(); i++) {
      out.add(new Recorded(i, events.get(i)));
    }
    return out;
  }

  /** Every stream that has events, in the order they were first written. */
  public synchronized List<String> streamNames() {
    return List.copyOf(streams.keySet());
  }

  /** How many append calls a stream received (including idempotent repeats and refusals). */
  public synchronized int appendCalls(String stream) {
    return appendCalls.getOrDefault(stream, 0);
  }

  /** The number of events in all streams. */
  public synchronized int totalEvents() {
    return streams.values().stream().mapToInt(List::size).sum();
  }

  private void dropIfEmpty(String stream) {
    if (streams.get(stream).isEmpty()) {
      streams.remove(stream);
    }
  }

  @Override
  public void close() {}
}
