package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.proto.gossip.GossipGrpc;
import com.eventstore.dbclient.proto.gossip.GossipOuterClass.ClusterInfo;
import com.eventstore.dbclient.proto.gossip.GossipOuterClass.EndPoint;
import com.eventstore.dbclient.proto.gossip.GossipOuterClass.MemberInfo;
import com.eventstore.dbclient.proto.shared.Shared;
import io.cdc2esdb.dev.emulator.store.EventRecord;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/** A cluster of one: the emulator itself, alive and leader, at the address clients reach it on. */
final class GossipService extends GossipGrpc.GossipImplBase {

  private final UUID instanceId = UUID.randomUUID();
  private final Supplier<InetSocketAddress> self;

  GossipService(Supplier<InetSocketAddress> self) {
    this.self = self;
  }

  @Override
  public void read(Shared.Empty request, StreamObserver<ClusterInfo> response) {
    InetSocketAddress address = self.get();
    MemberInfo member =
        MemberInfo.newBuilder()
            .setInstanceId(Protos.uuid(instanceId, true))
            .setTimeStamp(EventRecord.ticks(Instant.now()))
            .setState(MemberInfo.VNodeState.Leader)
            .setIsAlive(true)
            .setHttpEndPoint(
                EndPoint.newBuilder()
                    .setAddress(address.getHostString())
                    .setPort(address.getPort()))
            .build();
    response.onNext(ClusterInfo.newBuilder().addMembers(member).build());
    response.onCompleted();
  }
}
