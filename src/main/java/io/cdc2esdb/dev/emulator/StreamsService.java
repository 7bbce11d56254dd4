package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.proto.streams.StreamsGrpc;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendResp;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.BatchAppendReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.BatchAppendResp;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.DeleteReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.DeleteResp;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.TombstoneReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.TombstoneResp;
import io.cdc2esdb.dev.emulator.store.EmulatorStore;
import io.cdc2esdb.dev.emulator.store.ExpectedVersion;
import io.cdc2esdb.dev.emulator.store.WriteResult;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The {@code Streams} service: Append and BatchAppend (one write path, {@link V1Append}), Read
 * (reads and subscriptions), Delete and Tombstone on the store. With BatchAppend turned off ({@link
 * EmulatorOptions#batchAppend()}) that method answers {@code UNIMPLEMENTED}.
 */
final class StreamsService extends StreamsGrpc.StreamsImplBase {

  private final EmulatorStore store;
  private final V1Append appends;
  private final boolean batchAppend;
  private final Executor readers;
  private final Supplier<InetSocketAddress> self;
  private final Queue<AppendFault> faults = new ConcurrentLinkedQueue<>();

  StreamsService(
      EmulatorStore store,
      long maxAppendSize,
      boolean batchAppend,
      Executor readers,
      Supplier<InetSocketAddress> self) {
    this.store = store;
    this.appends = new V1Append(store, maxAppendSize, faults::poll);
    this.batchAppend = batchAppend;
    this.readers = readers;
    this.self = self;
  }

  void injectAppendFaults(AppendFault... next) {
    faults.addAll(List.of(next));
  }

  /** The fault the next append (v1 or v2) fails with; null: none. */
  AppendFault nextFault() {
    return faults.poll();
  }

  @Override
  public StreamObserver<AppendReq> append(StreamObserver<AppendResp> response) {
    return new AppendCall(appends, self.get(), response);
  }

  @Override
  public StreamObserver<BatchAppendReq> batchAppend(StreamObserver<BatchAppendResp> response) {
    if (!batchAppend) {
      return super.batchAppend(response);
    }
    return new BatchAppendCall(appends, self.get(), response);
  }

  @Override
  public void read(ReadReq request, StreamObserver<ReadResp> response) {
    ServerCallStreamObserver<ReadResp> call = (ServerCallStreamObserver<ReadResp>) response;
    ReadRequest read;
    try {
      read = ReadRequest.decode(request);
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    }
    ResponsePump pump;
    if (read.subscription()) {
      pump =
          read.stream() == null
              ? new AllSubscriptionPump(call, readers, store, read)
              : new StreamSubscriptionPump(call, readers, store, read);
    } else {
      pump =
          read.stream() == null
              ? new AllReadPump(call, readers, store, read)
              : new StreamReadPump(call, readers, store, read);
    }
    pump.start();
  }

  @Override
  public void delete(DeleteReq request, StreamObserver<DeleteResp> response) {
    DeleteReq.Options options = request.getOptions();
    String stream = Protos.streamName(options.getStreamIdentifier());
    long expected = expected(options.getExpectedStreamRevisionCase(), options.getRevision());
    long position = deleted(stream, expected, store.softDelete(stream, expected), response);
    if (position >= 0) {
      response.onNext(
          DeleteResp.newBuilder()
              .setPosition(
                  DeleteResp.Position.newBuilder()
                      .setCommitPosition(position)
                      .setPreparePosition(position))
              .build());
      response.onCompleted();
    }
  }

  @Override
  public void tombstone(TombstoneReq request, StreamObserver<TombstoneResp> response) {
    TombstoneReq.Options options = request.getOptions();
    String stream = Protos.streamName(options.getStreamIdentifier());
    long expected = expected(options.getExpectedStreamRevisionCase(), options.getRevision());
    long position = deleted(stream, expected, store.tombstone(stream, expected), response);
    if (position >= 0) {
      response.onNext(
          TombstoneResp.newBuilder()
              .setPosition(
                  TombstoneResp.Position.newBuilder()
                      .setCommitPosition(position)
                      .setPreparePosition(position))
              .build());
      response.onCompleted();
    }
  }

  /** The position of a successful delete; otherwise answers the error and returns -1. */
  private static long deleted(
      String stream, long expected, WriteResult result, StreamObserver<?> response) {
    if (result instanceof WriteResult.Success success) {
      return success.position();
    }
    if (result instanceof WriteResult.WrongExpectedVersion wrong) {
      response.onError(
          RpcErrors.wrongExpectedVersion("Delete", stream, expected, wrong.currentVersion()));
    } else {
      response.onError(RpcErrors.streamDeleted(stream));
    }
    return -1;
  }

  /**
   * Delete and Tombstone carry the same expected-revision choice, in two generated enum types with
   * the same constants.
   */
  private static long expected(Enum<?> choice, long revision) {
    return switch (choice.name()) {
      case "REVISION" -> revision;
      case "NO_STREAM" -> ExpectedVersion.NO_STREAM;
      case "STREAM_EXISTS" -> ExpectedVersion.STREAM_EXISTS;
      default -> ExpectedVersion.ANY;
    };
  }
}
