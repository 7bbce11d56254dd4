package io.cdc2esdb.dev.emulator;

import static io.cdc2esdb.dev.emulator.EmulatorFixture.stream;
import static io.cdc2esdb.dev.emulator.V2Fixture.json;
import static io.cdc2esdb.dev.emulator.V2Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kurrent.dbclient.EventData;
import io.kurrent.dbclient.MultiStreamAppendResponse;
import io.kurrent.dbclient.RecordSizeExceededException;
import io.kurrent.dbclient.StreamState;
import io.kurrent.dbclient.StreamTombstonedException;
import io.kurrent.dbclient.TransactionMaxSizeExceededException;
import io.kurrent.dbclient.WrongExpectedVersionException;
import io.kurrentdb.protocol.v2.streams.AppendRecord;
import io.kurrentdb.protocol.v2.streams.AppendRequest;
import io.kurrentdb.protocol.v2.streams.AppendSessionResponse;
import io.kurrentdb.protocol.v2.streams.SchemaFormat;
import io.kurrentdb.protocol.v2.streams.SchemaInfo;
import io.kurrentdb.protocol.v2.streams.errors.AppendRecordSizeExceededErrorDetails;
import io.kurrentdb.protocol.v2.streams.errors.StreamAlreadyInAppendSessionErrorDetails;
import io.kurrentdb.protocol.v2.streams.errors.StreamRevisionConflictErrorDetails;
import io.kurrentdb.protocol.v2.streams.errors.StreamTombstonedErrorDetails;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The v2 {@code StreamsService/AppendSession} rule by rule (the emulator playing 26.0), through
 * KurrentDB's real 1.1.0 client ({@code multiStreamAppend}) where it can express the case and the
 * raw generated stubs where it cannot; what v2 wrote read back through db-client-java 5.4.5 (v1).
 */
class AppendSessionConformanceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_RECORD = 4_000;
  private static final int MAX_SESSION = 20_000;

  private static V2Fixture fx;

  @BeforeAll
  static void start() {
    fx =
        new V2Fixture(
            EmulatorOptions.ephemeral()
                .withMaxAppendEventSize(MAX_RECORD)
                .withMaxAppendSize(MAX_SESSION));
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  // ---- commit: atomic, ordered, consecutive positions ----

  @Test
  void shouldAppendToSeveralStreamsInOneSession() throws Exception {
    String a = stream("orders");
    String b = stream("customers");
    EventData a1 = json("A1");
    EventData a2 = json("A2");
    EventData b1 = json("B1");
    fx.v1.append(
        b, com.eventstore.dbclient.ExpectedRevision.noStream(), EmulatorFixture.event("B0"));

    MultiStreamAppendResponse response =
        fx.append(
            request(a, StreamState.noStream(), a1, a2),
            request(b, StreamState.streamRevision(0), b1));

    assertThat(response.getResults())
        .extracting(r -> r.getStream() + "@" + r.getStreamRevision())
        .containsExactly(a + "@1", b + "@1");
    List<RecordedEvent> written =
        List.of(fx.v1.read(a).get(0), fx.v1.read(a).get(1), fx.v1.read(b).get(1));
    assertThat(written)
        .extracting(RecordedEvent::getEventId)
        .containsExactly(a1.getEventId(), a2.getEventId(), b1.getEventId());
    // one $all position each, in request order, the last one answered as the session's position
    List<Long> positions = written.stream().map(e -> e.getPosition().getCommitUnsigned()).toList();
    assertThat(positions).isSorted().doesNotHaveDuplicates();
    assertThat(response.getPosition()).isEqualTo(positions.get(2));
    List<ResolvedEvent> all = fx.v1.readAll();
    int first = indexOf(all, a1.getEventId());
    assertThat(all.subList(first, first + 3))
        .extracting(e -> e.getOriginalEvent().getEventId())
        .containsExactly(a1.getEventId(), a2.getEventId(), b1.getEventId());
  }

  @Test
  void shouldLeaveTheResponsesPositionUnsetAndEchoTheStreamName() throws Exception {
    String a = stream("Echo");
    AppendSessionResponse response =
        fx.raw(List.of(raw(a, -1, record("E", "{}")))).get(10, TimeUnit.SECONDS);
    assertThat(response.getOutput(0).getStream()).isEqualTo(a);
    assertThat(response.getOutput(0).hasPosition()).isFalse();
    assertThat(response.getOutput(0).getStreamRevision()).isZero();
  }

  @Test
  void shouldCheckEveryStreamBeforeWritingAny() throws Exception {
    String a = stream("atomic");
    String b = stream("atomic");
    fx.v1.append(
        b, com.eventstore.dbclient.ExpectedRevision.noStream(), EmulatorFixture.event("B0"));

    Throwable error =
        fx.failure(
            request(a, StreamState.noStream(), json("A1")),
            request(b, StreamState.noStream(), json("B1")));

    assertThat(error).isInstanceOf(WrongExpectedVersionException.class);
    WrongExpectedVersionException wrong = (WrongExpectedVersionException) error;
    assertThat(wrong.getStreamName()).isEqualTo(b);
    assertThat(wrong.getExpectedState()).isEqualTo(StreamState.noStream());
    assertThat(wrong.getActualState()).isEqualTo(StreamState.streamRevision(0));
    assertThat(EmulatorFixture.failure(fx.v1.client.readStream(a, ReadStreamOptions.get())))
        .isInstanceOf(StreamNotFoundException.class);
    assertThat(fx.v1.read(b)).hasSize(1);
  }

  @Test
  void shouldReportOnlyTheFirstConflictingStream() throws Exception {
    String a = stream("first");
    String b = stream("first");
    String c = stream("first");
    fx.v1.append(
        c, com.eventstore.dbclient.ExpectedRevision.noStream(), EmulatorFixture.event("C0"));

    Throwable error =
        fx.failure(
            request(a, StreamState.noStream(), json("A")),
            request(b, StreamState.streamRevision(4), json("B")),
            request(c, StreamState.streamRevision(7), json("C")));

    WrongExpectedVersionException wrong = (WrongExpectedVersionException) error;
    assertThat(wrong.getStreamName()).isEqualTo(b);
    assertThat(wrong.getExpectedState()).isEqualTo(StreamState.streamRevision(4));
    assertThat(wrong.getActualState()).isEqualTo(StreamState.noStream());
  }

  @Test
  void shouldApplyTheV1ExpectationRulesPerStream() throws Exception {
    String any = stream("rules");
    String exists = stream("rules");
    String missing = stream("rules");
    fx.v1.append(
        exists, com.eventstore.dbclient.ExpectedRevision.noStream(), EmulatorFixture.event("X"));

    MultiStreamAppendResponse ok =
        fx.append(
            request(any, StreamState.any(), json("A")),
            request(exists, StreamState.streamExists(), json("E")));
    assertThat(ok.getResults()).extracting(r -> r.getStreamRevision()).containsExactly(0L, 1L);

    WrongExpectedVersionException wrong =
        (WrongExpectedVersionException)
            fx.failure(request(missing, StreamState.streamExists(), json("M")));
    assertThat(wrong.getExpectedState()).isEqualTo(StreamState.streamExists());
    assertThat(wrong.getActualState()).isEqualTo(StreamState.noStream());
  }

  // ---- idempotency ----

  @Test
  void shouldAnswerAnIdenticalReplayWithTheOriginalWriteAndWriteNothing() throws Exception {
    String a = stream("replay");
    String b = stream("replay");
    EventData a1 = json("A1");
    EventData b1 = json("B1");
    EventData b2 = json("B2");
    MultiStreamAppendResponse first =
        fx.append(
            request(a, StreamState.noStream(), a1), request(b, StreamState.noStream(), b1, b2));
    fx.append(request(a, StreamState.streamRevision(0), json("A-later")));

    MultiStreamAppendResponse again =
        fx.append(
            request(a, StreamState.noStream(), a1), request(b, StreamState.noStream(), b1, b2));

    assertThat(again.getPosition()).isEqualTo(first.getPosition());
    assertThat(again.getResults()).extracting(r -> r.getStreamRevision()).containsExactly(0L, 1L);
    assertThat(fx.v1.read(a)).hasSize(2);
    assertThat(fx.v1.read(b)).hasSize(2);
  }

  @Test
  void shouldRefuseAPartialReplayAsARevisionConflictOn26() throws Exception {
    String a = stream("partial");
    String b = stream("partial");
    EventData a1 = json("A1");
    fx.append(request(a, StreamState.noStream(), a1));

    Throwable error =
        fx.failure(
            request(a, StreamState.noStream(), a1), request(b, StreamState.noStream(), json("B1")));

    assertThat(error).isInstanceOf(WrongExpectedVersionException.class);
    WrongExpectedVersionException wrong = (WrongExpectedVersionException) error;
    assertThat(wrong.getStreamName()).isEqualTo(a);
    assertThat(wrong.getActualState()).isEqualTo(StreamState.streamRevision(0));
    assertThat(EmulatorFixture.failure(fx.v1.client.readStream(b, ReadStreamOptions.get())))
        .isInstanceOf(StreamNotFoundException.class);
  }

  @Test
  void shouldRefuseAStreamWhoseEventsOnlyPartlyMatch() throws Exception {
    String a = stream("corrupt");
    EventData a1 = json("A1");
    fx.append(request(a, StreamState.noStream(), a1, json("A2")));
    Throwable error = fx.failure(request(a, StreamState.noStream(), a1, json("other")));
    assertThat(((WrongExpectedVersionException) error).getActualState())
        .isEqualTo(StreamState.streamRevision(1));
    assertThat(fx.v1.read(a)).hasSize(2);
  }

  // ---- deleted streams ----

  @Test
  void shouldRefuseATombstonedStream() throws Exception {
    String a = stream("tomb");
    String b = stream("tomb");
    fx.v1.append(
        b, com.eventstore.dbclient.ExpectedRevision.noStream(), EmulatorFixture.event("B"));
    fx.v1.client.tombstoneStream(b).get();

    Throwable error =
        fx.failure(
            request(a, StreamState.noStream(), json("A")),
            request(b, StreamState.any(), json("B")));

    assertThat(error).isInstanceOf(StreamTombstonedException.class);
    assertThat(((StreamTombstonedException) error).getStreamName()).isEqualTo(b);
    assertThat(StreamTombstonedErrorDetails.class).isNotNull();
    assertThat(EmulatorFixture.failure(fx.v1.client.readStream(a, ReadStreamOptions.get())))
        .isInstanceOf(StreamNotFoundException.class);
  }

  @Test
  void shouldRefuseExistsOnASoftDeletedStreamAsTombstoned() throws Exception {
    String a = stream("soft");
    fx.v1.append(
        a, com.eventstore.dbclient.ExpectedRevision.noStream(), EmulatorFixture.event("A"));
    fx.v1.client.deleteStream(a).get();
    Throwable error = fx.failure(request(a, StreamState.streamExists(), json("A")));
    assertThat(error).isInstanceOf(StreamTombstonedException.class);
  }

  @Test
  void shouldRecreateASoftDeletedStreamWithAnyNoStreamOrItsRevision() throws Exception {
    String any = stream("soft");
    String none = stream("soft");
    String exact = stream("soft");
    for (String s : List.of(any, none, exact)) {
      fx.v1.append(
          s, com.eventstore.dbclient.ExpectedRevision.noStream(), EmulatorFixture.event("old"));
      fx.v1.client.deleteStream(s).get();
    }
    EventData n = json("new");
    MultiStreamAppendResponse response =
        fx.append(
            request(any, StreamState.any(), n),
            request(none, StreamState.noStream(), json("new")),
            request(exact, StreamState.streamRevision(0), json("new")));

    assertThat(response.getResults())
        .extracting(r -> r.getStreamRevision())
        .containsExactly(1L, 1L, 1L);
    assertThat(fx.v1.read(any))
        .extracting(RecordedEvent::getEventId)
        .containsExactly(n.getEventId());
    assertThat(fx.v1.read(none)).hasSize(1);
    assertThat(fx.v1.read(exact)).hasSize(1);
  }

  // ---- limits ----

  @Test
  void shouldRefuseARecordOverTheEventSizeLimit() throws Exception {
    String a = stream("big");
    UUID id = UUID.randomUUID();
    EventData big =
        EventData.builderAsJson(
                id, "Big", ("\"" + "x".repeat(MAX_RECORD) + "\"").getBytes(StandardCharsets.UTF_8))
            .build();

    Throwable error = fx.failure(request(a, StreamState.noStream(), big));

    assertThat(error).isInstanceOf(RecordSizeExceededException.class);
    RecordSizeExceededException tooBig = (RecordSizeExceededException) error;
    assertThat(tooBig.getStream()).isEqualTo(a);
    assertThat(tooBig.getRecordId()).isEqualTo(id.toString());
    // data + (no properties) + schema name
    assertThat(tooBig.getSize()).isEqualTo(MAX_RECORD + 2 + "Big".length());
    assertThat(tooBig.getMaxSize()).isEqualTo(MAX_RECORD);
  }

  @Test
  void shouldCountPropertiesAndTheSchemaNameInARecordsSize() throws Exception {
    String a = stream("size");
    AppendRecord record =
        record("Sized", "{}").toBuilder()
            .setData(ByteString.copyFrom(new byte[MAX_RECORD - 200]))
            .putProperties("k", Value.newBuilder().setStringValue("v".repeat(300)).build())
            .build();
    StatusRuntimeException error = fx.rawFailure(List.of(raw(a, -1, record)));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertErrorInfo(error, "APPEND_RECORD_SIZE_EXCEEDED", "streams");
    AppendRecordSizeExceededErrorDetails details =
        V2Fixture.unpack(
            V2Fixture.details(error).get(1), AppendRecordSizeExceededErrorDetails.class);
    long expected =
        MAX_RECORD
            - 200
            + Struct.newBuilder()
                .putAllFields(record.getPropertiesMap())
                .build()
                .getSerializedSize()
            + "Sized".length();
    assertThat(details.getSize()).isEqualTo(expected);
  }

  @Test
  void shouldRefuseASessionOverTheAppendSizeLimit() throws Exception {
    String a = stream("total");
    String b = stream("total");
    byte[] data = ("\"" + "y".repeat(MAX_RECORD - 100) + "\"").getBytes(StandardCharsets.UTF_8);
    EventData[] many = new EventData[4];
    for (int i = 0; i < many.length; i++) {
      many[i] = EventData.builderAsJson(UUID.randomUUID(), "Part", data).build();
    }

    Throwable error =
        fx.failure(
            request(a, StreamState.noStream(), many[0], many[1], many[2]),
            request(
                b,
                StreamState.noStream(),
                many[3],
                EventData.builderAsJson(UUID.randomUUID(), "Part", data).build(),
                EventData.builderAsJson(UUID.randomUUID(), "Part", data).build()));

    assertThat(error).isInstanceOf(TransactionMaxSizeExceededException.class);
    TransactionMaxSizeExceededException tooBig = (TransactionMaxSizeExceededException) error;
    assertThat(tooBig.getMaxSize()).isEqualTo(MAX_SESSION);
    assertThat(tooBig.getSize()).isGreaterThan(MAX_SESSION);
    assertThat(EmulatorFixture.failure(fx.v1.client.readStream(a, ReadStreamOptions.get())))
        .isInstanceOf(StreamNotFoundException.class);
  }

  @Test
  void shouldAnswerAnOversizedSessionAsAbortedBeforeItEnds() {
    String a = stream("total");
    AppendRecord part =
        record("Part", "{}").toBuilder()
            .setData(ByteString.copyFrom(new byte[MAX_RECORD - 100]))
            .build();
    List<AppendRequest> requests = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      requests.add(
          raw(
              stream("total"),
              -1,
              part.toBuilder().setRecordId(UUID.randomUUID().toString()).build()));
    }
    requests.add(raw(a, -1, part));
    StatusRuntimeException error = fx.rawFailure(requests);
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
    assertErrorInfo(error, "APPEND_TRANSACTION_SIZE_EXCEEDED", "streams");
  }

  // ---- request shape ----

  @Test
  void shouldRefuseAStreamTwiceInASessionComparingCaseInsensitively() throws Exception {
    String a = stream("Dup");
    Throwable error =
        fx.failure(
            request(a, StreamState.any(), json("A")),
            request(stream("other"), StreamState.any(), json("O")),
            request(a.toLowerCase(), StreamState.any(), json("a")));

    assertThat(error).isInstanceOf(StatusRuntimeException.class);
    StatusRuntimeException status = (StatusRuntimeException) error;
    assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
    assertErrorInfo(status, "STREAM_ALREADY_IN_APPEND_SESSION", "streams");
    assertThat(
            V2Fixture.unpack(
                    V2Fixture.details(status).get(1),
                    StreamAlreadyInAppendSessionErrorDetails.class)
                .getStream())
        .isEqualTo(a.toLowerCase());
    assertThat(EmulatorFixture.failure(fx.v1.client.readStream(a, ReadStreamOptions.get())))
        .isInstanceOf(StreamNotFoundException.class);
  }

  @Test
  void shouldRefuseASessionWithoutRequests() {
    StatusRuntimeException error = fx.rawFailure(List.of());
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertErrorInfo(error, "APPEND_SESSION_NO_REQUESTS", "streams");
    assertThat(V2Fixture.details(error)).hasSize(1);
  }

  @Test
  void shouldValidateEachRequestAsABadRequest() {
    String s = stream("bad");
    AppendRecord good = record("Good", "{}");
    List<List<AppendRequest>> bad =
        List.of(
            List.of(raw("", -1, good)),
            List.of(raw("$$", -1, good)),
            List.of(AppendRequest.newBuilder().setStream(s).build()),
            List.of(raw(s, -3, good)),
            List.of(raw(s, -1, good.toBuilder().setRecordId("not-a-uuid").build())),
            List.of(
                raw(
                    s,
                    -1,
                    good.toBuilder()
                        .setSchema(schema(SchemaFormat.SCHEMA_FORMAT_UNSPECIFIED, "Good"))
                        .build())),
            List.of(
                raw(
                    s,
                    -1,
                    good.toBuilder()
                        .setSchema(schema(SchemaFormat.SCHEMA_FORMAT_JSON, "has space"))
                        .build())),
            List.of(
                raw(
                    s,
                    -1,
                    good.toBuilder()
                        .setSchema(schema(SchemaFormat.SCHEMA_FORMAT_JSON, ""))
                        .build())),
            List.of(
                raw(
                    s,
                    -1,
                    good.toBuilder()
                        .setSchema(
                            schema(SchemaFormat.SCHEMA_FORMAT_JSON, "Good").toBuilder()
                                .setId("nope"))
                        .build())),
            List.of(
                raw(
                    s,
                    -1,
                    good.toBuilder()
                        .putProperties("", Value.newBuilder().setStringValue("x").build())
                        .build())));
    for (List<AppendRequest> requests : bad) {
      StatusRuntimeException error = fx.rawFailure(requests);
      assertThat(error.getStatus().getCode())
          .as(requests.toString())
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertErrorInfo(error, "BAD_REQUEST", "server");
      assertThat(
              V2Fixture.unpack(V2Fixture.details(error).get(1), BadRequest.class)
                  .getFieldViolationsCount())
          .isPositive();
    }
    assertThat(EmulatorFixture.failure(fx.v1.client.readStream(s, ReadStreamOptions.get())))
        .isInstanceOf(StreamNotFoundException.class);
  }

  @Test
  void shouldAcceptUserKeysStartingWithADollarAndGenerateMissingIds() throws Exception {
    String s = stream("ids");
    AppendRecord noId =
        record("NoId", "{}").toBuilder()
            .clearRecordId()
            .putProperties("$causationId", string("c"))
            .build();
    fx.raw(List.of(raw(s, -1, noId))).get(10, TimeUnit.SECONDS);
    RecordedEvent event = fx.v1.read(s).get(0);
    assertThat(event.getEventId()).isNotNull();
    assertThat(metadata(event).get("$causationId").asText()).isEqualTo("c");
  }

  @Test
  void shouldAddSchemaFormatAndIdPropertiesAndFailOnAClientSentDuplicate() throws Exception {
    String s = stream("schema");
    String schemaId = UUID.randomUUID().toString();
    AppendRecord avro =
        record("Avro", "{}").toBuilder()
            .setSchema(schema(SchemaFormat.SCHEMA_FORMAT_AVRO, "Avro").toBuilder().setId(schemaId))
            .build();
    fx.raw(List.of(raw(s, -1, avro))).get(10, TimeUnit.SECONDS);
    RecordedEvent event = fx.v1.read(s).get(0);
    assertThat(event.getContentType()).isEqualTo("application/octet-stream");
    JsonNode meta = metadata(event);
    assertThat(meta.get("$schema.format").asText()).isEqualTo("Avro");
    assertThat(meta.get("$schema.id").asText()).isEqualTo(schemaId);
    assertThat(meta.get("$schema.name").asText()).isEqualTo("Avro");

    // the server adds $schema.format with a map Add: a client-sent one makes the handler throw
    AppendRecord clash =
        record("Bytes", "{}").toBuilder()
            .setSchema(schema(SchemaFormat.SCHEMA_FORMAT_BYTES, "Bytes"))
            .putProperties("$schema.format", string("mine"))
            .build();
    StatusRuntimeException error = fx.rawFailure(List.of(raw(stream("schema"), -1, clash)));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
  }

  @Test
  void shouldReplayAnySessionsFoundInTheIdCache() throws Exception {
    String a = stream("any");
    String b = stream("any");
    EventData a1 = json("A1");
    EventData b1 = json("B1");
    MultiStreamAppendResponse first =
        fx.append(request(a, StreamState.any(), a1), request(b, StreamState.any(), b1));
    MultiStreamAppendResponse again =
        fx.append(request(a, StreamState.any(), a1), request(b, StreamState.any(), b1));
    assertThat(again.getPosition()).isEqualTo(first.getPosition());
    assertThat(fx.v1.read(a)).hasSize(1);
    assertThat(fx.v1.read(b)).hasSize(1);
  }

  @Test
  void shouldNameTheFirstStreamThatIsNotSimplyWritableInAPartialReplay() throws Exception {
    String fresh = stream("partial");
    String replayed = stream("partial");
    EventData r1 = json("R1");
    fx.append(request(replayed, StreamState.noStream(), r1));
    WrongExpectedVersionException wrong =
        (WrongExpectedVersionException)
            fx.failure(
                request(fresh, StreamState.noStream(), json("F1")),
                request(replayed, StreamState.noStream(), r1));
    assertThat(wrong.getStreamName()).isEqualTo(replayed);
    assertThat(wrong.getExpectedState()).isEqualTo(StreamState.noStream());
    assertThat(wrong.getActualState()).isEqualTo(StreamState.streamRevision(0));
  }

  // ---- error shapes ----

  @Test
  void shouldCarryErrorInfoThenTheTypedDetailInTheStatusTrailer() throws Exception {
    String s = stream("shape");
    fx.append(request(s, StreamState.noStream(), json("A")));
    StatusRuntimeException error = fx.rawFailure(List.of(raw(s, 5, record("B", "{}"))));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    List<Any> details = V2Fixture.details(error);
    assertThat(details).hasSize(2);
    assertThat(details.get(0).getTypeUrl()).isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
    assertErrorInfo(error, "STREAM_REVISION_CONFLICT", "streams");
    StreamRevisionConflictErrorDetails conflict =
        V2Fixture.unpack(details.get(1), StreamRevisionConflictErrorDetails.class);
    assertThat(conflict.getStream()).isEqualTo(s);
    assertThat(conflict.getExpectedRevision()).isEqualTo(5);
    assertThat(conflict.getActualRevision()).isEqualTo(0);
  }

  @Test
  void shouldReportAnUnsetExpectationAsZeroInAConflict() throws Exception {
    String s = stream("unset");
    fx.v1.append(
        s, com.eventstore.dbclient.ExpectedRevision.noStream(), EmulatorFixture.event("A"));
    fx.v1.client.tombstoneStream(stream("x")).get();
    // ANY (unset) never conflicts; EXISTS on a missing stream does, and says so with the raw value
    StatusRuntimeException error =
        fx.rawFailure(List.of(raw(stream("missing"), -4, record("B", "{}"))));
    StreamRevisionConflictErrorDetails conflict =
        V2Fixture.unpack(V2Fixture.details(error).get(1), StreamRevisionConflictErrorDetails.class);
    assertThat(conflict.getExpectedRevision()).isEqualTo(-4);
    assertThat(conflict.getActualRevision()).isEqualTo(-1);
    AppendSessionResponse ok =
        fx.raw(
                List.of(
                    AppendRequest.newBuilder().setStream(s).addRecords(record("C", "{}")).build()))
            .get(10, TimeUnit.SECONDS);
    assertThat(ok.getOutput(0).getStreamRevision()).isEqualTo(1);
  }

  @Test
  void shouldFailWithInjectedFaultsInTheV2Shape() throws Exception {
    String s = stream("fault");
    fx.emulator().injectAppendFaults(AppendFault.TIMEOUT_AFTER_WRITE);
    Throwable error = fx.failure(request(s, StreamState.noStream(), json("A")));
    assertThat(((StatusRuntimeException) error).getStatus().getCode())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertErrorInfo((StatusRuntimeException) error, "OPERATION_TIMEOUT", "server");
    assertThat(fx.v1.read(s)).hasSize(1);
  }

  // ---- the v1 view of v2 writes ----

  @Test
  void shouldShowV2RecordsToV1ReadersWithTypeContentTypeAndSynthesisedMetadata() throws Exception {
    String s = stream("view");
    EventData j =
        json(UUID.randomUUID(), "Changed", "{\"$correlationId\":\"tx-1\",\"source\":\"cdc\"}");
    EventData bin =
        EventData.builderAsBinary(UUID.randomUUID(), "Blob", new byte[] {1, 2, 3}).build();

    fx.append(request(s, StreamState.noStream(), j, bin));

    List<RecordedEvent> events = fx.v1.read(s);
    RecordedEvent first = events.get(0);
    assertThat(first.getEventId()).isEqualTo(j.getEventId());
    assertThat(first.getEventType()).isEqualTo("Changed");
    assertThat(first.getContentType()).isEqualTo("application/json");
    assertThat(new String(first.getEventData(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
    // the client's keys in the order it sent them, then $schema.name and $schema.format, laid out
    // as the server's JsonFormatter writes them
    String text = new String(first.getUserMetadata(), StandardCharsets.UTF_8);
    assertThat(text)
        .startsWith("{ \"")
        .endsWith(", \"$schema.name\": \"Changed\", \"$schema.format\": \"Json\" }")
        .contains("\"$correlationId\": \"tx-1\"", "\"source\": \"cdc\"");
    assertThat(JSON.readTree(text))
        .isEqualTo(
            JSON.readTree(
                "{\"$correlationId\":\"tx-1\",\"source\":\"cdc\",\"$schema.name\":\"Changed\","
                    + "\"$schema.format\":\"Json\"}"));
    RecordedEvent second = events.get(1);
    assertThat(second.getContentType()).isEqualTo("application/octet-stream");
    assertThat(second.getEventData()).containsExactly(1, 2, 3);
    JsonNode meta = metadata(second);
    assertThat(meta.get("$schema.format").asText()).isEqualTo("Bytes");
    assertThat(meta.get("$schema.name").asText()).isEqualTo("Blob");
  }

  @Test
  void shouldFeedV2RecordsToByCorrelationIdAndByCategory() throws Exception {
    String tx = "tx-" + UUID.randomUUID();
    String a = stream("shop");
    String b = stream("stock");
    EventData a1 = json(UUID.randomUUID(), "A", "{\"$correlationId\":\"" + tx + "\"}");
    EventData b1 = json(UUID.randomUUID(), "B", "{\"$correlationId\":\"" + tx + "\"}");
    fx.append(request(a, StreamState.noStream(), a1), request(b, StreamState.noStream(), b1));

    List<RecordedEvent> correlated =
        fx
            .v1
            .client
            .readStream("$bc-" + tx, ReadStreamOptions.get().resolveLinkTos())
            .get()
            .getEvents()
            .stream()
            .map(ResolvedEvent::getEvent)
            .toList();
    assertThat(correlated)
        .extracting(RecordedEvent::getEventId)
        .containsExactly(a1.getEventId(), b1.getEventId());
    assertThat(
            fx.v1
                .client
                .readStream(
                    "$ce-shop", ReadStreamOptions.get().resolveLinkTos().backwards().fromEnd())
                .get()
                .getEvents()
                .get(0)
                .getEvent()
                .getEventId())
        .isEqualTo(a1.getEventId());
  }

  @Test
  void shouldRenderNestedPropertyValuesAsJson() throws Exception {
    String s = stream("nested");
    Value nested =
        Value.newBuilder()
            .setStructValue(
                Struct.newBuilder()
                    .putFields("n", Value.newBuilder().setNumberValue(3).build())
                    .putFields(
                        "l",
                        Value.newBuilder()
                            .setListValue(
                                ListValue.newBuilder()
                                    .addValues(Value.newBuilder().setBoolValue(true))
                                    .addValues(Value.newBuilder().setNumberValue(1.5)))
                            .build()))
            .build();
    fx.raw(List.of(raw(s, -1, record("N", "{}").toBuilder().putProperties("obj", nested).build())))
        .get(10, TimeUnit.SECONDS);
    JsonNode meta = metadata(fx.v1.read(s).get(0));
    assertThat(meta.get("obj").get("n").asLong()).isEqualTo(3);
    assertThat(meta.get("obj").get("l").get(0).asBoolean()).isTrue();
    assertThat(meta.get("obj").get("l").get(1).asDouble()).isEqualTo(1.5);
  }

  // ---- helpers ----

  private static void assertErrorInfo(StatusRuntimeException error, String reason, String domain) {
    ErrorInfo info = V2Fixture.errorInfo(error);
    assertThat(info.getReason()).isEqualTo(reason);
    assertThat(info.getDomain()).isEqualTo(domain);
  }

  private static JsonNode metadata(RecordedEvent event) throws Exception {
    return JSON.readTree(event.getUserMetadata());
  }

  private static int indexOf(List<ResolvedEvent> all, UUID id) {
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).getOriginalEvent().getEventId().equals(id)) {
        return i;
      }
    }
    throw new AssertionError(id + " not in $all");
  }

  static AppendRequest raw(String stream, long expected, AppendRecord... records) {
    return AppendRequest.newBuilder()
        .setStream(stream)
        .setExpectedRevision(expected)
        .addAllRecords(List.of(records))
        .build();
  }

  static AppendRecord record(String type, String data) {
    return AppendRecord.newBuilder()
        .setRecordId(UUID.randomUUID().toString())
        .setSchema(schema(SchemaFormat.SCHEMA_FORMAT_JSON, type))
        .setData(ByteString.copyFromUtf8(data))
        .build();
  }

  static SchemaInfo schema(SchemaFormat format, String name) {
    return SchemaInfo.newBuilder().setFormat(format).setName(name).build();
  }

  private static Value string(String text) {
    return Value.newBuilder().setStringValue(text).build();
  }
}
