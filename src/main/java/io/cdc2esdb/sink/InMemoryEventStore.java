package io.cdc2esdb.sink;

import io.cdc2esdb.event.ProposedEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link EventStoreWriter} that keeps streams in memory and answers appends by the server's
 * rules for exact and no-stream expected revisions (see {@code
 * reference/esdb-server-semantics.md}): positional idempotency below the current revision, no
 * idempotency at it. For TopologyTestDriver tests of the topology, where no server runs; the
 * end-to-end tests use the real client against the emulator instead.
 */
public final class InMemoryEventStore implements EventStoreWriter {

  /** An event as stored, with its revision. */
  public record Recorded(long revision, ProposedEvent event) {}

  private final Map<String, List<ProposedEvent>> streams = new LinkedHashMap<>();
  private final Set<String> tombstoned = new HashSet<>();
  private final Map<String, Integer> appendCalls = new HashMap<>();
  private final long maxAppendBytes;

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
