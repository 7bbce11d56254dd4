package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.proto.shared.Shared;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.BatchAppendReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.BatchAppendResp;
import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.cdc2esdb.dev.emulator.store.ExpectedVersion;
import io.cdc2esdb.dev.emulator.store.NewEvent;
import io.cdc2esdb.dev.emulator.store.WriteResult;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One {@code Streams/BatchAppend} call: many single-stream appends on one bidirectional stream,
 * each tagged by a correlation id. The first request of an id carries its options (stream, expected
 * revision, deadline); its proposed messages may be spread over several requests, the last with
 * {@code is_final}; a request for an unknown id without options is ignored. Each id gets one
 * answer, in completion order, with the id and the stream: {@code Success} or a {@code
 * google.rpc.Status} whose details say why ({@code WrongExpectedVersion}, {@code StreamDeleted},
 * {@code MaximumAppendSizeExceeded} as soon as the running size passes the limit, {@code Timeout}
 * for a deadline already past, {@code AccessDenied}, {@code BadRequest}, {@code Empty} when not
 * ready). The write itself, its checks and its faults are {@link V1Append}'s, as for {@code
 * Streams/Append}. A not-leader fault ends the whole call with the not-leader error, as the server
 * does. On half-close the call completes: every finished append has been answered by then.
 */
final class BatchAppendCall implements StreamObserver<BatchAppendReq> {

  private final V1Append appends;
  private final InetSocketAddress self;
  private final StreamObserver<BatchAppendResp> response;
  private final Map<UUID, Pending> pending = new HashMap<>();
  private boolean finished;

  BatchAppendCall(V1Append appends, InetSocketAddress self, StreamObserver<BatchAppendResp> call) {
    this.appends = appends;
    this.self = self;
    this.response = call;
  }

  /** An append whose final request has not come yet. */
  private static final class Pending {
    final BatchAppendReq.Options options;
    final List<NewEvent> events = new ArrayList<>();
    long size;

    Pending(BatchAppendReq.Options options) {
      this.options = options;
    }
  }

  @Override
  public void onNext(BatchAppendReq request) {
    if (finished) {
      return;
    }
    if (!request.hasCorrelationId()) {
      finished = true;
      response.onError(RpcErrors.invalidArgument("a batch append request needs a correlation id"));
      return;
    }
    UUID id = Protos.uuid(request.getCorrelationId());
    Pending append = pending.get(id);
    if (append == null) {
      if (!request.hasOptions()) {
        return;
      }
      append = new Pending(request.getOptions());
      if (expired(append.options)) {
        answer(
            request.getCorrelationId(),
            append.options,
            error(Code.DEADLINE_EXCEEDED, "Timeout", Shared.Timeout.getDefaultInstance()));
        return;
      }
      if (append.options.getExpectedStreamPositionCase()
          == BatchAppendReq.Options.ExpectedStreamPositionCase.EXPECTEDSTREAMPOSITION_NOT_SET) {
        answer(
            request.getCorrelationId(),
            append.options,
            badRequest("an append needs an expected stream position"));
        return;
      }
      pending.put(id, append);
    }
    for (BatchAppendReq.ProposedMessage message : request.getProposedMessagesList()) {
      String missing = V1Append.missingMetadata(message.getMetadataMap());
      if (missing != null) {
        pending.remove(id);
        answer(
            request.getCorrelationId(),
            append.options,
            badRequest("Required Metadata Property '" + missing + "' is missing"));
        return;
      }
      append.size +=
          V1Append.size(message.getMetadataMap(), message.getData(), message.getCustomMetadata());
      if (append.size > appends.maxAppendSize()) {
        pending.remove(id);
        answer(
            request.getCorrelationId(),
            append.options,
            error(
                Code.INVALID_ARGUMENT,
                "MaximumAppendSizeExceeded",
                Shared.MaximumAppendSizeExceeded.newBuilder()
                    .setMaxAppendSize((int) Math.min(Integer.MAX_VALUE, appends.maxAppendSize()))
                    .build()));
        return;
      }
      append.events.add(
          V1Append.event(
              message.getId(),
              message.getMetadataMap(),
              message.getData(),
              message.getCustomMetadata()));
    }
    if (request.getIsFinal()) {
      pending.remove(id);
      write(request.getCorrelationId(), append);
    }
  }

  private void write(Shared.UUID id, Pending append) {
    String stream = Protos.streamName(append.options.getStreamIdentifier());
    V1Append.Outcome outcome = appends.write(stream, expected(append.options), append.events);
    AppendFault fault = outcome.fault();
    if (fault == AppendFault.NO_ANSWER) {
      return;
    }
    if (fault == AppendFault.NOT_LEADER) {
      finished = true;
      response.onError(RpcErrors.notLeader(self.getHostString(), self.getPort()));
      return;
    }
    if (fault != null) {
      answer(id, append.options, faultError(fault));
      return;
    }
    BatchAppendResp.Builder answer = BatchAppendResp.newBuilder();
    WriteResult result = outcome.result();
    if (result instanceof WriteResult.Success success) {
      BatchAppendResp.Success.Builder ok = BatchAppendResp.Success.newBuilder();
      if (success.lastRevision() < 0) {
        ok.setNoStream(Empty.getDefaultInstance());
      } else {
        ok.setCurrentRevision(success.lastRevision());
      }
      if (success.position() < 0) {
        ok.setNoPosition(Empty.getDefaultInstance());
      } else {
        ok.setPosition(
            Shared.AllStreamPosition.newBuilder()
                .setCommitPosition(success.position())
                .setPreparePosition(success.position()));
      }
      answer.setSuccess(ok);
    } else if (result instanceof WriteResult.WrongExpectedVersion wrong) {
      answer.setError(
          error(Code.ALREADY_EXISTS, "WrongExpectedVersion", wrongExpected(append, wrong)));
    } else {
      answer.setError(
          error(
              Code.NOT_FOUND,
              "StreamDeleted",
              Shared.StreamDeleted.newBuilder()
                  .setStreamIdentifier(append.options.getStreamIdentifier())
                  .build()));
    }
    send(id, append.options, answer);
  }

  private static Shared.WrongExpectedVersion wrongExpected(
      Pending append, WriteResult.WrongExpectedVersion wrong) {
    Shared.WrongExpectedVersion.Builder details = Shared.WrongExpectedVersion.newBuilder();
    if (wrong.currentVersion() < 0) {
      details.setCurrentNoStream(Empty.getDefaultInstance());
    } else {
      details.setCurrentStreamRevision(wrong.currentVersion());
    }
    BatchAppendReq.Options options = append.options;
    switch (options.getExpectedStreamPositionCase()) {
      case STREAM_POSITION -> details.setExpectedStreamPosition(options.getStreamPosition());
      case NO_STREAM -> details.setExpectedNoStream(Empty.getDefaultInstance());
      case STREAM_EXISTS -> details.setExpectedStreamExists(Empty.getDefaultInstance());
      default -> details.setExpectedAny(Empty.getDefaultInstance());
    }
    return details.build();
  }

  private static boolean expired(BatchAppendReq.Options options) {
    return switch (options.getDeadlineOptionCase()) {
      case DEADLINE ->
          options.getDeadline().getSeconds() < 0
              || (options.getDeadline().getSeconds() == 0 && options.getDeadline().getNanos() <= 0);
      case DEADLINE_21_10_0 ->
          !Instant.ofEpochSecond(
                  options.getDeadline21100().getSeconds(), options.getDeadline21100().getNanos())
              .isAfter(Instant.now());
      case DEADLINEOPTION_NOT_SET -> false;
    };
  }

  private static long expected(BatchAppendReq.Options options) {
    return switch (options.getExpectedStreamPositionCase()) {
      case STREAM_POSITION -> options.getStreamPosition();
      case NO_STREAM -> ExpectedVersion.NO_STREAM;
      case STREAM_EXISTS -> ExpectedVersion.STREAM_EXISTS;
      default -> ExpectedVersion.ANY;
    };
  }

  private static com.google.rpc.Status faultError(AppendFault fault) {
    return switch (fault) {
      case TIMEOUT, TIMEOUT_AFTER_WRITE ->
          error(Code.DEADLINE_EXCEEDED, "Timeout", Shared.Timeout.getDefaultInstance());
      case NOT_READY -> error(Code.UNAVAILABLE, "Server Is Not Ready", Empty.getDefaultInstance());
      case ACCESS_DENIED ->
          error(Code.PERMISSION_DENIED, "AccessDenied", Shared.AccessDenied.getDefaultInstance());
      case NOT_LEADER, NO_ANSWER -> throw new IllegalArgumentException("not an answer: " + fault);
    };
  }

  private static com.google.rpc.Status badRequest(String message) {
    return error(
        Code.INVALID_ARGUMENT,
        "BadRequest",
        Shared.BadRequest.newBuilder().setMessage(message).build());
  }

  private static com.google.rpc.Status error(Code code, String message, Message details) {
    return com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber())
        .setMessage(message)
        .addDetails(Any.pack(details))
        .build();
  }

  private void answer(Shared.UUID id, BatchAppendReq.Options options, com.google.rpc.Status error) {
    send(id, options, BatchAppendResp.newBuilder().setError(error));
  }

  private void send(
      Shared.UUID id, BatchAppendReq.Options options, BatchAppendResp.Builder answer) {
    answer.setCorrelationId(id).setStreamIdentifier(options.getStreamIdentifier());
    switch (options.getExpectedStreamPositionCase()) {
      case STREAM_POSITION -> answer.setStreamPosition(options.getStreamPosition());
      case NO_STREAM -> answer.setNoStream(Empty.getDefaultInstance());
      case STREAM_EXISTS -> answer.setStreamExists(Empty.getDefaultInstance());
      case ANY -> answer.setAny(Empty.getDefaultInstance());
      case EXPECTEDSTREAMPOSITION_NOT_SET -> {}
    }
    response.onNext(answer.build());
  }

  @Override
  public void onError(Throwable t) {
    finished = true;
  }

  @Override
  public void onCompleted() {
    if (finished) {
      return;
    }
    finished = true;
    response.onCompleted();
  }
}
