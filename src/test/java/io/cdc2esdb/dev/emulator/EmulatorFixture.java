package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.WriteResult;
import com.eventstore.dbclient.proto.shared.Shared;
import com.eventstore.dbclient.proto.streams.StreamsGrpc;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendResp;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running emulator, a real client connected to it, and a raw gRPC channel for the few checks that
 * need to see the wire (fields the client drops, exact statuses and trailers). One per test class
 * is enough: every test uses its own streams ({@link #stream}).
 */
final class EmulatorFixture implements AutoCloseable {

  private static final AtomicInteger streams = new AtomicInteger();

  final EventStoreEmulator emulator;
  final EventStoreDBClient client;
  private ManagedChannel channel;

  EmulatorFixture(EmulatorOptions options) {
    this.emulator = EventStoreEmulator.start(options);
    this.client =
        EventStoreDBClient.create(
            EventStoreDBConnectionString.parseOrThrow(emulator.connectionString()));
  }

  EmulatorFixture() {
    this(EmulatorOptions.ephemeral());
  }

  /** A stream name no other test uses: {@code <prefix>-<unique>}. */
  static String stream(String prefix) {
    return prefix + "-" + streams.incrementAndGet() + "x" + Long.toHexString(System.nanoTime());
  }

  static EventData event(String type) {
    return event(UUID.randomUUID(), type);
  }

  static EventData event(UUID id, String type) {
    return EventDataBuilder.json(id, type, "{\"n\":1}".getBytes(StandardCharsets.UTF_8)).build();
  }

  static EventData eventWithMetadata(String type, String metadataJson) {
    return EventDataBuilder.json(UUID.randomUUID(), type, "{}".getBytes(StandardCharsets.UTF_8))
        .metadataAsBytes(metadataJson.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  WriteResult append(String stream, ExpectedRevision expected, EventData... events)
      throws Exception {
    return client
        .appendToStream(stream, AppendToStreamOptions.get().expectedRevision(expected), events)
        .get(10, TimeUnit.SECONDS);
  }

  /** The exception an append fails with (the test fails if it succeeds). */
  Throwable appendFailure(String stream, ExpectedRevision expected, EventData... events) {
    return failure(
        client.appendToStream(
            stream, AppendToStreamOptions.get().expectedRevision(expected), events));
  }

  List<RecordedEvent> read(String stream) throws Exception {
    return client.readStream(stream, ReadStreamOptions.get().fromStart()).get().getEvents().stream()
        .map(ResolvedEvent::getOriginalEvent)
        .toList();
  }

  List<ResolvedEvent> readAll() throws Exception {
    return client.readAll(ReadAllOptions.get().fromStart()).get().getEvents();
  }

  static Throwable failure(Future<?> future) {
    try {
      Object value = future.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  // ---- raw wire access ----

  synchronized ManagedChannel channel() {
    if (channel == null) {
      channel =
          NettyChannelBuilder.forAddress(emulator.host(), emulator.port()).usePlaintext().build();
    }
    return channel;
  }

  static AppendReq.ProposedMessage.Builder proposed(String type, byte[] data) {
    AppendReq.ProposedMessage.Builder message =
        AppendReq.ProposedMessage.newBuilder()
            .setId(Protos.uuid(UUID.randomUUID(), true))
            .setData(ByteString.copyFrom(data));
    if (type != null) {
      message.putMetadata("type", type);
    }
    return message.putMetadata("content-type", "application/json");
  }

  static AppendReq.Options.Builder options(String stream) {
    return AppendReq.Options.newBuilder().setStreamIdentifier(Protos.streamIdentifier(stream));
  }

  /** Sends an append over the raw stub; completes with the response or the error status. */
  CompletableFuture<AppendResp> rawAppend(
      AppendReq.Options.Builder options, List<AppendReq.ProposedMessage.Builder> messages) {
    CompletableFuture<AppendResp> result = new CompletableFuture<>();
    StreamObserver<AppendReq> requests =
        StreamsGrpc.newStub(channel())
            .append(
                new StreamObserver<>() {
                  @Override
                  public void onNext(AppendResp value) {
                    result.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    result.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(AppendReq.newBuilder().setOptions(options).build());
    for (AppendReq.ProposedMessage.Builder message : messages) {
      requests.onNext(AppendReq.newBuilder().setProposedMessage(message).build());
    }
    requests.onCompleted();
    return result;
  }

  /** Every message of a raw forwards read of a stream (structured ids, compatibility 1). */
  List<ReadResp> rawRead(String stream) {
    ReadReq request =
        ReadReq.newBuilder()
            .setOptions(
                ReadReq.Options.newBuilder()
                    .setStream(
                        ReadReq.Options.StreamOptions.newBuilder()
                            .setStreamIdentifier(Protos.streamIdentifier(stream))
                            .setStart(Shared.Empty.getDefaultInstance()))
                    .setCount(Long.MAX_VALUE)
                    .setNoFilter(Shared.Empty.getDefaultInstance())
                    .setUuidOption(
                        ReadReq.Options.UUIDOption.newBuilder()
                            .setStructured(Shared.Empty.getDefaultInstance()))
                    .setControlOption(
                        ReadReq.Options.ControlOption.newBuilder().setCompatibility(1)))
            .build();
    List<ReadResp> messages = new ArrayList<>();
    Iterator<ReadResp> responses = StreamsGrpc.newBlockingStub(channel()).read(request);
    responses.forEachRemaining(messages::add);
    return messages;
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
      emulator.close();
    }
  }
}
