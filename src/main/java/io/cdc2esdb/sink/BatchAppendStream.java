package io.cdc2esdb.sink;

import com.eventstore.dbclient.proto.shared.Shared;
import com.eventstore.dbclient.proto.streams.StreamsGrpc;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.BatchAppendReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.BatchAppendResp;
import com.google.protobuf.Empty;
import com.google.protobuf.UnsafeByteOperations;
import io.cdc2esdb.event.ProposedEvent;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-stream appends over one long-lived v1 {@code Streams/BatchAppend} call (EventStoreDB 21.10+):
 * each append is its own single-stream append on the server (own stream, own expected revision, own
 * answer), tagged by a correlation id, so the call's set-up (HTTP/2 stream, headers, trailers) is
 * paid once instead of per append.
 *
 * <p>The call is opened by the first append and kept open. Each append is one request with {@code
 * is_final} (several when it is large), carrying the writer's deadline; its answer completes its
 * future on the event loop. What breaks the call fails every append still waiting on it as the
 * Append path would fail it, and the next append opens a new call:
 *
 * <ul>
 *   <li>a transport error or the server ending the call (killed, connection reset, not leader): the
 *       call's error, as for {@code Streams/Append} ({@code UNAVAILABLE}: unavailable);
 *   <li>an append unanswered past its deadline (a frozen server): unavailable; the call is
 *       cancelled;
 *   <li>{@code UNIMPLEMENTED} (a server or proxy without BatchAppend): the waiting appends go
 *       through {@code fallback} instead, and so does every later one.
 * </ul>
 *
 * <p>Thread-safe: appends come from stream threads and from continuations on the event loop at
 * once; sending is serialised on one lock that is never held while waiting for anything.
 */
final class BatchAppendStream implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BatchAppendStream.class);

  /** Requests of one append stay about this small; the server takes messages up to ~16 MiB. */
  private static final long REQUEST_BYTES = 1024 * 1024;

  private final StreamsGrpc.StreamsStub stub;
  private final Duration deadline;
  private final com.google.protobuf.Duration wireDeadline;
  private final String target;
  private final Function<AppendRequest, CompletableFuture<AppendResult>> fallback;
  private final Function<EventStoreException, EventStoreException> noted;
  private final Runnable answered;
  private final ScheduledExecutorService sweeper;
  private final long idHigh = ThreadLocalRandom.current().nextLong();
  private final AtomicLong idLow = new AtomicLong();
  private final Object lock = new Object();
  private Call current;
  private volatile Call open;
  private volatile boolean unimplemented;

  BatchAppendStream(
      StreamsGrpc.StreamsStub stub,
      Duration deadline,
      String target,
      Function<AppendRequest, CompletableFuture<AppendResult>> fallback,
      Function<EventStoreException, EventStoreException> noted,
      Runnable answered) {
    this.stub = stub;
    this.deadline = deadline;
    this.wireDeadline =
        com.google.protobuf.Duration.newBuilder()
            .setSeconds(deadline.getSeconds())
            .setNanos(deadline.getNano())
            .build();
    this.target = target;
    this.fallback = fallback;
    this.noted = noted;
    this.answered = answered;
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "esdb-batch-append-deadlines");
              thread.setDaemon(true);
              return thread;
            });
    long period = Math.max(10, Math.min(1000, deadline.toMillis() / 10));
    sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  /** False once the server answered {@code UNIMPLEMENTED}: appends then take the fallback. */
  boolean available() {
    return !unimplemented;
  }

  CompletableFuture<AppendResult> append(AppendRequest request) {
    if (unimplemented) {
      return fallback.apply(request);
    }
    UUID id = new UUID(idHigh, idLow.incrementAndGet());
    Pending append =
        new Pending(id, request, new CompletableFuture<>(), System.nanoTime() + deadline.toNanos());
    Call call;
    synchronized (lock) {
      call = current;
      if (call == null || call.broken) {
        call = new Call();
        stub.batchAppend(call);
        current = call;
        open = call;
      }
      call.pending.put(id, append);
      call.byAge.add(append);
      try {
        send(call.requests, id, request);
      } catch (RuntimeException e) {
        broken(
            call,
            Status.UNAVAILABLE.withCause(e).withDescription(e.toString()).asRuntimeException());
      }
    }
    // The call may have broken between the registration and the send: whoever removes the append
    // from the call answers it.
    if (call.broken && call.pending.remove(id, append)) {
      fail(append, call.cause);
    }
    return append.result;
  }

  private void send(
      ClientCallStreamObserver<BatchAppendReq> requests, UUID id, AppendRequest request) {
    Shared.UUID correlation = EsdbGrpcWriter.uuid(id);
    BatchAppendReq.Options.Builder options =
        BatchAppendReq.Options.newBuilder()
            .setStreamIdentifier(EsdbGrpcWriter.streamId(request.stream()))
            .setDeadline(wireDeadline);
    if (request.expectedRevision() == AppendRequest.NO_STREAM) {
      options.setNoStream(Empty.getDefaultInstance());
    } else {
      options.setStreamPosition(request.expectedRevision());
    }
    BatchAppendReq.Builder next =
        BatchAppendReq.newBuilder().setCorrelationId(correlation).setOptions(options);
    long bytes = 0;
    for (ProposedEvent event : request.events()) {
      if (bytes > 0 && bytes + event.appendSize() > REQUEST_BYTES) {
        requests.onNext(next.build());
        next = BatchAppendReq.newBuilder().setCorrelationId(correlation);
        bytes = 0;
      }
      next.addProposedMessages(message(event));
      bytes += event.appendSize();
    }
    requests.onNext(next.setIsFinal(true).build());
  }

  private static BatchAppendReq.ProposedMessage message(ProposedEvent event) {
    return BatchAppendReq.ProposedMessage.newBuilder()
        .setId(EsdbGrpcWriter.uuid(event.id()))
        .putMetadata("type", event.type())
        .putMetadata("content-type", "application/json")
        // The event owns its arrays and never changes them: no copy.
        .setCustomMetadata(UnsafeByteOperations.unsafeWrap(event.metadata()))
        .setData(UnsafeByteOperations.unsafeWrap(event.data()))
        .build();
  }

  /** Breaks the open call when its oldest unanswered append is past its deadline. */
  private void sweep() {
    Call call = open;
    if (call == null || call.broken) {
      return;
    }
    Pending oldest;
    while ((oldest = call.byAge.peek()) != null && oldest.result.isDone()) {
      call.byAge.poll();
    }
    if (oldest != null && System.nanoTime() - oldest.deadlineNanos > 0) {
      LOG.warn(
          "EventStoreDB at {} left an append to '{}' unanswered for {} ms; reopening the batch"
              + " append call",
          target,
          oldest.request.stream(),
          deadline.toMillis());
      broken(
          call,
          Status.DEADLINE_EXCEEDED
              .withDescription("no answer within " + deadline.toMillis() + " ms")
              .asRuntimeException());
      synchronized (lock) {
        call.requests.cancel("an append outlived its deadline", null);
      }
    }
  }

  /** Marks {@code call} broken and answers every append still waiting on it. */
  private void broken(Call call, Throwable cause) {
    if (Status.fromThrowable(cause).getCode() == Status.Code.UNIMPLEMENTED && !unimplemented) {
      unimplemented = true;
      LOG.warn("EventStoreDB at {} has no BatchAppend; appending with Streams/Append", target);
    }
    call.cause = cause;
    call.broken = true;
    for (Pending append : call.pending.values()) {
      if (call.pending.remove(append.id, append)) {
        fail(append, cause);
      }
    }
  }

  private void fail(Pending append, Throwable cause) {
    if (unimplemented) {
      fallback
          .apply(append.request)
          .whenComplete(
              (result, error) -> {
                if (error != null) {
                  append.result.completeExceptionally(error);
                } else {
                  append.result.complete(result);
                }
              });
      return;
    }
    try {
      append.result.complete(EsdbErrors.appendResult(append.request, cause));
    } catch (EventStoreException failure) {
      append.result.completeExceptionally(noted.apply(failure));
    }
  }

  private void answer(Call call, BatchAppendResp response) {
    Shared.UUID.Structured wire = response.getCorrelationId().getStructured();
    UUID id = new UUID(wire.getMostSignificantBits(), wire.getLeastSignificantBits());
    Pending append = call.pending.remove(id);
    if (append == null) {
      return;
    }
    answered.run();
    if (response.hasSuccess()) {
      BatchAppendResp.Success success = response.getSuccess();
      append.result.complete(
          new AppendResult.Success(
              success.hasNoStream() ? AppendRequest.NO_STREAM : success.getCurrentRevision()));
      return;
    }
    try {
      append.result.complete(EsdbErrors.batchAppendResult(append.request, response.getError()));
    } catch (EventStoreException failure) {
      append.result.completeExceptionally(noted.apply(failure));
    }
  }

  /** Half-closes the open call: the server answers what it still has, then completes it. */
  @Override
  public void close() {
    sweeper.shutdownNow();
    synchronized (lock) {
      if (current != null && !current.broken) {
        current.requests.onCompleted();
      }
    }
  }

  private record Pending(
      UUID id, AppendRequest request, CompletableFuture<AppendResult> result, long deadlineNanos) {}

  /** One BatchAppend call and the appends waiting on it. */
  private final class Call implements ClientResponseObserver<BatchAppendReq, BatchAppendResp> {
    final Map<UUID, Pending> pending = new ConcurrentHashMap<>();
    final Queue<Pending> byAge = new ConcurrentLinkedQueue<>();
    ClientCallStreamObserver<BatchAppendReq> requests;
    volatile boolean broken;
    volatile Throwable cause;

    @Override
    public void beforeStart(ClientCallStreamObserver<BatchAppendReq> requestStream) {
      this.requests = requestStream;
    }

    @Override
    public void onNext(BatchAppendResp response) {
      answer(this, response);
    }

    @Override
    public void onError(Throwable error) {
      broken(this, error);
    }

    @Override
    public void onCompleted() {
      broken(
          this,
          Status.UNAVAILABLE
              .withDescription("the server ended the batch append call")
              .asRuntimeException());
    }
  }
}
