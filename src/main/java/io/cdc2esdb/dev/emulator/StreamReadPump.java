package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import io.cdc2esdb.dev.emulator.store.EmulatorStore;
import io.cdc2esdb.dev.emulator.store.ResolvedRecord;
import io.cdc2esdb.dev.emulator.store.StreamRead;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A read of one stream, in pages: the events, then (compatibility >= 1) the stream's last revision.
 * A stream that does not exist is a {@code stream_not_found} message, not an error; a tombstoned
 * stream is an error.
 */
final class StreamReadPump extends ResponsePump {

  private static final int PAGE = 256;

  private final EmulatorStore store;
  private final String stream;
  private final boolean forwards;
  private final boolean resolveLinks;
  private final boolean structuredIds;
  private final boolean sendLastPosition;
  private long next;
  private long remaining;
  private boolean first = true;

  StreamReadPump(
      ServerCallStreamObserver<ReadResp> call,
      Executor executor,
      EmulatorStore store,
      ReadRequest request) {
    super(call, executor);
    this.store = store;
    this.stream = request.stream();
    this.forwards = request.forwards();
    this.resolveLinks = request.resolveLinks();
    this.structuredIds = request.structuredIds();
    this.sendLastPosition = request.compatibility() >= 1;
    this.next = request.readFrom();
    this.remaining = request.count();
  }

  @Override
  boolean step() {
    StreamRead read =
        store.readStream(stream, next, Math.min(remaining, PAGE), forwards, resolveLinks);
    if (read instanceof StreamRead.Deleted) {
      fail(RpcErrors.streamDeleted(stream));
      return false;
    }
    if (read instanceof StreamRead.NotFound) {
      send(
          ReadResp.newBuilder()
              .setStreamNotFound(
                  ReadResp.StreamNotFound.newBuilder()
                      .setStreamIdentifier(Protos.streamIdentifier(stream)))
              .build());
      complete();
      return false;
    }
    StreamRead.Found found = (StreamRead.Found) read;
    List<ResolvedRecord> events = found.events();
    if (first && events.isEmpty() && forwards && sendLastPosition && next < found.firstRevision()) {
      send(ReadResp.newBuilder().setFirstStreamPosition(found.firstRevision()).build());
    }
    first = false;
    for (ResolvedRecord event : events) {
      send(Protos.event(event, structuredIds));
    }
    remaining -= events.size();
    long last = events.isEmpty() ? 0 : events.get(events.size() - 1).original().revision();
    if (events.size() == PAGE && remaining > 0 && (forwards || last > 0)) {
      next = forwards ? last + 1 : last - 1;
      return true;
    }
    if (sendLastPosition) {
      send(ReadResp.newBuilder().setLastStreamPosition(found.lastRevision()).build());
    }
    complete();
    return false;
  }
}
