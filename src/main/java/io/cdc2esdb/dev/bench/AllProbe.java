package io.cdc2esdb.dev.bench;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.SubscriptionListener;
import com.eventstore.dbclient.proto.shared.Shared;
import com.eventstore.dbclient.proto.streams.StreamsGrpc;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.cdc2esdb.envelope.Json;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Watches {@code $all} of EventStoreDB from its start and counts the events of non-system streams
 * as they arrive: what a subject has really written, whatever its own metrics say (a Kafka Streams
 * task that is fenced and reopened starts its counters again). With {@code latency} it also
 * records, for every event, the time from the change's Debezium {@code source.ts_ms} (kept in the
 * event's metadata as {@code source.tsMs}; the workload sets it to the moment of sending) to the
 * event's creation in EventStoreDB; both clocks are this machine's.
 *
 * <p>Counting alone reads the subscription with the client's generated gRPC stubs and looks at each
 * answer's stream name only: through the client's own subscription the benchmark's process took
 * 0.17 of a core at about 11,000 events/s, this way 0.08, on the cores it shares with the processes
 * it measures.
 */
public final class AllProbe implements AutoCloseable {

  private final boolean latency;
  private final EventStoreDBClient client;
  private final Subscription subscription;
  private final ManagedChannel channel;
  private final CountingCall call;
  private volatile boolean closing;
  private long[] sent = new long[1 << 16];
  private long[] millis = new long[1 << 16];
  private int timed;
  private volatile long count;
  private volatile Throwable failure;

  private AllProbe(String connectionString, boolean latency) {
    this.latency = latency;
    if (!latency) {
      client = null;
      subscription = null;
      InetSocketAddress host =
          EventStoreDBConnectionString.parseOrThrow(connectionString).getHosts()[0];
      channel =
          NettyChannelBuilder.forAddress(host.getHostString(), host.getPort())
              .usePlaintext()
              .directExecutor()
              .maxInboundMessageSize(64 * 1024 * 1024)
              .build();
      call = new CountingCall();
      StreamsGrpc.newStub(channel).read(subscribeToAll(), call);
      return;
    }
    channel = null;
    call = null;
    client = EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(connectionString));
    try {
      subscription =
          client
              .subscribeToAll(
                  new SubscriptionListener() {
                    @Override
                    public void onEvent(Subscription s, ResolvedEvent event) {
                      record(event.getOriginalEvent());
                    }

                    @Override
                    public void onCancelled(Subscription s, Throwable error) {
                      if (error != null) {
                        failure = error;
                      }
                    }
                  },
                  SubscribeToAllOptions.get().fromStart())
              .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      client.shutdown();
      throw new IllegalStateException("cannot subscribe to $all", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static ReadReq subscribeToAll() {
    Shared.Empty empty = Shared.Empty.getDefaultInstance();
    return ReadReq.newBuilder()
        .setOptions(
            ReadReq.Options.newBuilder()
                .setAll(ReadReq.Options.AllOptions.newBuilder().setStart(empty))
                .setReadDirection(ReadReq.Options.ReadDirection.Forwards)
                .setSubscription(ReadReq.Options.SubscriptionOptions.getDefaultInstance())
                .setResolveLinks(false)
                .setNoFilter(empty)
                .setUuidOption(ReadReq.Options.UUIDOption.newBuilder().setStructured(empty))
                .setControlOption(ReadReq.Options.ControlOption.newBuilder().setCompatibility(1)))
        .build();
  }

  /** The subscription's answers, counted by stream name on the event loop. */
  private final class CountingCall implements ClientResponseObserver<ReadReq, ReadResp> {
    private ClientCallStreamObserver<ReadReq> requests;

    @Override
    public void beforeStart(ClientCallStreamObserver<ReadReq> requestStream) {
      requests = requestStream;
    }

    @Override
    public void onNext(ReadResp response) {
      if (response.hasEvent()) {
        ByteString stream = response.getEvent().getEvent().getStreamIdentifier().getStreamName();
        if (stream.isEmpty() || stream.byteAt(0) != '$') {
          count++;
        }
      }
    }

    @Override
    public void onError(Throwable error) {
      if (!closing) {
        failure = error;
      }
    }

    @Override
    public void onCompleted() {
      failure = new IllegalStateException("the server ended the $all subscription");
    }
  }

  /** Subscribes to {@code $all} from its start; with {@code latency}, times every event too. */
  public static AllProbe start(String connectionString, boolean latency) {
    return new AllProbe(connectionString, latency);
  }

  // One subscription delivers its events on one thread, in order.
  private synchronized void record(RecordedEvent event) {
    if (event.getStreamId().startsWith("$")) {
      return;
    }
    count++;
    if (!latency) {
      return;
    }
    long createdMillis = event.getCreated().toEpochMilli();
    long sourceMillis;
    try {
      JsonNode meta = Json.read(event.getUserMetadata());
      sourceMillis = meta.path("source").path("tsMs").asLong(-1);
    } catch (IOException e) {
      failure = e;
      return;
    }
    if (sourceMillis < 0) {
      return;
    }
    if (timed == millis.length) {
      millis = Arrays.copyOf(millis, timed * 2);
      sent = Arrays.copyOf(sent, timed * 2);
    }
    sent[timed] = sourceMillis;
    millis[timed++] = createdMillis - sourceMillis;
  }

  /** Events of non-system streams seen so far. */
  public long count() {
    return count;
  }

  /** The latencies, in ms, of the events whose change was sent at or after {@code fromMillis}. */
  public synchronized long[] latenciesSentFrom(long fromMillis) {
    long[] out = new long[timed];
    int n = 0;
    for (int i = 0; i < timed; i++) {
      if (sent[i] >= fromMillis) {
        out[n++] = millis[i];
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Why the subscription ended, if it did. */
  public Throwable failure() {
    return failure;
  }

  @Override
  public void close() {
    closing = true;
    if (channel != null) {
      call.requests.cancel("done", null);
      channel.shutdownNow();
      try {
        channel.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    subscription.stop();
    try {
      client.shutdown().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // the emulator may be gone already
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
