package io.cdc2esdb.dev.emulator;

import static io.cdc2esdb.dev.emulator.EmulatorFixture.event;
import static io.cdc2esdb.dev.emulator.EmulatorFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.DeleteStreamOptions;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.proto.serverfeatures.ServerFeaturesGrpc;
import com.eventstore.dbclient.proto.serverfeatures.Serverfeatures.SupportedMethod;
import com.eventstore.dbclient.proto.shared.Shared;
import com.eventstore.dbclient.proto.streams.StreamsGrpc;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.BatchAppendReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.BatchAppendResp;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Empty;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Streams/BatchAppend} through the generated stubs over real gRPC: answers per correlation
 * id, chunked appends, the error statuses and their details, idempotent replays, half-close, and
 * the same faults as {@code Streams/Append}.
 */
class BatchAppendConformanceTest {

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
  void shouldBeListedInServerFeatures() {
    List<String> streamsMethods =
        ServerFeaturesGrpc.newBlockingStub(fx.channel())
            .getSupportedMethods(Shared.Empty.getDefaultInstance())
            .getMethodsList()
            .stream()
            .filter(m -> m.getServiceName().equals("event_store.client.streams.streams"))
            .map(SupportedMethod::getMethodName)
            .toList();
    assertThat(streamsMethods).contains("append", "batchappend");
  }

  @Test
  void shouldAnswerSuccessWithTheLastRevisionAndThePosition() throws Exception {
    String s = stream("batch");
    try (Call call = new Call()) {
      UUID id = call.send(s, noStream(), true, message("A"), message("B"));
      BatchAppendResp answer = call.next();
      assertThat(uuid(answer.getCorrelationId())).isEqualTo(id);
      assertThat(answer.getStreamIdentifier().getStreamName().toStringUtf8()).isEqualTo(s);
      assertThat(answer.hasNoStream()).isTrue();
      assertThat(answer.hasSuccess()).isTrue();
      assertThat(answer.getSuccess().getCurrentRevision()).isEqualTo(1);
      assertThat(answer.getSuccess().hasPosition()).isTrue();
      assertThat(answer.getSuccess().getPosition().getCommitPosition())
          .isEqualTo(fx.read(s).get(1).getPosition().getCommitUnsigned());
    }
    assertThat(types(s)).containsExactly("A", "B");
  }

  @Test
  void shouldMatchInterleavedAppendsByCorrelationId() throws Exception {
    String a = stream("batch");
    String b = stream("batch");
    try (Call call = new Call()) {
      UUID first = call.send(a, noStream(), false, message("A1"));
      UUID second = call.send(b, noStream(), false, message("B1"));
      call.sendMore(first, true, message("A2"));
      call.sendMore(second, true, message("B2"), message("B3"));
      Map<UUID, BatchAppendResp> answers = call.answers(2);
      assertThat(answers.get(first).getSuccess().getCurrentRevision()).isEqualTo(1);
      assertThat(answers.get(second).getSuccess().getCurrentRevision()).isEqualTo(2);
      assertThat(answers.get(first).getStreamIdentifier().getStreamName().toStringUtf8())
          .isEqualTo(a);
    }
    assertThat(types(a)).containsExactly("A1", "A2");
    assertThat(types(b)).containsExactly("B1", "B2", "B3");
  }

  @Test
  void shouldWriteNothingBeforeTheFinalRequestAndIgnoreAnUnknownIdWithoutOptions()
      throws Exception {
    String s = stream("batch");
    try (Call call = new Call()) {
      UUID id = call.send(s, noStream(), false, message("A"));
      call.sendMore(UUID.randomUUID(), true, message("Stray"));
      UUID probe = call.send(stream("batch"), any(), true, message("P"));
      assertThat(uuid(call.next().getCorrelationId())).isEqualTo(probe);
      assertThat(types(s)).isEmpty();
      call.sendMore(id, true, message("B"));
      assertThat(uuid(call.next().getCorrelationId())).isEqualTo(id);
    }
    assertThat(types(s)).containsExactly("A", "B");
  }

  @Test
  void shouldAnswerAWrongExpectedVersionWithCode6AndItsDetails() throws Exception {
    String s = stream("batch");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    try (Call call = new Call()) {
      call.send(s, BatchAppendReq.Options.newBuilder().setStreamPosition(7), true, message("C"));
      com.google.rpc.Status error = call.next().getError();
      assertThat(error.getCode()).isEqualTo(Code.ALREADY_EXISTS_VALUE);
      assertThat(error.getMessage()).isEqualTo("WrongExpectedVersion");
      Shared.WrongExpectedVersion wrong =
          error.getDetails(0).unpack(Shared.WrongExpectedVersion.class);
      assertThat(wrong.getCurrentStreamRevision()).isEqualTo(1);
      assertThat(wrong.getExpectedStreamPosition()).isEqualTo(7);

      call.send(
          stream("batch"),
          BatchAppendReq.Options.newBuilder().setStreamPosition(0),
          true,
          message("D"));
      Shared.WrongExpectedVersion missing =
          call.next().getError().getDetails(0).unpack(Shared.WrongExpectedVersion.class);
      assertThat(missing.hasCurrentNoStream()).isTrue();
    }
    assertThat(types(s)).hasSize(2);
  }

  @Test
  void shouldAnswerATombstonedStreamWithCode5() throws Exception {
    String s = stream("batch");
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    fx.client.tombstoneStream(s, DeleteStreamOptions.get()).get(10, TimeUnit.SECONDS);
    try (Call call = new Call()) {
      call.send(s, any(), true, message("B"));
      com.google.rpc.Status error = call.next().getError();
      assertThat(error.getCode()).isEqualTo(Code.NOT_FOUND_VALUE);
      assertThat(error.getMessage()).isEqualTo("StreamDeleted");
      assertThat(
              error
                  .getDetails(0)
                  .unpack(Shared.StreamDeleted.class)
                  .getStreamIdentifier()
                  .getStreamName()
                  .toStringUtf8())
          .isEqualTo(s);
    }
  }

  @Test
  void shouldAnswerTooLargeAsSoonAsTheLimitIsPassedAndDropTheId() throws Exception {
    String s = stream("batch");
    byte[] half = new byte[600_000];
    try (Call call = new Call()) {
      UUID id = call.send(s, noStream(), false, message("Big", half));
      call.sendMore(id, false, message("Big", half));
      com.google.rpc.Status error = call.next().getError();
      assertThat(error.getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
      assertThat(error.getMessage()).isEqualTo("MaximumAppendSizeExceeded");
      assertThat(
              error.getDetails(0).unpack(Shared.MaximumAppendSizeExceeded.class).getMaxAppendSize())
          .isEqualTo(EmulatorOptions.DEFAULT_MAX_APPEND_SIZE);
      call.sendMore(id, true, message("Late"));
      UUID probe = call.send(stream("batch"), any(), true, message("P"));
      assertThat(uuid(call.next().getCorrelationId())).isEqualTo(probe);
    }
    assertThat(types(s)).isEmpty();
  }

  @Test
  void shouldAnswerAZeroDeadlineWithCode4() throws Exception {
    String s = stream("batch");
    try (Call call = new Call()) {
      call.send(s, noStream().setDeadline(Duration.getDefaultInstance()), true, message("A"));
      com.google.rpc.Status error = call.next().getError();
      assertThat(error.getCode()).isEqualTo(Code.DEADLINE_EXCEEDED_VALUE);
      assertThat(error.getMessage()).isEqualTo("Timeout");
      assertThat(error.getDetails(0).is(Shared.Timeout.class)).isTrue();
    }
    assertThat(types(s)).isEmpty();
  }

  @Test
  void shouldAnswerAReplayOfTheSameEventIdsWithSuccessWithoutWritingTwice() throws Exception {
    String s = stream("batch");
    BatchAppendReq.ProposedMessage.Builder a = message("A");
    BatchAppendReq.ProposedMessage.Builder b = message("B");
    try (Call call = new Call()) {
      call.send(s, noStream(), true, a, b);
      assertThat(call.next().getSuccess().getCurrentRevision()).isEqualTo(1);
      call.send(s, noStream(), true, a, b);
      BatchAppendResp replay = call.next();
      assertThat(replay.hasSuccess()).isTrue();
      assertThat(replay.getSuccess().getCurrentRevision()).isEqualTo(1);
    }
    assertThat(types(s)).hasSize(2);
  }

  @Test
  void shouldAnswerWhatIsPendingThenCompleteOnHalfClose() throws Exception {
    Call call = new Call();
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(call.send(stream("batch"), noStream(), true, message("E")));
    }
    call.requests.onCompleted();
    call.completed.get(10, TimeUnit.SECONDS);
    assertThat(call.responses.stream().map(r -> uuid(r.getCorrelationId())))
        .containsExactlyInAnyOrderElementsOf(ids);
    assertThat(call.responses).allMatch(BatchAppendResp::hasSuccess);
  }

  @Test
  void shouldApplyTheAppendFaultsOfStreamsAppend() throws Exception {
    String s = stream("batch");
    try (Call call = new Call()) {
      fx.emulator.injectAppendFaults(AppendFault.TIMEOUT);
      call.send(s, noStream(), true, message("A"));
      assertThat(call.next().getError().getCode()).isEqualTo(Code.DEADLINE_EXCEEDED_VALUE);
      assertThat(types(s)).isEmpty();

      fx.emulator.injectAppendFaults(AppendFault.TIMEOUT_AFTER_WRITE);
      call.send(s, noStream(), true, message("A"));
      assertThat(call.next().getError().getCode()).isEqualTo(Code.DEADLINE_EXCEEDED_VALUE);
      assertThat(types(s)).hasSize(1);

      fx.emulator.injectAppendFaults(AppendFault.NOT_READY);
      call.send(s, any(), true, message("B"));
      com.google.rpc.Status notReady = call.next().getError();
      assertThat(notReady.getMessage()).isEqualTo("Server Is Not Ready");
      assertThat(notReady.getDetails(0).is(Empty.class)).isTrue();

      fx.emulator.injectAppendFaults(AppendFault.ACCESS_DENIED);
      call.send(s, any(), true, message("B"));
      assertThat(call.next().getError().getCode()).isEqualTo(Code.PERMISSION_DENIED_VALUE);

      fx.emulator.injectAppendFaults(AppendFault.NO_ANSWER);
      UUID frozen = call.send(s, any(), true, message("B"));
      UUID after = call.send(s, any(), true, message("C"));
      BatchAppendResp next = call.next();
      assertThat(uuid(next.getCorrelationId())).isEqualTo(after).isNotEqualTo(frozen);
      assertThat(call.responses.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
    assertThat(types(s)).containsExactly("A", "C");
  }

  @Test
  void shouldEndTheCallWithTheNotLeaderErrorOnANotLeaderFault() throws Exception {
    try (Call call = new Call()) {
      fx.emulator.injectAppendFaults(AppendFault.NOT_LEADER);
      call.send(stream("batch"), noStream(), true, message("A"));
      Throwable error = EmulatorFixture.failure(call.completed);
      assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }
  }

  @Test
  void shouldBeUnimplementedAndUnlistedWhenTurnedOff() throws Exception {
    try (EmulatorFixture off =
        new EmulatorFixture(EmulatorOptions.ephemeral().withBatchAppend(false))) {
      assertThat(
              ServerFeaturesGrpc.newBlockingStub(off.channel())
                  .getSupportedMethods(Shared.Empty.getDefaultInstance())
                  .getMethodsList())
          .extracting(SupportedMethod::getMethodName)
          .contains("append")
          .doesNotContain("batchappend");
      try (Call call = new Call(off)) {
        call.send(stream("batch"), noStream(), true, message("A"));
        Throwable error = EmulatorFixture.failure(call.completed);
        assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
      }
    }
  }

  /** The event types in a stream, none when it does not exist. */
  private static List<String> types(String stream) throws Exception {
    try {
      return fx.read(stream).stream().map(e -> e.getEventType()).toList();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StreamNotFoundException) {
        return List.of();
      }
      throw e;
    }
  }

  private static BatchAppendReq.Options.Builder noStream() {
    return BatchAppendReq.Options.newBuilder().setNoStream(Empty.getDefaultInstance());
  }

  private static BatchAppendReq.Options.Builder any() {
    return BatchAppendReq.Options.newBuilder().setAny(Empty.getDefaultInstance());
  }

  private static BatchAppendReq.ProposedMessage.Builder message(String type) {
    return message(type, "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
  }

  private static BatchAppendReq.ProposedMessage.Builder message(String type, byte[] data) {
    return BatchAppendReq.ProposedMessage.newBuilder()
        .setId(Protos.uuid(UUID.randomUUID(), true))
        .putMetadata("type", type)
        .putMetadata("content-type", "application/json")
        .setData(ByteString.copyFrom(data));
  }

  private static UUID uuid(Shared.UUID wire) {
    return Protos.uuid(wire);
  }

  /** One open BatchAppend call on the raw stub; answers queue up in arrival order. */
  private static final class Call implements AutoCloseable {
    final BlockingQueue<BatchAppendResp> responses = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> completed = new CompletableFuture<>();
    final StreamObserver<BatchAppendReq> requests;

    Call() {
      this(fx);
    }

    Call(EmulatorFixture on) {
      requests =
          StreamsGrpc.newStub(on.channel())
              .batchAppend(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(BatchAppendResp value) {
                      responses.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                      completed.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                      completed.complete(null);
                    }
                  });
    }

    /** The first request of a new id, with its options; returns the id. */
    UUID send(
        String stream,
        BatchAppendReq.Options.Builder options,
        boolean last,
        BatchAppendReq.ProposedMessage.Builder... messages) {
      UUID id = UUID.randomUUID();
      BatchAppendReq.Builder request =
          BatchAppendReq.newBuilder()
              .setCorrelationId(Protos.uuid(id, true))
              .setOptions(options.setStreamIdentifier(Protos.streamIdentifier(stream)))
              .setIsFinal(last);
      for (BatchAppendReq.ProposedMessage.Builder message : messages) {
        request.addProposedMessages(message);
      }
      requests.onNext(request.build());
      return id;
    }

    /** A further request of {@code id}, without options. */
    void sendMore(UUID id, boolean last, BatchAppendReq.ProposedMessage.Builder... messages) {
      BatchAppendReq.Builder request =
          BatchAppendReq.newBuilder().setCorrelationId(Protos.uuid(id, true)).setIsFinal(last);
      for (BatchAppendReq.ProposedMessage.Builder message : messages) {
        request.addProposedMessages(message);
      }
      requests.onNext(request.build());
    }

    BatchAppendResp next() throws InterruptedException {
      BatchAppendResp answer = responses.poll(10, TimeUnit.SECONDS);
      assertThat(answer).as("an answer within 10 s").isNotNull();
      return answer;
    }

    Map<UUID, BatchAppendResp> answers(int count) throws InterruptedException {
      List<BatchAppendResp> all = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        all.add(next());
      }
      return all.stream().collect(Collectors.toMap(r -> uuid(r.getCorrelationId()), r -> r));
    }

    @Override
    public void close() {
      try {
        requests.onCompleted();
      } catch (RuntimeException e) {
        // already ended
      }
    }
  }
}
