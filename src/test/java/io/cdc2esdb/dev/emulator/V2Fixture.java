package io.cdc2esdb.dev.emulator;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.kurrent.dbclient.AppendStreamRequest;
import io.kurrent.dbclient.EventData;
import io.kurrent.dbclient.KurrentDBClient;
import io.kurrent.dbclient.KurrentDBConnectionString;
import io.kurrent.dbclient.MultiStreamAppendResponse;
import io.kurrent.dbclient.StreamState;
import io.kurrentdb.protocol.v2.streams.AppendRequest;
import io.kurrentdb.protocol.v2.streams.AppendSessionResponse;
import io.kurrentdb.protocol.v2.streams.StreamsServiceGrpc;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An emulator playing a given server version, KurrentDB's real 1.1.0 client on it, db-client-java
 * 5.4.5 on it (the v1 view), and a raw channel for the v2 stubs, for what the client cannot send or
 * does not show.
 */
final class V2Fixture implements AutoCloseable {

  final EmulatorFixture v1;
  final KurrentDBClient client;
  private ManagedChannel channel;

  V2Fixture(EmulatorOptions options) {
    this.v1 = new EmulatorFixture(options);
    this.client =
        KurrentDBClient.create(
            KurrentDBConnectionString.parseOrThrow(v1.emulator.kurrentdbConnectionString()));
  }

  EventStoreEmulator emulator() {
    return v1.emulator;
  }

  static EventData json(String type) {
    return json(UUID.randomUUID(), type, null);
  }

  static EventData json(UUID id, String type, String metadata) {
    var builder = EventData.builderAsJson(id, type, "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
    if (metadata != null) {
      builder.metadataAsBytes(metadata.getBytes(StandardCharsets.UTF_8));
    }
    return builder.build();
  }

  static AppendStreamRequest request(String stream, StreamState expected, EventData... events) {
    return new AppendStreamRequest(stream, List.of(events).iterator(), expected);
  }

  MultiStreamAppendResponse append(AppendStreamRequest... requests) throws Exception {
    return client.multiStreamAppend(List.of(requests).iterator()).get(10, TimeUnit.SECONDS);
  }

  /** The exception (the future's cause) a multi-stream append fails with. */
  Throwable failure(AppendStreamRequest... requests) {
    return EmulatorFixture.failure(client.multiStreamAppend(List.of(requests).iterator()));
  }

  synchronized ManagedChannel channel() {
    if (channel == null) {
      channel =
          NettyChannelBuilder.forAddress(emulator().host(), emulator().port())
              .usePlaintext()
              .build();
    }
    return channel;
  }

  /** Sends the requests over the raw v2 stub, then half-closes. */
  CompletableFuture<AppendSessionResponse> raw(List<AppendRequest> requests) {
    CompletableFuture<AppendSessionResponse> result = new CompletableFuture<>();
    StreamObserver<AppendRequest> calls =
        StreamsServiceGrpc.newStub(channel())
            .appendSession(
                new StreamObserver<>() {
                  @Override
                  public void onNext(AppendSessionResponse value) {
                    result.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    result.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.forEach(calls::onNext);
    calls.onCompleted();
    return result;
  }

  /** The status an append over the raw stub fails with. */
  StatusRuntimeException rawFailure(List<AppendRequest> requests) {
    Throwable error = EmulatorFixture.failure(raw(requests));
    if (error instanceof StatusRuntimeException status) {
      return status;
    }
    throw new AssertionError("expected a status, got " + error, error);
  }

  /** The {@code google.rpc.Status} details of an error: ErrorInfo first, then the typed detail. */
  static List<Any> details(Throwable error) {
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    if (status == null) {
      throw new AssertionError("no grpc-status-details-bin in " + error, error);
    }
    return status.getDetailsList();
  }

  static ErrorInfo errorInfo(Throwable error) {
    return unpack(details(error).get(0), ErrorInfo.class);
  }

  static <T extends Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    try {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
      }
      client.shutdown().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    } finally {
      v1.close();
    }
  }
}
