package io.cdc2esdb.sink;

import static io.cdc2esdb.sink.EsdbWriterTest.event;
import static io.cdc2esdb.sink.EsdbWriterTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.eventstore.dbclient.DeleteStreamOptions;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.proto.serverfeatures.ServerFeaturesGrpc;
import com.eventstore.dbclient.proto.serverfeatures.Serverfeatures.SupportedMethod;
import com.eventstore.dbclient.proto.serverfeatures.Serverfeatures.SupportedMethods;
import com.eventstore.dbclient.proto.shared.Shared;
import com.eventstore.dbclient.proto.streams.StreamsGrpc;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendResp;
import io.cdc2esdb.dev.emulator.AppendFault;
import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import io.cdc2esdb.event.ProposedEvent;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@link EsdbGrpcWriter} over the generated stubs against the emulator: the port's contract. */
class EsdbGrpcWriterTest {

  private static final AtomicInteger streams = new AtomicInteger();

  /** The contract over v1 Streams/Append. */
  @Nested
  class OverAppend extends Contract {
    @Override
    boolean batchAppend() {
      return false;
    }
  }

  /** The same contract over one long-lived v1 Streams/BatchAppend call. */
  @Nested
  class OverBatchAppend extends Contract {
    @Override
    boolean batchAppend() {
      return true;
    }
  }

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class Contract {

    private EventStoreEmulator emulator;
    private EsdbGrpcWriter writer;

    /** Per-stream appends over BatchAppend (true) or one Streams/Append call each (false). */
    abstract boolean batchAppend();

    EsdbGrpcWriter.Settings settings(Duration deadline) {
      return new EsdbGrpcWriter.Settings(deadline, 1_048_576, batchAppend());
    }

    @BeforeAll
    void start() {
      emulator = EventStoreEmulator.start(EmulatorOptions.ephemeral());
      writer =
          EsdbGrpcWriter.connect(emulator.connectionString(), settings(Duration.ofSeconds(10)));
    }

    @AfterAll
    void stop() {
      writer.close();
      emulator.close();
    }

    @Test
    void shouldAppendWithNoStreamThenTheExactRevisionAndReadTheIdsBack() throws Exception {
      String s = stream();
      ProposedEvent a = event("Insert");
      ProposedEvent b = event("Update");
      ProposedEvent c = event("Delete");
      assertThat(append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(a, b))))
          .isEqualTo(new AppendResult.Success(1));
      assertThat(append(new AppendRequest(s, 1, List.of(c))))
          .isEqualTo(new AppendResult.Success(2));
      assertThat(writer.read(s, 0, 10).get(10, TimeUnit.SECONDS))
          .containsExactly(
              new StoredEvent(s, 0, a.id(), "Insert"),
              new StoredEvent(s, 1, b.id(), "Update"),
              new StoredEvent(s, 2, c.id(), "Delete"));
      assertThat(writer.read(s, 1, 1).get(10, TimeUnit.SECONDS))
          .containsExactly(new StoredEvent(s, 1, b.id(), "Update"));
    }

    @Test
    void shouldAnswerConflictsResendsAndMissingStreamsAsTheClientWriterDoes() throws Exception {
      String s = stream();
      ProposedEvent a = event("A");
      append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(a)));
      assertThat(append(new AppendRequest(s, 5, List.of(event("B")))))
          .isEqualTo(new AppendResult.WrongExpectedVersion(5, 0));
      assertThat(append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(a))))
          .isEqualTo(new AppendResult.Success(0));
      assertThat(writer.read(stream(), 0, 10).get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void shouldAnswerAnAppendOverTheServersLimitWithRejected() throws Exception {
      ProposedEvent big =
          new ProposedEvent(UUID.randomUUID(), "Big", json(1_100_000), "{}".getBytes());
      assertThat(append(new AppendRequest(stream(), AppendRequest.NO_STREAM, List.of(big))))
          .isInstanceOf(AppendResult.Rejected.class);
    }

    @Test
    void shouldReportTimeoutsNotLeaderAndNotReadyAsUnavailable() {
      for (AppendFault fault :
          List.of(AppendFault.TIMEOUT, AppendFault.NOT_LEADER, AppendFault.NOT_READY)) {
        emulator.injectAppendFaults(fault);
        assertThat(
                failure(
                    writer.append(
                        new AppendRequest(stream(), AppendRequest.NO_STREAM, List.of(event("A"))))))
            .as(fault.name())
            .isInstanceOf(EventStoreUnavailableException.class);
      }
    }

    @Test
    void shouldLogAnOutageOnceAndWriteAgainWhenTheServerIsBack() throws Exception {
      List<String> lines = new ArrayList<>();
      OutageLog outage =
          new OutageLog(
              "test",
              Duration.ofMinutes(1),
              System::currentTimeMillis,
              new OutageLog.Lines() {
                @Override
                public void warn(String line) {
                  lines.add(line);
                }

                @Override
                public void info(String line) {
                  lines.add(line);
                }
              });
      EventStoreEmulator first = EventStoreEmulator.start(EmulatorOptions.ephemeral());
      int port = first.port();
      try (EsdbGrpcWriter restarting =
          EsdbGrpcWriter.connect(
              first.connectionString(), settings(Duration.ofSeconds(3)), outage)) {
        String s = stream();
        append(restarting, new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("A"))));
        first.injectAppendFaults(AppendFault.NO_ANSWER);
        CompletableFuture<AppendResult> inFlight =
            restarting.append(new AppendRequest(s, 0, List.of(event("B"))));
        first.close();
        assertThat(failure(inFlight)).isInstanceOf(EventStoreUnavailableException.class);
        for (int i = 0; i < 20; i++) {
          assertThat(failure(restarting.append(new AppendRequest(s, 0, List.of(event("B"))))))
              .isInstanceOf(EventStoreUnavailableException.class);
        }
        try (EventStoreEmulator second =
            EventStoreEmulator.start(EmulatorOptions.ephemeral().withPort(port))) {
          AppendResult result = null;
          // gRPC reconnects with backoff: the first calls after the restart may still fail.
          for (int i = 0; i < 50 && result == null; i++) {
            try {
              result =
                  append(
                      restarting,
                      new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("C"))));
            } catch (ExecutionException e) {
              Thread.sleep(200);
            }
          }
          assertThat(result).isEqualTo(new AppendResult.Success(0));
        }
      }
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0)).contains("is unreachable");
      assertThat(lines.get(1)).contains("reachable again");
    }

    @Test
    void shouldFailAnAppendTheServerNeverAnswersAsUnavailableAfterTheDeadlineThenWriteAgain()
        throws Exception {
      try (EsdbGrpcWriter quick =
          EsdbGrpcWriter.connect(emulator.connectionString(), settings(Duration.ofSeconds(1)))) {
        String s = stream();
        append(quick, new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("A"))));
        emulator.injectAppendFaults(AppendFault.NO_ANSWER);
        assertThat(failure(quick.append(new AppendRequest(s, 0, List.of(event("B"))))))
            .isInstanceOf(EventStoreUnavailableException.class);
        assertThat(append(quick, new AppendRequest(s, 0, List.of(event("C")))))
            .isEqualTo(new AppendResult.Success(1));
      }
    }

    @Test
    void shouldAnswerManyConcurrentAppendsFromSeveralThreadsEachWithItsOwnResult()
        throws Exception {
      int threads = 4;
      int perThread = 50;
      List<String> names = new ArrayList<>();
      for (int i = 0; i < threads * perThread; i++) {
        names.add(stream());
      }
      List<CompletableFuture<AppendResult>> results = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<List<CompletableFuture<AppendResult>>>> sent = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          List<String> mine = names.subList(t * perThread, (t + 1) * perThread);
          sent.add(
              pool.submit(
                  () -> {
                    List<CompletableFuture<AppendResult>> own = new ArrayList<>();
                    for (String name : mine) {
                      // Two events to a new stream, chained: the second append starts from the
                      // event loop when the first is answered.
                      own.add(
                          writer
                              .append(
                                  new AppendRequest(
                                      name, AppendRequest.NO_STREAM, List.of(event("A"))))
                              .thenCompose(
                                  first ->
                                      writer.append(
                                          new AppendRequest(
                                              name, 0, List.of(event("B"), event("C"))))));
                    }
                    return own;
                  }));
        }
        for (Future<List<CompletableFuture<AppendResult>>> f : sent) {
          results.addAll(f.get(30, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
      for (CompletableFuture<AppendResult> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(new AppendResult.Success(2));
      }
      assertThat(writer.read(names.get(7), 0, 10).get(10, TimeUnit.SECONDS)).hasSize(3);
    }

    @Test
    void shouldAppendOverAppendWhenTheServerDoesNotListBatchAppend() throws Exception {
      try (EventStoreEmulator without =
              EventStoreEmulator.start(EmulatorOptions.ephemeral().withBatchAppend(false));
          EsdbGrpcWriter plain =
              EsdbGrpcWriter.connect(
                  without.connectionString(), settings(Duration.ofSeconds(10)))) {
        String s = stream();
        assertThat(
                append(plain, new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("A")))))
            .isEqualTo(new AppendResult.Success(0));
        assertThat(append(plain, new AppendRequest(s, 3, List.of(event("B")))))
            .isEqualTo(new AppendResult.WrongExpectedVersion(3, 0));
      }
    }

    @Test
    void shouldAnswerATombstonedStreamWithStreamDeleted() throws Exception {
      String s = stream();
      append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("A"))));
      EventStoreDBClient client =
          EventStoreDBClient.create(
              EventStoreDBConnectionString.parseOrThrow(emulator.connectionString()));
      try {
        client.tombstoneStream(s, DeleteStreamOptions.get()).get(10, TimeUnit.SECONDS);
      } finally {
        client.shutdown().get(5, TimeUnit.SECONDS);
      }
      assertThat(append(new AppendRequest(s, 0, List.of(event("B")))))
          .isEqualTo(new AppendResult.StreamDeleted(s));
    }

    private AppendResult append(AppendRequest request) throws Exception {
      return append(writer, request);
    }

    private static AppendResult append(EventStoreWriter w, AppendRequest request) throws Exception {
      return w.append(request).get(15, TimeUnit.SECONDS);
    }

    static Throwable failure(CompletableFuture<?> future) {
      try {
        future.get(15, TimeUnit.SECONDS);
        throw new AssertionError("expected a failure, got " + future.join());
      } catch (ExecutionException e) {
        return e.getCause();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    static String stream() {
      return "grpc-" + streams.incrementAndGet() + "-" + UUID.randomUUID();
    }
  }

  /**
   * A server (or proxy) that lists BatchAppend but answers it {@code UNIMPLEMENTED}: the append
   * waiting on the call and every later one go over Streams/Append instead.
   */
  @Test
  void shouldFallBackToAppendWhenBatchAppendIsUnimplemented() throws Exception {
    AtomicInteger appendCalls = new AtomicInteger();
    StreamsGrpc.StreamsImplBase appendOnly =
        new StreamsGrpc.StreamsImplBase() {
          @Override
          public StreamObserver<AppendReq> append(StreamObserver<AppendResp> response) {
            appendCalls.incrementAndGet();
            return new StreamObserver<>() {
              long events;

              @Override
              public void onNext(AppendReq request) {
                events += request.hasProposedMessage() ? 1 : 0;
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                response.onNext(
                    AppendResp.newBuilder()
                        .setSuccess(AppendResp.Success.newBuilder().setCurrentRevision(events - 1))
                        .build());
                response.onCompleted();
              }
            };
          }
        };
    ServerFeaturesGrpc.ServerFeaturesImplBase listsBatchAppend =
        new ServerFeaturesGrpc.ServerFeaturesImplBase() {
          @Override
          public void getSupportedMethods(
              Shared.Empty request, StreamObserver<SupportedMethods> response) {
            response.onNext(
                SupportedMethods.newBuilder()
                    .setEventStoreServerVersion("23.10.0")
                    .addMethods(
                        SupportedMethod.newBuilder()
                            .setServiceName("event_store.client.streams.streams")
                            .setMethodName("batchappend"))
                    .build());
            response.onCompleted();
          }
        };
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(appendOnly)
            .addService(listsBatchAppend)
            .build()
            .start();
    try (EsdbGrpcWriter writer =
        EsdbGrpcWriter.connect(
            "esdb://127.0.0.1:" + server.getPort() + "?tls=false",
            new EsdbGrpcWriter.Settings(Duration.ofSeconds(10), 1_048_576, true))) {
      assertThat(
              writer
                  .append(new AppendRequest("s", AppendRequest.NO_STREAM, List.of(event("A"))))
                  .get(15, TimeUnit.SECONDS))
          .isEqualTo(new AppendResult.Success(0));
      assertThat(
              writer
                  .append(
                      new AppendRequest(
                          "t", AppendRequest.NO_STREAM, List.of(event("A"), event("B"))))
                  .get(15, TimeUnit.SECONDS))
          .isEqualTo(new AppendResult.Success(1));
      assertThat(appendCalls).hasValue(2);
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldNeedOneNodeAndNeverShowThePassword() {
    assertThat(EsdbGrpcWriter.canServe("esdb://a:1?tls=false")).isTrue();
    assertThat(EsdbGrpcWriter.canServe("esdb+discover://a:1?tls=false")).isFalse();
    assertThat(EsdbGrpcWriter.canServe("esdb://a:1,b:2?tls=false")).isFalse();
    try (EsdbGrpcWriter secret =
        EsdbGrpcWriter.connect(
            "esdb://admin:s3cret@127.0.0.1:1?tls=false",
            new EsdbGrpcWriter.Settings(Duration.ofSeconds(1), 1_048_576))) {
      assertThat(secret.toString()).contains("admin").doesNotContain("s3cret");
    }
    assertThatThrownBy(
            () ->
                EsdbGrpcWriter.connect(
                    "esdb://admin:s3cret@127.0.0.1:notaport?tls=maybe",
                    new EsdbGrpcWriter.Settings(Duration.ofSeconds(1), 1_048_576)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cret");
  }
}
