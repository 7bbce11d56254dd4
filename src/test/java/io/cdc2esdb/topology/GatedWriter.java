package io.cdc2esdb.topology;

import io.cdc2esdb.sink.AppendRequest;
import io.cdc2esdb.sink.AppendResult;
import io.cdc2esdb.sink.EventStoreWriter;
import io.cdc2esdb.sink.SessionResult;
import io.cdc2esdb.sink.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Delegates to a writer, but while closed holds every answer back until {@link #open()}: an
 * EventStoreDB that is slow to acknowledge, under the test's control.
 */
final class GatedWriter implements EventStoreWriter {

  private final EventStoreWriter delegate;
  private final List<Runnable> held = new ArrayList<>();
  private boolean closed = true;

  GatedWriter(EventStoreWriter delegate) {
    this.delegate = delegate;
  }

  synchronized int held() {
    return held.size();
  }

  /** Lets every held call through, and every later one at once. */
  void open() {
    List<Runnable> release;
    synchronized (this) {
      closed = false;
      release = List.copyOf(held);
      held.clear();
    }
    release.forEach(Runnable::run);
  }

  private synchronized <T> CompletableFuture<T> gate(Supplier<CompletableFuture<T>> call) {
    if (!closed) {
      return call.get();
    }
    CompletableFuture<T> answer = new CompletableFuture<>();
    held.add(
        () ->
            call.get()
                .whenComplete(
                    (value, error) -> {
                      if (error != null) {
                        answer.completeExceptionally(error);
                      } else {
                        answer.complete(value);
                      }
                    }));
    return answer;
  }

  @Override
  public CompletableFuture<AppendResult> append(AppendRequest request) {
    return gate(() -> delegate.append(request));
  }

  @Override
  public CompletableFuture<SessionResult> appendSession(List<AppendRequest> requests) {
    return gate(() -> delegate.appendSession(requests));
  }

  @Override
  public CompletableFuture<Boolean> supportsAppendSession() {
    return delegate.supportsAppendSession();
  }

  @Override
  public CompletableFuture<List<StoredEvent>> read(String stream, long fromRevision, int maxCount) {
    return delegate.read(stream, fromRevision, maxCount);
  }

  @Override
  public long maxAppendBytes() {
    return delegate.maxAppendBytes();
  }

  @Override
  public void close() {}
}
