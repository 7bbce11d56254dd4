package io.cdc2esdb.dev.emulator;

import io.cdc2esdb.dev.emulator.store.EmulatorStore;
import io.grpc.stub.StreamObserver;
import io.kurrentdb.protocol.v2.streams.AppendRequest;
import io.kurrentdb.protocol.v2.streams.AppendSessionResponse;
import io.kurrentdb.protocol.v2.streams.StreamsServiceGrpc;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * KurrentDB's v2 {@code StreamsService} (25.1 and later): {@code AppendSession}, a multi-stream
 * atomic append, on the same store as the v1 service, on the generated stubs {@code
 * kurrentdb-client} ships. Appends take injected faults from the same queue as v1 appends.
 */
final class AppendSessionService extends StreamsServiceGrpc.StreamsServiceImplBase {

  private final EmulatorStore store;
  private final long maxAppendSize;
  private final long maxAppendEventSize;
  private final ServerVersion version;
  private final Supplier<AppendFault> faults;
  private final Supplier<InetSocketAddress> self;

  AppendSessionService(
      EmulatorStore store,
      long maxAppendSize,
      long maxAppendEventSize,
      ServerVersion version,
      Supplier<AppendFault> faults,
      Supplier<InetSocketAddress> self) {
    this.store = store;
    this.maxAppendSize = maxAppendSize;
    this.maxAppendEventSize = maxAppendEventSize;
    this.version = version;
    this.faults = faults;
    this.self = self;
  }

  @Override
  public StreamObserver<AppendRequest> appendSession(
      StreamObserver<AppendSessionResponse> response) {
    return new AppendSessionCall(
        store, maxAppendSize, maxAppendEventSize, version, faults, self.get(), response);
  }
}
