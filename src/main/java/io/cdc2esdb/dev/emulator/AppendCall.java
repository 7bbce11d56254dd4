package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendResp;
import io.cdc2esdb.dev.emulator.store.ExpectedVersion;
import io.cdc2esdb.dev.emulator.store.NewEvent;
import io.cdc2esdb.dev.emulator.store.WriteResult;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code Streams/Append} call: an options message, then proposed messages, then half-close.
 * Checks each event as it streams in ({@link V1Append}: required metadata, then the running size
 * against the limit), appends on half-close. A wrong expected version is answered in the response
 * body, with the legacy fields set too.
 */
final class AppendCall implements StreamObserver<AppendReq> {

  private final V1Append appends;
  private final InetSocketAddress self;
  private final StreamObserver<AppendResp> response;
  private final List<NewEvent> events = new ArrayList<>();
  private AppendReq.Options options;
  private long size;
  private boolean finished;

  AppendCall(V1Append appends, InetSocketAddress self, StreamObserver<AppendResp> response) {
    this.appends = appends;
    this.self = self;
    this.response = response;
  }

  @Override
  public void onNext(AppendReq request) {
    if (finished) {
      return;
    }
    try {
      if (options == null) {
        if (!request.hasOptions()) {
          throw RpcErrors.invalidArgument("the first message of an append must be its options");
        }
        options = request.getOptions();
        return;
      }
      if (!request.hasProposedMessage()) {
        throw RpcErrors.invalidArgument("expected a proposed message");
      }
      events.add(checked(request.getProposedMessage()));
    } catch (StatusRuntimeException e) {
      fail(e);
    }
  }

  private NewEvent checked(AppendReq.ProposedMessage message) {
    String missing = V1Append.missingMetadata(message.getMetadataMap());
    if (missing != null) {
      throw RpcErrors.missingRequiredMetadata(missing);
    }
    size += V1Append.size(message.getMetadataMap(), message.getData(), message.getCustomMetadata());
    if (size > appends.maxAppendSize()) {
      throw RpcErrors.maximumAppendSizeExceeded(appends.maxAppendSize());
    }
    return V1Append.event(
        message.getId(), message.getMetadataMap(), message.getData(), message.getCustomMetadata());
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
    if (options == null) {
      response.onError(RpcErrors.invalidArgument("an append needs its options"));
      return;
    }
    try {
      String stream = Protos.streamName(options.getStreamIdentifier());
      V1Append.Outcome outcome = appends.write(stream, expected(options), events);
      if (outcome.fault() == AppendFault.NO_ANSWER) {
        return;
      }
      if (outcome.fault() != null) {
        throw faultError(outcome.fault(), self);
      }
      WriteResult result = outcome.result();
      if (result instanceof WriteResult.StreamDeleted) {
        throw RpcErrors.streamDeleted(stream);
      }
      response.onNext(answer(result));
      response.onCompleted();
    } catch (StatusRuntimeException e) {
      response.onError(e);
    }
  }

  private AppendResp answer(WriteResult result) {
    if (result instanceof WriteResult.Success success) {
      AppendResp.Success.Builder ok = AppendResp.Success.newBuilder();
      if (success.lastRevision() < 0) {
        ok.setNoStream(Protos.EMPTY);
      } else {
        ok.setCurrentRevision(success.lastRevision());
      }
      if (success.position() < 0) {
        ok.setNoPosition(Protos.EMPTY);
      } else {
        ok.setPosition(
            AppendResp.Position.newBuilder()
                .setCommitPosition(success.position())
                .setPreparePosition(success.position()));
      }
      return AppendResp.newBuilder().setSuccess(ok).build();
    }
    long current = ((WriteResult.WrongExpectedVersion) result).currentVersion();
    AppendResp.WrongExpectedVersion.Builder wrong = AppendResp.WrongExpectedVersion.newBuilder();
    switch (options.getExpectedStreamRevisionCase()) {
      case ANY -> wrong.setExpectedAny(Protos.EMPTY).setAny2060(Protos.EMPTY);
      case STREAM_EXISTS ->
          wrong.setExpectedStreamExists(Protos.EMPTY).setStreamExists2060(Protos.EMPTY);
      case NO_STREAM -> wrong.setExpectedNoStream(Protos.EMPTY).setExpectedRevision2060(-1L);
      default ->
          wrong
              .setExpectedRevision(options.getRevision())
              .setExpectedRevision2060(options.getRevision());
    }
    if (current < 0) {
      wrong.setCurrentNoStream(Protos.EMPTY).setNoStream2060(Protos.EMPTY);
    } else {
      wrong.setCurrentRevision(current).setCurrentRevision2060(current);
    }
    return AppendResp.newBuilder().setWrongExpectedVersion(wrong).build();
  }

  static long expected(AppendReq.Options options) {
    return switch (options.getExpectedStreamRevisionCase()) {
      case REVISION -> options.getRevision();
      case NO_STREAM -> ExpectedVersion.NO_STREAM;
      case ANY -> ExpectedVersion.ANY;
      case STREAM_EXISTS -> ExpectedVersion.STREAM_EXISTS;
      case EXPECTEDSTREAMREVISION_NOT_SET ->
          throw RpcErrors.invalidArgument("an append needs an expected stream revision");
    };
  }

  /** The error a fault answers with; a not-leader answer names this node itself as the leader. */
  static StatusRuntimeException faultError(AppendFault fault, InetSocketAddress self) {
    return switch (fault) {
      case TIMEOUT, TIMEOUT_AFTER_WRITE -> RpcErrors.timeout();
      case NOT_LEADER -> RpcErrors.notLeader(self.getHostString(), self.getPort());
      case NOT_READY -> RpcErrors.notReady();
      case ACCESS_DENIED -> RpcErrors.accessDenied();
      case NO_ANSWER -> throw new IllegalArgumentException("no answer to give");
    };
  }

  private void fail(StatusRuntimeException error) {
    finished = true;
    response.onError(error);
  }
}
