package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a server-streaming response as fast as the client takes it and no faster: a read or a
 * subscription produces its messages in small steps, only while the call is ready, so a slow reader
 * (the client asks for messages as it consumes them) never makes the emulator buffer a whole
 * stream. Steps run one at a time on an executor; {@link #wake()} asks for another step (new data,
 * the call became ready, the call was cancelled) and is safe from any thread.
 */
abstract class ResponsePump implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ResponsePump.class);

  private final ServerCallStreamObserver<ReadResp> call;
  private final Executor executor;
  private final AtomicInteger wakeups = new AtomicInteger();
  private volatile boolean cancelled;
  private boolean done;

  ResponsePump(ServerCallStreamObserver<ReadResp> call, Executor executor) {
    this.call = call;
    this.executor = executor;
  }

  /** Registers the call's handlers and takes the first step. */
  final void start() {
    call.setOnReadyHandler(this::wake);
    call.setOnCancelHandler(
        () -> {
          cancelled = true;
          wake();
        });
    onStart();
    wake();
  }

  final void wake() {
    if (wakeups.getAndIncrement() == 0) {
      executor.execute(this);
    }
  }

  @Override
  public final void run() {
    do {
      try {
        pump();
      } catch (StatusRuntimeException e) {
        fail(e);
      } catch (RuntimeException e) {
        log.warn("An emulator read failed", e);
        fail(io.grpc.Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
      }
    } while (wakeups.decrementAndGet() != 0);
  }

  private void pump() {
    if (done) {
      return;
    }
    if (cancelled) {
      finish();
      return;
    }
    while (!done && call.isReady()) {
      if (!step()) {
        return;
      }
    }
  }

  /** Called once, before the first step (e.g. to start listening for new data). */
  void onStart() {}

  /**
   * Sends what there is to send now, a bounded amount. Returns false when there is nothing more
   * until {@link #wake()} is called again; ends the call with {@link #complete()} or {@link #fail}.
   */
  abstract boolean step();

  /** Called once when the call ends, however it ends. */
  void onFinish() {}

  final void send(ReadResp message) {
    call.onNext(message);
  }

  final void complete() {
    if (!done) {
      call.onCompleted();
      finish();
    }
  }

  final void fail(StatusRuntimeException error) {
    if (!done) {
      call.onError(error);
      finish();
    }
  }

  private void finish() {
    done = true;
    onFinish();
  }
}
