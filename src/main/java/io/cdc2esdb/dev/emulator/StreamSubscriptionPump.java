package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import io.cdc2esdb.dev.emulator.store.EmulatorStore;
import io.cdc2esdb.dev.emulator.store.ResolvedRecord;
import io.cdc2esdb.dev.emulator.store.StreamPage;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;

/**
 * A subscription to one stream: from its start, after a revision, or from its end (live only). A
 * tombstone ends it with a stream-deleted error (the tombstone event itself is delivered first when
 * it happens while the subscription is live).
 */
final class StreamSubscriptionPump extends SubscriptionPump {

  private static final int PAGE = 256;
  private long next;

  StreamSubscriptionPump(
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
          case END -> store.lastRevision(request.stream()) + 1;
          case AT -> request.at() + 1;
        };
  }

  @Override
  boolean sendNext(boolean catchingUp) {
    StreamPage page =
        store.followStream(request.stream(), next, PAGE, catchingUp, request.resolveLinks());
    for (ResolvedRecord event : page.events()) {
      send(Protos.event(event, request.structuredIds()));
      next = event.original().revision() + 1;
    }
    if (page.deleted()) {
      fail(RpcErrors.streamDeleted(request.stream()));
      return false;
    }
    return !page.events().isEmpty();
  }
}
