package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import io.cdc2esdb.dev.emulator.store.AllPage;
import io.cdc2esdb.dev.emulator.store.EmulatorStore;
import io.cdc2esdb.dev.emulator.store.ResolvedRecord;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;

/**
 * A subscription to {@code $all}: from the start, strictly after a position, or from the end (live
 * only), optionally filtered by stream or event type.
 */
final class AllSubscriptionPump extends SubscriptionPump {

  private static final int PAGE = 256;
  private long next;

  AllSubscriptionPump(
      ServerCallStreamObserver<ReadResp> call,
      Executor executor,
      EmulatorStore store,
      ReadRequest request) {
    super(call, executor, store, request);
  }

  @Override
  void startCursor() {
    next =
        switch (request.start()) {
          case START -> 0;
          case END -> store.endPosition();
          case AT -> request.at() + 1;
        };
  }

  @Override
  boolean sendNext(boolean catchingUp) {
    AllPage page = store.readAll(next, PAGE, true, request.filter(), request.resolveLinks());
    for (ResolvedRecord event : page.events()) {
      send(Protos.event(event, request.structuredIds()));
    }
    next = page.next();
    return !page.end();
  }
}
