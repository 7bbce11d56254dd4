package io.cdc2esdb.dev.emulator;

import static io.cdc2esdb.dev.emulator.EmulatorFixture.event;
import static io.cdc2esdb.dev.emulator.EmulatorFixture.options;
import static io.cdc2esdb.dev.emulator.EmulatorFixture.proposed;
import static io.cdc2esdb.dev.emulator.EmulatorFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.DeleteStreamOptions;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.WrongExpectedVersionException;
import com.eventstore.dbclient.proto.shared.Shared;
import com.eventstore.dbclient.proto.streams.StreamsGrpc;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendResp;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendResp.WrongExpectedVersion;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.DeleteReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.TombstoneReq;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the server puts on the wire for errors: the wrong-expected-version body of an Append (with
 * the legacy fields), the error statuses and trailers of Delete/Tombstone, the size limit and the
 * required metadata. Checked on the raw stub where the client would hide the detail.
 */
class WireShapesConformanceTest {

  private static final Shared.Empty EMPTY = Shared.Empty.getDefaultInstance();
  private static EmulatorFixture fx;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture();
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void shouldAnswerAnExactRevisionAheadWithBothCurrentAndLegacyFieldsInTheAppendBody()
      throws Exception {
    String s = stream("wire");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    WrongExpectedVersion wrong = rawWrong(options(s).setRevision(5));
    assertThat(wrong.getExpectedRevisionOptionCase())
        .isEqualTo(WrongExpectedVersion.ExpectedRevisionOptionCase.EXPECTED_REVISION);
    assertThat(wrong.getExpectedRevision()).isEqualTo(5);
    assertThat(wrong.getExpectedRevision2060()).isEqualTo(5);
    assertThat(wrong.getCurrentRevision()).isEqualTo(1);
    assertThat(wrong.getCurrentRevision2060()).isEqualTo(1);
  }

  @Test
  void shouldAnswerNoStreamOnAnExistingStreamWithExpectedNoStreamAndLegacyMaxValue()
      throws Exception {
    String s = stream("wire");
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    WrongExpectedVersion wrong = rawWrong(options(s).setNoStream(EMPTY));
    assertThat(wrong.hasExpectedNoStream()).isTrue();
    assertThat(wrong.getExpectedRevision2060()).isEqualTo(-1L); // ulong.MaxValue on the wire
    assertThat(wrong.getCurrentRevision()).isZero();
    assertThat(wrong.getCurrentRevision2060()).isZero();
  }

  @Test
  void shouldAnswerStreamExistsOnAMissingStreamWithCurrentNoStreamInBothForms() {
    WrongExpectedVersion wrong = rawWrong(options(stream("wire")).setStreamExists(EMPTY));
    assertThat(wrong.hasExpectedStreamExists()).isTrue();
    assertThat(wrong.hasStreamExists2060()).isTrue();
    assertThat(wrong.hasCurrentNoStream()).isTrue();
    assertThat(wrong.hasNoStream2060()).isTrue();
  }

  @Test
  void shouldAnswerAnyWithExpectedAnyInBothForms() throws Exception {
    String s = stream("wire");
    var a = event("A");
    fx.append(s, ExpectedRevision.any(), a, event("B"));
    var first = proposed("A", "{}".getBytes()).setId(Protos.uuid(a.getEventId(), true));
    AppendResp response =
        fx.rawAppend(options(s).setAny(EMPTY), List.of(first, proposed("X", "{}".getBytes())))
            .get();
    WrongExpectedVersion wrong = response.getWrongExpectedVersion();
    assertThat(wrong.hasExpectedAny()).isTrue();
    assertThat(wrong.hasAny2060()).isTrue();
    assertThat(wrong.getCurrentRevision()).isEqualTo(1);
  }

  @Test
  void shouldFailADeleteAtTheWrongRevisionWithFailedPreconditionAndTrailers() throws Exception {
    String s = stream("wire");
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    StatusRuntimeException error =
        error(
            () ->
                StreamsGrpc.newBlockingStub(fx.channel())
                    .delete(
                        DeleteReq.newBuilder()
                            .setOptions(
                                DeleteReq.Options.newBuilder()
                                    .setStreamIdentifier(Protos.streamIdentifier(s))
                                    .setRevision(7))
                            .build()));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(error.getStatus().getDescription())
        .isEqualTo(
            "Delete failed due to WrongExpectedVersion. Stream: "
                + s
                + ", Expected version: 7, Actual version: 0");
    assertThat(trailer(error, "exception")).isEqualTo("wrong-expected-version");
    assertThat(trailer(error, "stream-name")).isEqualTo(s);
    assertThat(trailer(error, "expected-version")).isEqualTo("7");
    assertThat(trailer(error, "actual-version")).isEqualTo("0");
  }

  @Test
  void shouldFailATombstoneWithStreamExistsOnAMissingStreamWithRawExpectedVersions() {
    String s = stream("wire");
    StatusRuntimeException error =
        error(
            () ->
                StreamsGrpc.newBlockingStub(fx.channel())
                    .tombstone(
                        TombstoneReq.newBuilder()
                            .setOptions(
                                TombstoneReq.Options.newBuilder()
                                    .setStreamIdentifier(Protos.streamIdentifier(s))
                                    .setStreamExists(EMPTY))
                            .build()));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(trailer(error, "expected-version")).isEqualTo("-4");
    assertThat(trailer(error, "actual-version")).isEqualTo("-1");
  }

  @Test
  void shouldSurfaceADeleteWrongExpectedVersionThroughTheClientAsItsException() throws Exception {
    String s = stream("wire");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    Throwable error =
        EmulatorFixture.failure(
            fx.client.deleteStream(s, DeleteStreamOptions.get().expectedRevision(0)));
    assertThat(error).isInstanceOf(WrongExpectedVersionException.class);
    assertThat(((WrongExpectedVersionException) error).getActualVersion())
        .isEqualTo(ExpectedRevision.expectedRevision(1));
  }

  @Test
  void shouldRejectAnAppendOverOneMebibyteWithInvalidArgumentAndTrailers() {
    String s = stream("wire");
    var big = EventDataBuilder.json(UUID.randomUUID(), "Big", json(1_048_577)).build();
    Throwable error = fx.appendFailure(s, ExpectedRevision.noStream(), big);
    assertThat(error).isInstanceOf(StatusRuntimeException.class);
    StatusRuntimeException status = (StatusRuntimeException) error;
    assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getStatus().getDescription())
        .isEqualTo("Maximum Append Size of 1048576 Exceeded.");
    assertThat(trailer(status, "exception")).isEqualTo("maximum-append-size-exceeded");
    assertThat(trailer(status, "maximum-append-size")).isEqualTo("1048576");
    assertThat(EmulatorFixture.failure(fx.client.readStream(s, ReadStreamOptions.get())))
        .isInstanceOf(StreamNotFoundException.class);
  }

  @Test
  void shouldCountDataPlusTwiceTheTypeTowardsTheLimit() throws Exception {
    String s = stream("wire");
    AppendResp atLimit =
        fx.rawAppend(options(s).setNoStream(EMPTY), List.of(proposed("Ty", new byte[1_048_572])))
            .get();
    assertThat(atLimit.hasSuccess()).isTrue();
    StatusRuntimeException over =
        error(
            () ->
                fx.rawAppend(
                        options(stream("wire")).setNoStream(EMPTY),
                        List.of(proposed("Ty", new byte[1_048_573])))
                    .join());
    assertThat(over.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void shouldCountTheWholeAppendAcrossEventsTowardsTheLimit() {
    StatusRuntimeException over =
        error(
            () ->
                fx.rawAppend(
                        options(stream("wire")).setNoStream(EMPTY),
                        List.of(proposed("A", new byte[600_000]), proposed("B", new byte[600_000])))
                    .join());
    assertThat(trailer(over, "exception")).isEqualTo("maximum-append-size-exceeded");
  }

  @Test
  void shouldTakeMessagesLargerThanGrpcsFourMebibyteDefault() {
    StatusRuntimeException over =
        error(
            () ->
                fx.rawAppend(
                        options(stream("wire")).setNoStream(EMPTY),
                        List.of(proposed("Huge", new byte[6 * 1024 * 1024])))
                    .join());
    assertThat(over.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(trailer(over, "exception")).isEqualTo("maximum-append-size-exceeded");
  }

  @Test
  void shouldRejectAnEventWithoutTypeAsMissingRequiredMetadata() {
    StatusRuntimeException error =
        error(
            () ->
                fx.rawAppend(
                        options(stream("wire")).setNoStream(EMPTY),
                        List.of(proposed(null, "{}".getBytes())))
                    .join());
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(error.getStatus().getDescription())
        .isEqualTo("Required Metadata Property 'type' is missing");
    assertThat(trailer(error, "exception")).isEqualTo("missing-required-metadata-property");
    assertThat(trailer(error, "required-metadata-properties")).isEqualTo("type,content-type");
  }

  @Test
  void shouldRejectAnEventWithoutContentTypeAsMissingRequiredMetadata() {
    var message = proposed("A", "{}".getBytes()).removeMetadata("content-type");
    StatusRuntimeException error =
        error(
            () ->
                fx.rawAppend(options(stream("wire")).setNoStream(EMPTY), List.of(message)).join());
    assertThat(error.getStatus().getDescription())
        .isEqualTo("Required Metadata Property 'content-type' is missing");
  }

  private static WrongExpectedVersion rawWrong(
      com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendReq.Options.Builder options) {
    AppendResp response = fx.rawAppend(options, List.of(proposed("X", "{}".getBytes()))).join();
    assertThat(response.hasWrongExpectedVersion()).as("a WEV body, not a status").isTrue();
    return response.getWrongExpectedVersion();
  }

  private static byte[] json(int size) {
    byte[] bytes = new byte[size];
    java.util.Arrays.fill(bytes, (byte) ' ');
    bytes[0] = '{';
    bytes[size - 1] = '}';
    return bytes;
  }

  static StatusRuntimeException error(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof StatusRuntimeException status) {
        return status;
      }
      throw e;
    }
    throw new AssertionError("expected an error status");
  }

  static String trailer(StatusRuntimeException error, String key) {
    return error.getTrailers().get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
  }
}
