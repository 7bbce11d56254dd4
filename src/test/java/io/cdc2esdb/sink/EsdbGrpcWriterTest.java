package io.cdc2esdb.sink;

import static io.cdc2esdb.sink.EsdbWriterTest.event;
import static io.cdc2esdb.sink.EsdbWriterTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdc2esdb.dev.emulator.AppendFault;
import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import io.cdc2esdb.event.ProposedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link EsdbGrpcWriter} over the generated stubs against the emulator: the port's contract. */
class EsdbGrpcWriterTest {

  private static final AtomicInteger streams = new AtomicInteger();
  private static EventStoreEmulator emulator;
  private static EsdbGrpcWriter writer;

  @BeforeAll
  static void start() {
    emulator = EventStoreEmulator.start(EmulatorOptions.ephemeral());
    writer =
        EsdbGrpcWriter.connect(
            emulator.connectionString(),
            new EsdbGrpcWriter.Settings(Duration.ofSeconds(10), 1_048_576));
  }

  @AfterAll
  static void stop() {
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
    assertThat(append(new AppendRequest(s, 1, List.of(c)))).isEqualTo(new AppendResult.Success(2));
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
            first.connectionString(),
            new EsdbGrpcWriter.Settings(Duration.ofSeconds(3), 1_048_576),
            outage)) {
      String s = stream();
      append(restarting, new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("A"))));
      first.close();
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
                    restarting, new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("C"))));
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

  private static AppendResult append(AppendRequest request) throws Exception {
    return append(writer, request);
  }

  private static AppendResult append(EventStoreWriter w, AppendRequest request) throws Exception {
    return w.append(request).get(15, TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletableFuture<?> future) {
    try {
      future.get(15, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + future.join());
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String stream() {
    return "grpc-" + streams.incrementAndGet() + "-" + UUID.randomUUID();
  }
}
