package io.cdc2esdb.sink;

import static io.cdc2esdb.sink.EsdbWriterTest.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import io.cdc2esdb.dev.emulator.ServerVersion;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.event.ProposedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link EsdbGrpcWriter}'s multi-stream appends against the emulator playing each server version:
 * what {@code auto} sees, the answers the append policy relies on, and what a v1 reader gets.
 */
class EsdbGrpcWriterSessionTest {

  @ParameterizedTest
  @EnumSource(ServerVersion.class)
  void shouldSeeMultiStreamAppendsExactlyOnServersThatOfferThem(ServerVersion version)
      throws Exception {
    try (Server server = new Server(version)) {
      assertThat(server.writer.supportsAppendSession().get(10, TimeUnit.SECONDS))
          .isEqualTo(version.servesAppendSession());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ServerVersion.class,
      names = {"V25_1", "V26_0"})
  void shouldWriteAllStreamsOrNoneAndAnswerReplaysAsTheServerDoes(ServerVersion version)
      throws Exception {
    try (Server server = new Server(version)) {
      String a = "orders-" + UUID.randomUUID();
      String b = "lines-" + UUID.randomUUID();
      ProposedEvent a1 = event("Insert");
      ProposedEvent b1 = event("Insert");
      ProposedEvent b2 = event("Update");
      List<AppendRequest> first =
          List.of(
              new AppendRequest(a, AppendRequest.NO_STREAM, List.of(a1)),
              new AppendRequest(b, AppendRequest.NO_STREAM, List.of(b1, b2)));
      assertThat(server.session(first)).isEqualTo(new SessionResult.Success(List.of(0L, 1L)));
      // The whole session again: an idempotent success with the original revisions.
      assertThat(server.session(first)).isEqualTo(new SessionResult.Success(List.of(0L, 1L)));

      // A partial replay: stream a holds its events, stream c is new.
      String c = "notes-" + UUID.randomUUID();
      List<AppendRequest> partial =
          List.of(
              new AppendRequest(a, AppendRequest.NO_STREAM, List.of(a1)),
              new AppendRequest(c, AppendRequest.NO_STREAM, List.of(event("Insert"))));
      SessionResult answer = server.session(partial);
      if (version.partialReplayIsConflict()) {
        assertThat(answer).isInstanceOf(SessionResult.WrongExpectedVersion.class);
      } else {
        assertThat(answer).isInstanceOf(SessionResult.Inconclusive.class);
      }
      assertThat(server.writer.read(c, 0, 10).get(10, TimeUnit.SECONDS)).isEmpty();

      // A real conflict names the stream; nothing of the session is written.
      String d = "other-" + UUID.randomUUID();
      SessionResult conflict =
          server.session(
              List.of(
                  new AppendRequest(d, AppendRequest.NO_STREAM, List.of(event("Insert"))),
                  new AppendRequest(a, 7, List.of(event("Update")))));
      assertThat(conflict).isEqualTo(new SessionResult.WrongExpectedVersion(a, 7, 0));
      assertThat(server.writer.read(d, 0, 10).get(10, TimeUnit.SECONDS)).isEmpty();
    }
  }

  @Test
  void shouldRefuseAStreamTwiceInOneSessionComparedWithoutCase() throws Exception {
    try (Server server = new Server(ServerVersion.V26_0)) {
      String s = "Order-" + UUID.randomUUID();
      SessionResult answer =
          server.session(
              List.of(
                  new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("Insert"))),
                  new AppendRequest(
                      s.toLowerCase(java.util.Locale.ROOT),
                      AppendRequest.NO_STREAM,
                      List.of(event("Insert")))));
      assertThat(answer).isInstanceOf(SessionResult.Rejected.class);
      assertThat(((SessionResult.Rejected) answer).reason())
          .contains("STREAM_ALREADY_IN_APPEND_SESSION");
    }
  }

  @Test
  void shouldKeepNestedMetadataAndATopLevelCorrelationIdForV1Readers() throws Exception {
    try (Server server = new Server(ServerVersion.V26_0)) {
      String s = "customers-" + UUID.randomUUID();
      String metadata =
          "{\"$correlationId\":\"0-1-42\",\"transaction\":{\"id\":\"0-1-42\",\"totalOrder\":3},"
              + "\"source\":{\"pos\":1234,\"snapshot\":false,\"gtid\":null},"
              + "\"key\":{\"id\":18446744073709551615}}";
      ProposedEvent event =
          new ProposedEvent(
              UUID.randomUUID(),
              "Insert",
              "{\"id\":1}".getBytes(StandardCharsets.UTF_8),
              metadata.getBytes(StandardCharsets.UTF_8));
      server.session(List.of(new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event))));

      RecordedEvent read = server.readV1(s).get(0);
      assertThat(read.getEventId()).isEqualTo(event.id());
      assertThat(read.getEventType()).isEqualTo("Insert");
      assertThat(new String(read.getEventData(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
      JsonNode meta = Json.read(read.getUserMetadata());
      assertThat(meta.get("$correlationId").asText()).isEqualTo("0-1-42");
      assertThat(meta.at("/transaction/totalOrder").asLong()).isEqualTo(3);
      assertThat(meta.at("/source/pos").asLong()).isEqualTo(1234);
      assertThat(meta.at("/source/snapshot").asBoolean(true)).isFalse();
      assertThat(meta.at("/source/gtid").isNull()).isTrue();
      // Beyond 2^53 a double would lose digits: sent as text.
      assertThat(meta.at("/key/id").asText()).isEqualTo("18446744073709551615");
    }
  }

  /** An emulator playing one version, with a writer and a v1 client on it. */
  private static final class Server implements AutoCloseable {
    final EventStoreEmulator emulator;
    final EsdbGrpcWriter writer;

    Server(ServerVersion version) {
      emulator = EventStoreEmulator.start(EmulatorOptions.ephemeral().withServerVersion(version));
      writer =
          EsdbGrpcWriter.connect(
              emulator.connectionString(),
              new EsdbGrpcWriter.Settings(Duration.ofSeconds(10), 1_048_576));
    }

    SessionResult session(List<AppendRequest> requests) throws Exception {
      return writer.appendSession(requests).get(15, TimeUnit.SECONDS);
    }

    List<RecordedEvent> readV1(String stream) throws Exception {
      EventStoreDBClient client =
          EventStoreDBClient.create(
              EventStoreDBConnectionString.parseOrThrow(emulator.connectionString()));
      try {
        return client.readStream(stream, ReadStreamOptions.get()).get().getEvents().stream()
            .map(e -> e.getOriginalEvent())
            .toList();
      } finally {
        client.shutdown().get();
      }
    }

    @Override
    public void close() {
      writer.close();
      emulator.close();
    }
  }
}
