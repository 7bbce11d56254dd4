package io.cdc2esdb.sink;

import com.eventstore.dbclient.EventStoreDBClientSettings;
import com.eventstore.dbclient.proto.serverfeatures.ServerFeaturesGrpc;
import com.eventstore.dbclient.proto.serverfeatures.Serverfeatures.SupportedMethod;
import com.eventstore.dbclient.proto.serverfeatures.Serverfeatures.SupportedMethods;
import com.eventstore.dbclient.proto.shared.Shared;
import com.eventstore.dbclient.proto.streams.StreamsGrpc;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendResp;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.cdc2esdb.event.ProposedEvent;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.grpc.stub.StreamObserver;
import io.kurrentdb.protocol.v2.streams.StreamsServiceGrpc;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventStoreWriter} on the client's generated gRPC stubs, over one channel that gRPC
 * keeps connected: per-stream appends over one long-lived v1 {@code Streams/BatchAppend} call
 * ({@link BatchAppendStream}) when the server lists it, else one v1 {@code Streams/Append} call
 * each; {@code Streams/Read} for reconciliation (the stubs of {@code
 * com.eventstore:db-client-java}), v2 {@code StreamsService/AppendSession} for atomic multi-stream
 * appends (the stubs of {@code io.kurrent:kurrentdb-client}), and {@code ServerFeatures} (asked
 * once) to see whether the server has BatchAppend and AppendSession. The same wire protocol as the
 * clients' APIs, without their per-call machinery (connection service, telemetry that re-serialises
 * every event's metadata, asynchronous steps on the common pool, a client replaced after every
 * failed reconnect): about 10k single-event appends/s on 2 cores where the client API reaches
 * 1.6k-4.2k ({@code bench/writer-benchmark.md}).
 *
 * <p>One node: {@code esdb://[user:password@]host:port[?tls=...&tlsVerifyCert=...&tlsCaFile=...]}.
 * For several nodes or {@code esdb+discover://} (gossip) use {@link EsdbWriter}.
 *
 * <p>Metadata in v2: the properties of an AppendRecord are {@code google.protobuf.Value}s; the
 * server stores them as a {@code Struct} and renders that as the event's JSON metadata for v1
 * readers and projections, adding {@code $schema.name} and {@code $schema.format}. So cdc2esdb's
 * metadata JSON object is sent as it is, nested objects included ({@code $correlationId} stays a
 * top-level string for {@code $by_correlation_id}), and reads the same in both modes but for those
 * two keys. JSON numbers become doubles there: integers beyond 2^53 are sent as strings so that no
 * digit is lost.
 *
 * <p>Outages: gRPC reconnects by itself with backoff; {@link OutageLog} reports the outage in a few
 * lines.
 */
public final class EsdbGrpcWriter implements EventStoreWriter {

  private static final Logger LOG = LoggerFactory.getLogger(EsdbGrpcWriter.class);
  private static final Shared.Empty EMPTY = Shared.Empty.getDefaultInstance();
  private static final Pattern USER_INFO = Pattern.compile("^[a-z+]+://([^:@/?]*):([^@/?]*)@");
  private static final int MAX_MESSAGE_BYTES = 17 * 1024 * 1024;

  private final ManagedChannel channel;
  private final StreamsGrpc.StreamsStub streams;
  private final StreamsServiceGrpc.StreamsServiceStub sessions;
  private final ServerFeaturesGrpc.ServerFeaturesStub features;
  private final Duration deadline;
  private final long maxAppendBytes;
  private final String target;
  private final OutageLog outage;
  private final BatchAppendStream batch;
  private final AtomicReference<CompletableFuture<Features>> known = new AtomicReference<>();

  private EsdbGrpcWriter(
      ManagedChannel channel, Channel calls, Settings settings, String target, OutageLog outage) {
    this.channel = channel;
    this.streams = StreamsGrpc.newStub(calls);
    this.sessions = StreamsServiceGrpc.newStub(calls);
    this.features = ServerFeaturesGrpc.newStub(calls);
    this.deadline = settings.deadline();
    this.maxAppendBytes = settings.maxAppendBytes();
    this.target = target;
    this.outage = outage;
    this.batch =
        settings.batchAppend()
            ? new BatchAppendStream(
                streams, deadline, target, this::appendOnce, this::noted, outage::answered)
            : null;
  }

  /**
   * The writer's settings: a deadline for every call (and every append), the server's {@code
   * MaxAppendSize}, and whether per-stream appends may go over {@code Streams/BatchAppend} when the
   * server offers it.
   */
  public record Settings(Duration deadline, long maxAppendBytes, boolean batchAppend) {

    /** With BatchAppend when the server offers it. */
    public Settings(Duration deadline, long maxAppendBytes) {
      this(deadline, maxAppendBytes, true);
    }
  }

  /** What ServerFeatures says the server has. */
  private record Features(boolean appendSession, boolean batchAppend) {}

  /** Whether {@code connectionString} names one node without discovery, as this writer needs. */
  public static boolean canServe(String connectionString) {
    EventStoreDBClientSettings parsed = EsdbConnectionString.parse(connectionString);
    return !parsed.isDnsDiscover() && parsed.getHosts().length == 1;
  }

  /**
   * A writer for the one node in {@code connectionString}; connects lazily.
   *
   * @throws IllegalArgumentException if the string is invalid or names several nodes
   */
  public static EsdbGrpcWriter connect(String connectionString, Settings settings) {
    String shown = EsdbConnectionString.redact(connectionString);
    return connect(connectionString, settings, new OutageLog(shown));
  }

  static EsdbGrpcWriter connect(String connectionString, Settings settings, OutageLog outage) {
    EventStoreDBClientSettings parsed = EsdbConnectionString.parse(connectionString);
    String shown = EsdbConnectionString.redact(connectionString);
    if (parsed.isDnsDiscover() || parsed.getHosts().length != 1) {
      throw new IllegalArgumentException(
          "the gRPC writer needs one node without discovery, got " + shown);
    }
    InetSocketAddress host = parsed.getHosts()[0];
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(host.getHostString(), host.getPort())
            // Answers complete on the event loop instead of hopping to a thread pool: what runs
            // on them (recording an answer, starting the next append) never blocks.
            .directExecutor()
            // cdc2esdb retries appends itself (exact expected revisions, reconciliation); gRPC's
            // own retry layer would only buffer every message of every call.
            .disableRetry()
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .keepAliveTime(parsed.getKeepAliveInterval(), TimeUnit.MILLISECONDS)
            .keepAliveTimeout(parsed.getKeepAliveTimeout(), TimeUnit.MILLISECONDS);
    if (parsed.isTls()) {
      try {
        var ssl = GrpcSslContexts.forClient();
        if (!parsed.isTlsVerifyCert()) {
          ssl.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (parsed.getTlsCaFile() != null) {
          ssl.trustManager(new File(parsed.getTlsCaFile()));
        }
        builder.useTransportSecurity().sslContext(ssl.build());
      } catch (SSLException | RuntimeException e) {
        throw new IllegalArgumentException("TLS setup failed for " + shown + ": " + e.getMessage());
      }
    } else {
      builder.usePlaintext();
    }
    ManagedChannel channel = builder.build();
    Channel calls = ClientInterceptors.intercept(channel, headers(connectionString));
    LOG.info("EventStoreDB gRPC writer for {}", shown);
    return new EsdbGrpcWriter(channel, calls, settings, shown, outage);
  }

  /** {@code requires-leader}, and basic authentication when the string has credentials. */
  private static ClientInterceptor headers(String connectionString) {
    Metadata extra = new Metadata();
    extra.put(Metadata.Key.of("requires-leader", Metadata.ASCII_STRING_MARSHALLER), "true");
    Matcher user = USER_INFO.matcher(connectionString);
    if (user.find()) {
      String pair =
          URLDecoder.decode(user.group(1), StandardCharsets.UTF_8)
              + ":"
              + URLDecoder.decode(user.group(2), StandardCharsets.UTF_8);
      extra.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return new ClientInterceptor() {
      @Override
      public <Q, A> ClientCall<Q, A> interceptCall(
          MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(
            next.newCall(method, options)) {
          @Override
          public void start(Listener<A> listener, Metadata headers) {
            headers.merge(extra);
            super.start(listener, headers);
          }
        };
      }
    };
  }

  /**
   * Over the open {@code Streams/BatchAppend} call when the server lists it (and the setting allows
   * it), otherwise one {@code Streams/Append} call.
   */
  @Override
  public CompletableFuture<AppendResult> append(AppendRequest request) {
    if (batch == null) {
      return appendOnce(request);
    }
    CompletableFuture<Features> server = features();
    if (server.isDone() && !server.isCompletedExceptionally()) {
      return server.join().batchAppend() && batch.available()
          ? batch.append(request)
          : appendOnce(request);
    }
    // Not known yet, or unreachable: an unreachable server fails the append over Append as well.
    return server
        .handle((f, error) -> f != null && f.batchAppend() && batch.available())
        .thenCompose(yes -> yes ? batch.append(request) : appendOnce(request));
  }

  /** One {@code Streams/Append} call. */
  private CompletableFuture<AppendResult> appendOnce(AppendRequest request) {
    CompletableFuture<AppendResult> result = new CompletableFuture<>();
    StreamObserver<AppendReq> requests =
        streams
            .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
            .append(
                new StreamObserver<>() {
                  @Override
                  public void onNext(AppendResp response) {
                    outage.answered();
                    result.complete(answer(request, response));
                  }

                  @Override
                  public void onError(Throwable error) {
                    try {
                      result.complete(EsdbErrors.appendResult(request, error));
                      outage.answered();
                    } catch (EventStoreException failure) {
                      result.completeExceptionally(noted(failure));
                    }
                  }

                  @Override
                  public void onCompleted() {}
                });
    AppendReq.Options.Builder options =
        AppendReq.Options.newBuilder().setStreamIdentifier(streamId(request.stream()));
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
  public CompletableFuture<SessionResult> appendSession(List<AppendRequest> requests) {
    CompletableFuture<SessionResult> result = new CompletableFuture<>();
    StreamObserver<io.kurrentdb.protocol.v2.streams.AppendRequest> calls;
    try {
      calls =
          sessions
              .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
              .appendSession(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(
                        io.kurrentdb.protocol.v2.streams.AppendSessionResponse response) {
                      outage.answered();
                      List<Long> revisions = new ArrayList<>(response.getOutputCount());
                      response.getOutputList().forEach(o -> revisions.add(o.getStreamRevision()));
                      result.complete(new SessionResult.Success(revisions));
                    }

                    @Override
                    public void onError(Throwable error) {
                      try {
                        result.complete(SessionErrors.result(error));
                        outage.answered();
                      } catch (EventStoreException failure) {
                        result.completeExceptionally(noted(failure));
                      }
                    }

                    @Override
                    public void onCompleted() {}
                  });
      for (AppendRequest request : requests) {
        calls.onNext(SessionRecords.request(request));
      }
      calls.onCompleted();
    } catch (RuntimeException e) {
      result.completeExceptionally(EsdbErrors.failure("multi-stream append", e));
    }
    return result;
  }

  @Override
  public CompletableFuture<Boolean> supportsAppendSession() {
    return features().thenApply(Features::appendSession);
  }

  /** What the server offers: asked once; asked again after a failed attempt. */
  private CompletableFuture<Features> features() {
    CompletableFuture<Features> current = known.get();
    if (current != null && !current.isCompletedExceptionally()) {
      return current;
    }
    CompletableFuture<Features> asked = new CompletableFuture<>();
    if (!known.compareAndSet(current, asked)) {
      return known.get();
    }
    features
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .getSupportedMethods(
            EMPTY,
            new StreamObserver<>() {
              @Override
              public void onNext(SupportedMethods methods) {
                outage.answered();
                boolean session = false;
                boolean batchAppend = false;
                for (SupportedMethod method : methods.getMethodsList()) {
                  session |= "appendsession".equals(method.getMethodName());
                  batchAppend |=
                      "batchappend".equals(method.getMethodName())
                          && "event_store.client.streams.streams".equals(method.getServiceName());
                }
                LOG.info(
                    "EventStoreDB at {} is version {}{}{}",
                    target,
                    methods.getEventStoreServerVersion(),
                    session ? ", with multi-stream appends" : "",
                    batch == null
                        ? ""
                        : batchAppend
                            ? ", per-stream appends over BatchAppend"
                            : ", without BatchAppend");
                asked.complete(new Features(session, batchAppend));
              }

              @Override
              public void onError(Throwable error) {
                Status.Code code = Status.fromThrowable(error).getCode();
                if (code == Status.Code.UNIMPLEMENTED || code == Status.Code.NOT_FOUND) {
                  asked.complete(new Features(false, false));
                } else {
                  asked.completeExceptionally(
                      noted(EsdbErrors.failure("server features of " + target, error)));
                }
              }

              @Override
              public void onCompleted() {}
            });
    return asked;
  }

  @Override
  public CompletableFuture<List<StoredEvent>> read(String stream, long fromRevision, int maxCount) {
    CompletableFuture<List<StoredEvent>> result = new CompletableFuture<>();
    ReadReq.Options.StreamOptions.Builder from =
        ReadReq.Options.StreamOptions.newBuilder().setStreamIdentifier(streamId(stream));
    if (fromRevision <= 0) {
      from.setStart(EMPTY);
    } else {
      from.setRevision(fromRevision);
    }
    ReadReq request =
        ReadReq.newBuilder()
            .setOptions(
                ReadReq.Options.newBuilder()
                    .setStream(from)
                    .setReadDirection(ReadReq.Options.ReadDirection.Forwards)
                    .setCount(maxCount)
                    .setResolveLinks(false)
                    .setNoFilter(EMPTY)
                    .setUuidOption(ReadReq.Options.UUIDOption.newBuilder().setStructured(EMPTY))
                    .setControlOption(
                        ReadReq.Options.ControlOption.newBuilder().setCompatibility(1)))
            .build();
    List<StoredEvent> events = new ArrayList<>();
    streams
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .read(
            request,
            new StreamObserver<>() {
              @Override
              public void onNext(ReadResp response) {
                if (response.hasEvent()) {
                  var event = response.getEvent().getEvent();
                  var id = event.getId().getStructured();
                  events.add(
                      new StoredEvent(
                          stream,
                          event.getStreamRevision(),
                          new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits()),
                          event.getMetadataOrDefault("type", "")));
                }
              }

              @Override
              public void onError(Throwable error) {
                result.completeExceptionally(noted(EsdbErrors.readFailure(stream, error)));
              }

              @Override
              public void onCompleted() {
                outage.answered();
                result.complete(events);
              }
            });
    return result;
  }

  @Override
  public long maxAppendBytes() {
    return maxAppendBytes;
  }

  @Override
  public void close() {
    if (batch != null) {
      batch.close();
    }
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "EsdbGrpcWriter[" + target + "]";
  }

  /** Notes a transient failure in the outage log; returns it. */
  private EventStoreException noted(EventStoreException failure) {
    if (failure instanceof EventStoreUnavailableException) {
      // gRPC's own reconnect backoff grows to minutes; the append policy's backoff (seconds)
      // paces the retries instead, so writing resumes soon after the server is back.
      channel.resetConnectBackoff();
      outage.failed(
          failure.getCause() instanceof StatusRuntimeException status
              ? status.getStatus().getCode().toString()
              : failure.getMessage());
    }
    return failure;
  }

  /** {@code id} as the protocol's structured UUID. */
  static Shared.UUID uuid(UUID id) {
    return Shared.UUID
        .newBuilder()
        .setStructured(
            Shared.UUID
                .Structured
                .newBuilder()
                .setMostSignificantBits(id.getMostSignificantBits())
                .setLeastSignificantBits(id.getLeastSignificantBits()))
        .build();
  }

  static Shared.StreamIdentifier streamId(String stream) {
    return Shared.StreamIdentifier.newBuilder()
        .setStreamName(ByteString.copyFromUtf8(stream))
        .build();
  }

  private static AppendReq.ProposedMessage message(ProposedEvent event) {
    return AppendReq.ProposedMessage.newBuilder()
        .setId(uuid(event.id()))
        .putMetadata("type", event.type())
        .putMetadata("content-type", "application/json")
        // The event owns its arrays and never changes them: no copy.
        .setCustomMetadata(UnsafeByteOperations.unsafeWrap(event.metadata()))
        .setData(UnsafeByteOperations.unsafeWrap(event.data()))
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
