package io.cdc2esdb.sink;

import com.eventstore.dbclient.proto.shared.Shared;
import com.eventstore.dbclient.proto.streams.StreamsGrpc;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendResp;
import com.google.protobuf.ByteString;
import io.cdc2esdb.event.ProposedEvent;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Appends over the client's generated gRPC stubs directly, with none of the client's machinery
 * (connection service, server-features check, telemetry rewriting, asynchronous steps): the
 * measuring stick of the writer benchmark, showing what the client itself costs. Plain text, one
 * node, no credentials, no reads: not a production writer — use {@link EsdbWriter}.
 */
public final class EsdbRawStubWriter implements EventStoreWriter {

  private static final Shared.Empty EMPTY = Shared.Empty.getDefaultInstance();

  private final ManagedChannel channel;
  private final StreamsGrpc.StreamsStub stub;
  private final Duration deadline;

  private EsdbRawStubWriter(ManagedChannel channel, Duration deadline) {
    this.channel = channel;
    this.stub = StreamsGrpc.newStub(channel);
    this.deadline = deadline;
  }

  /** A writer for the plain-text node at {@code host:port}. */
  public static EsdbRawStubWriter connect(String host, int port, Duration deadline) {
    return new EsdbRawStubWriter(
        NettyChannelBuilder.forAddress(host, port).usePlaintext().build(), deadline);
  }

  @Override
  public CompletableFuture<AppendResult> append(AppendRequest request) {
    CompletableFuture<AppendResult> result = new CompletableFuture<>();
    StreamObserver<AppendReq> requests =
        stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
            .append(
                new StreamObserver<>() {
                  @Override
                  public void onNext(AppendResp response) {
                    result.complete(answer(request, response));
                  }

                  @Override
                  public void onError(Throwable error) {
                    try {
                      result.complete(EsdbErrors.appendResult(request, error));
                    } catch (EventStoreException failure) {
                      result.completeExceptionally(failure);
                    }
                  }

                  @Override
                  public void onCompleted() {}
                });
    AppendReq.Options.Builder options =
        AppendReq.Options.newBuilder()
            .setStreamIdentifier(
                Shared.StreamIdentifier.newBuilder()
                    .setStreamName(ByteString.copyFromUtf8(request.stream())));
    if (request.expectedRevision() == AppendRequest.NO_STREAM) {
      options.setNoStream(EMPTY);
    } else {
      options.setRevision(request.expectedRevision());
    }
    requests.onNext(AppendReq.newBuilder().setOptions(options).build());
    for (ProposedEvent event : request.events()) {
      requests.onNext(AppendReq.newBuilder().setProposedMessage(message(event)).build());
    }
    requests.onCompleted();
    return result;
  }

  @Override
  public CompletableFuture<List<StoredEvent>> read(String stream, long fromRevision, int maxCount) {
    return CompletableFuture.failedFuture(
        new EventStoreException("the raw-stub writer does not read"));
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static AppendReq.ProposedMessage message(ProposedEvent event) {
    return AppendReq.ProposedMessage.newBuilder()
        .setId(EsdbGrpcWriter.uuid(event.id()))
        .putMetadata("type", event.type())
        .putMetadata("content-type", "application/json")
        .setCustomMetadata(ByteString.copyFrom(event.metadata()))
        .setData(ByteString.copyFrom(event.data()))
        .build();
  }

  private static AppendResult answer(AppendRequest request, AppendResp response) {
    if (response.hasSuccess()) {
      return new AppendResult.Success(response.getSuccess().getCurrentRevision());
    }
    AppendResp.WrongExpectedVersion wrong = response.getWrongExpectedVersion();
    return new AppendResult.WrongExpectedVersion(
        request.expectedRevision(),
        wrong.hasCurrentNoStream() ? AppendRequest.NO_STREAM : wrong.getCurrentRevision());
  }
}
