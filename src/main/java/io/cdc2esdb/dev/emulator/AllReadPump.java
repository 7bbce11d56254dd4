package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import io.cdc2esdb.dev.emulator.store.AllPage;
import io.cdc2esdb.dev.emulator.store.EmulatorStore;
import io.cdc2esdb.dev.emulator.store.ResolvedRecord;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;

/**
 * A read of {@code $all}, in pages: forwards from a position (the record at it included), or
 * backwards before it. Stream metadata does not apply to {@code $all}.
 */
final class AllReadPump extends ResponsePump {

  private static final int PAGE = 256;

  private final EmulatorStore store;
  private final ReadRequest request;
  private long next;
  private long remaining;

  AllReadPump(
      ServerCallStreamObserver<ReadResp> call,
      Executor executor,
      EmulatorStore store,
      ReadRequest request) {
    super(call, executor);
    this.store = store;
    this.request = request;
    this.next = request.readFrom();
    this.remaining = request.count();
  }

  @Override
  boolean step() {
    AllPage page =
        store.readAll(
            next,
            (int) Math.min(remaining, PAGE),
            request.forwards(),
            request.filter(),
            request.resolveLinks());
    for (ResolvedRecord event : page.events()) {
      send(Protos.event(event, request.structuredIds()));
    }
    remaining -= page.events().size();
    next = page.next();
    if (page.end() || remaining <= 0) {
      complete();
      return false;
    }
    return true;
  }
}
