package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import io.cdc2esdb.dev.emulator.store.EmulatorStore;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * A subscription: {@code confirmation}, then catch-up events, then {@code caught_up}, then live
 * events as they are written, until the client cancels. The subscription follows the store with a
 * cursor rather than a queue of pushed events, so catch-up and live are the same loop and a slow
 * client only delays its own subscription. {@code fell_behind} is never sent.
 */
abstract class SubscriptionPump extends ResponsePump {

  final EmulatorStore store;
  final ReadRequest request;
  private AutoCloseable listening;
  private boolean confirmed;
  private boolean caughtUp;

  SubscriptionPump(
      ServerCallStreamObserver<ReadResp> call,
      Executor executor,
      EmulatorStore store,
      ReadRequest request) {
    super(call, executor);
    this.store = store;
    this.request = request;
  }

  @Override
  final void onStart() {
    listening = store.onCommit(this::wake);
    startCursor();
  }

  /** Places the cursor according to the request (called once, before the first step). */
  abstract void startCursor();

  /**
   * Sends the next events after the cursor (a bounded amount) and moves it. Returns false when
   * there were none; may end the call.
   */
  abstract boolean sendNext(boolean catchingUp);

  @Override
  final boolean step() {
    if (!confirmed) {
      confirmed = true;
      send(
          ReadResp.newBuilder()
              .setConfirmation(
                  ReadResp.SubscriptionConfirmation.newBuilder()
                      .setSubscriptionId(UUID.randomUUID().toString()))
              .build());
      return true;
    }
    if (sendNext(!caughtUp)) {
      return true;
    }
    if (!caughtUp) {
      caughtUp = true;
      send(ReadResp.newBuilder().setCaughtUp(ReadResp.CaughtUp.getDefaultInstance()).build());
    }
    return false;
  }

  @Override
  final void onFinish() {
    try {
      if (listening != null) {
        listening.close();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
