package io.cdc2esdb.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import io.cdc2esdb.dev.emulator.AppendFault;
import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import io.cdc2esdb.event.ProposedEvent;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link EsdbWriter} through the real client against the emulator: the port's contract. */
class EsdbWriterTest {

  private static final AtomicInteger streams = new AtomicInteger();
  private static EventStoreEmulator emulator;
  private static EsdbWriter writer;

  @BeforeAll
  static void start() {
    emulator = EventStoreEmulator.start(EmulatorOptions.ephemeral());
    writer = EsdbWriter.connect(emulator.connectionString(), EsdbWriter.Settings.defaults());
  }

  @AfterAll
  static void stop() {
    writer.close();
    emulator.close();
  }

  @Test
  void shouldAppendWithNoStreamThenTheExactRevisionKeepingTheEventIds() throws Exception {
    String s = stream();
    ProposedEvent a = event("Insert");
    ProposedEvent b = event("Update");
    ProposedEvent c = event("Delete");
    assertThat(append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(a, b))))
        .isEqualTo(new AppendResult.Success(1));
    assertThat(append(new AppendRequest(s, 1, List.of(c)))).isEqualTo(new AppendResult.Success(2));
    List<StoredEvent> read = writer.read(s, 0, 10).get();
    assertThat(read)
        .containsExactly(
            new StoredEvent(s, 0, a.id(), "Insert"),
            new StoredEvent(s, 1, b.id(), "Update"),
            new StoredEvent(s, 2, c.id(), "Delete"));
  }

  @Test
  void shouldWriteJsonDataAndMetadata() throws Exception {
    String s = stream();
    ProposedEvent a =
        new ProposedEvent(
            UUID.randomUUID(),
            "Insert",
            "{\"id\":1}".getBytes(StandardCharsets.UTF_8),
            "{\"$correlationId\":\"0-1-5\"}".getBytes(StandardCharsets.UTF_8));
    append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(a)));
    RecordedEvent stored = readRaw(s).get(0);
    assertThat(stored.getContentType()).isEqualTo("application/json");
    assertThat(new String(stored.getEventData(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
    assertThat(new String(stored.getUserMetadata(), StandardCharsets.UTF_8))
        .startsWith("{\"$correlationId\":\"0-1-5\"");
  }

  @Test
  void shouldCountTheTraceIdsTheClientAddsToMetadataInTheAppendSize() throws Exception {
    String s = stream();
    byte[] metadata = "{\"$correlationId\":\"0-1-5\",\"n\":1}".getBytes(StandardCharsets.UTF_8);
    ProposedEvent a = new ProposedEvent(UUID.randomUUID(), "Insert", new byte[] {'1'}, metadata);
    append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(a)));
    int grown = readRaw(s).get(0).getUserMetadata().length - metadata.length;
    assertThat(grown).isEqualTo(75).isLessThanOrEqualTo(EsdbWriter.TRACE_METADATA_BYTES);
    assertThat(writer.appendSize(a)).isEqualTo(a.appendSize() + EsdbWriter.TRACE_METADATA_BYTES);
  }

  @Test
  void shouldAnswerAnExactRevisionAheadWithWrongExpectedVersion() throws Exception {
    String s = stream();
    append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("A"), event("B"))));
    assertThat(append(new AppendRequest(s, 5, List.of(event("C")))))
        .isEqualTo(new AppendResult.WrongExpectedVersion(5, 1));
  }

  @Test
  void shouldAnswerNoStreamOnAnotherWritersStreamWithWrongExpectedVersion() throws Exception {
    String s = stream();
    append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("A"))));
    assertThat(append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("B")))))
        .isEqualTo(new AppendResult.WrongExpectedVersion(AppendRequest.NO_STREAM, 0));
  }

  @Test
  void shouldAnswerAResentAppendWithSuccess() throws Exception {
    String s = stream();
    AppendRequest request =
        new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("A"), event("B")));
    append(request);
    assertThat(append(request)).isEqualTo(new AppendResult.Success(1));
    assertThat(writer.read(s, 0, 10).get()).hasSize(2);
  }

  @Test
  void shouldAnswerATombstonedStreamWithStreamDeleted() throws Exception {
    String s = stream();
    append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("A"))));
    tombstone(s);
    assertThat(append(new AppendRequest(s, 0, List.of(event("B")))))
        .isEqualTo(new AppendResult.StreamDeleted(s));
  }

  @Test
  void shouldAnswerAnAppendOverTheServersLimitWithRejected() throws Exception {
    ProposedEvent big =
        new ProposedEvent(UUID.randomUUID(), "Big", json(1_100_000), "{}".getBytes());
    AppendResult result =
        append(new AppendRequest(stream(), AppendRequest.NO_STREAM, List.of(big)));
    assertThat(result).isInstanceOf(AppendResult.Rejected.class);
    assertThat(((AppendResult.Rejected) result).reason())
        .contains("INVALID_ARGUMENT")
        .contains("maximum-append-size-exceeded");
  }

  @Test
  void shouldReadAMissingStreamAsEmpty() throws Exception {
    assertThat(writer.read(stream(), 0, 10).get()).isEmpty();
  }

  @Test
  void shouldReadFromARevisionUpToMaxCount() throws Exception {
    String s = stream();
    append(
        new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("A"), event("B"), event("C"))));
    assertThat(writer.read(s, 1, 1).get()).extracting(StoredEvent::revision).containsExactly(1L);
  }

  @Test
  void shouldFailAReadOfATombstonedStreamWithStreamDeletedException() throws Exception {
    String s = stream();
    append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("A"))));
    tombstone(s);
    assertThat(failure(writer.read(s, 0, 10))).isInstanceOf(StreamDeletedException.class);
  }

  @Test
  void shouldReportTimeoutsNotLeaderAndNotReadyAsUnavailable() {
    for (AppendFault fault :
        List.of(AppendFault.TIMEOUT, AppendFault.NOT_LEADER, AppendFault.NOT_READY)) {
      emulator.injectAppendFaults(fault);
      Throwable error =
          failure(
              writer.append(
                  new AppendRequest(stream(), AppendRequest.NO_STREAM, List.of(event("A")))));
      assertThat(error).as(fault.name()).isInstanceOf(EventStoreUnavailableException.class);
    }
  }

  @Test
  void shouldAnswerAccessDeniedWithRejected() throws Exception {
    emulator.injectAppendFaults(AppendFault.ACCESS_DENIED);
    AppendResult result =
        append(new AppendRequest(stream(), AppendRequest.NO_STREAM, List.of(event("A"))));
    assertThat(result).isInstanceOf(AppendResult.Rejected.class);
    assertThat(((AppendResult.Rejected) result).reason()).contains("PERMISSION_DENIED");
  }

  @Test
  void shouldReportAServerThatDoesNotAnswerAsUnavailableWithinTheDeadline() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (EsdbWriter nowhere =
        EsdbWriter.connect(
            "esdb://admin:s3cret@127.0.0.1:" + port + "?tls=false",
            EsdbWriter.Settings.defaults().withDeadline(Duration.ofSeconds(1)))) {
      long started = System.nanoTime();
      Throwable error =
          failure(
              nowhere.append(
                  new AppendRequest(stream(), AppendRequest.NO_STREAM, List.of(event("A")))));
      assertThat(error).isInstanceOf(EventStoreUnavailableException.class);
      assertThat(error.getMessage()).doesNotContain("s3cret");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      assertThat(failure(nowhere.read(stream(), 0, 1)))
          .isInstanceOf(EventStoreUnavailableException.class);
    }
  }

  @Test
  void shouldWorkAgainOnceTheServerIsBackAfterTheClientGaveUp() throws Exception {
    EventStoreEmulator first = EventStoreEmulator.start(EmulatorOptions.ephemeral());
    int port = first.port();
    try (EsdbWriter restarting =
        EsdbWriter.connect(
            first.connectionString(),
            EsdbWriter.Settings.defaults().withDeadline(Duration.ofSeconds(1)))) {
      String s = stream();
      restarting
          .append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("A"))))
          .get(10, TimeUnit.SECONDS);
      first.close();
      assertThat(failure(restarting.append(new AppendRequest(s, 0, List.of(event("B"))))))
          .isInstanceOf(EventStoreUnavailableException.class);
      assertThat(failure(restarting.append(new AppendRequest(s, 0, List.of(event("B"))))))
          .isInstanceOf(EventStoreUnavailableException.class);
      try (EventStoreEmulator second =
          EventStoreEmulator.start(EmulatorOptions.ephemeral().withPort(port))) {
        AppendResult result =
            restarting
                .append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("C"))))
                .get(10, TimeUnit.SECONDS);
        assertThat(result).isEqualTo(new AppendResult.Success(0));
      }
    }
  }

  @Test
  void shouldTakeTlsSettingsAndReportAFailedHandshakeAsUnavailable() {
    String tls = "esdb://127.0.0.1:" + emulator.port() + "?tls=true&tlsVerifyCert=false";
    try (EsdbWriter secured =
        EsdbWriter.connect(
            tls, EsdbWriter.Settings.defaults().withDeadline(Duration.ofSeconds(2)))) {
      assertThat(
              failure(
                  secured.append(
                      new AppendRequest(stream(), AppendRequest.NO_STREAM, List.of(event("A"))))))
          .isInstanceOf(EventStoreUnavailableException.class);
    }
  }

  @Test
  void shouldNeverShowThePassword() {
    try (EsdbWriter secret =
        EsdbWriter.connect(
            "esdb://admin:s3cret@127.0.0.1:1?tls=false", EsdbWriter.Settings.defaults())) {
      assertThat(secret.toString()).contains("admin").doesNotContain("s3cret");
    }
    assertThatThrownBy(
            () ->
                EsdbWriter.connect(
                    "esdb://admin:s3cret@127.0.0.1:notaport?tls=maybe",
                    EsdbWriter.Settings.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cret")
        .hasNoCause();
  }

  @Test
  void shouldAcceptDiscoveryAndCredentialsInTheConnectionString() throws Exception {
    String discover = "esdb+discover://ops:pw@127.0.0.1:" + emulator.port() + "?tls=false";
    try (EsdbWriter discovering = EsdbWriter.connect(discover, EsdbWriter.Settings.defaults())) {
      String s = stream();
      assertThat(
              discovering
                  .append(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("A"))))
                  .get(10, TimeUnit.SECONDS))
          .isEqualTo(new AppendResult.Success(0));
    }
  }

  @Test
  void shouldCompleteOnItsOwnThreadsByDefault() throws Exception {
    try (EsdbWriter pooled =
        EsdbWriter.connect(emulator.connectionString(), EsdbWriter.Settings.defaults())) {
      String thread =
          pooled
              .append(new AppendRequest(stream(), AppendRequest.NO_STREAM, List.of(event("A"))))
              .thenApply(result -> Thread.currentThread().getName())
              .get(10, TimeUnit.SECONDS);
      assertThat(thread).startsWith("esdb-writer-");
    }
  }

  private static AppendResult append(AppendRequest request) throws Exception {
    return writer.append(request).get(15, TimeUnit.SECONDS);
  }

  private static void tombstone(String stream) throws Exception {
    EventStoreDBClient client = rawClient();
    try {
      client.tombstoneStream(stream).get();
    } finally {
      client.shutdown().get();
    }
  }

  private static List<RecordedEvent> readRaw(String stream) throws Exception {
    EventStoreDBClient client = rawClient();
    try {
      return client.readStream(stream, ReadStreamOptions.get()).get().getEvents().stream()
          .map(e -> e.getOriginalEvent())
          .toList();
    } finally {
      client.shutdown().get();
    }
  }

  private static EventStoreDBClient rawClient() {
    return EventStoreDBClient.create(
        EventStoreDBConnectionString.parseOrThrow(emulator.connectionString()));
  }

  static Throwable failure(CompletableFuture<?> future) {
    try {
      Object value = future.get(15, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String stream() {
    return "writer-" + streams.incrementAndGet() + "x" + Long.toHexString(System.nanoTime());
  }

  static ProposedEvent event(String type) {
    return new ProposedEvent(
        UUID.randomUUID(),
        type,
        "{\"n\":1}".getBytes(StandardCharsets.UTF_8),
        "{\"$correlationId\":\"t1\"}".getBytes(StandardCharsets.UTF_8));
  }

  static byte[] json(int size) {
    byte[] bytes = new byte[size];
    java.util.Arrays.fill(bytes, (byte) ' ');
    bytes[0] = '{';
    bytes[size - 1] = '}';
    return bytes;
  }
}
