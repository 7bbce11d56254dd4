package io.cdc2esdb.dev.emulator;

import static io.cdc2esdb.dev.emulator.EmulatorFixture.event;
import static io.cdc2esdb.dev.emulator.EmulatorFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.proto.gossip.GossipGrpc;
import com.eventstore.dbclient.proto.gossip.GossipOuterClass.ClusterInfo;
import com.eventstore.dbclient.proto.gossip.GossipOuterClass.MemberInfo;
import com.eventstore.dbclient.proto.serverfeatures.ServerFeaturesGrpc;
import com.eventstore.dbclient.proto.serverfeatures.Serverfeatures.SupportedMethods;
import com.eventstore.dbclient.proto.shared.Shared;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The emulator as a node: server features, gossip, discovery and credentials. */
class ClusterConformanceTest {

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
  void shouldReportTheDefaultServerVersionWithBatchAppend() {
    SupportedMethods methods =
        ServerFeaturesGrpc.newBlockingStub(fx.channel())
            .getSupportedMethods(Shared.Empty.getDefaultInstance());
    assertThat(methods.getEventStoreServerVersion()).isEqualTo("26.0.3");
    assertThat(methods.getMethodsList())
        .extracting(m -> m.getServiceName() + "/" + m.getMethodName())
        // Servers have had BatchAppend since 21.10 (--no-batch-append leaves it out).
        .contains(
            "event_store.client.streams.streams/append",
            "event_store.client.streams.streams/batchappend");
  }

  @Test
  void shouldGossipOneAliveLeaderAtItsOwnAddress() {
    ClusterInfo info =
        GossipGrpc.newBlockingStub(fx.channel()).read(Shared.Empty.getDefaultInstance());
    assertThat(info.getMembersList()).hasSize(1);
    MemberInfo self = info.getMembers(0);
    assertThat(self.getState()).isEqualTo(MemberInfo.VNodeState.Leader);
    assertThat(self.getIsAlive()).isTrue();
    assertThat(self.getHttpEndPoint().getAddress()).isEqualTo("127.0.0.1");
    assertThat(self.getHttpEndPoint().getPort()).isEqualTo(fx.emulator.port());
  }

  @Test
  void shouldServeAClientThatDiscoversTheLeaderThroughGossip() throws Exception {
    EventStoreDBClient discovering =
        EventStoreDBClient.create(
            EventStoreDBConnectionString.parseOrThrow(
                "esdb+discover://127.0.0.1:" + fx.emulator.port() + "?tls=false"));
    try {
      String s = stream("cluster");
      discovering
          .appendToStream(
              s,
              AppendToStreamOptions.get().expectedRevision(ExpectedRevision.noStream()),
              event("A"))
          .get(10, TimeUnit.SECONDS);
      assertThat(fx.read(s)).hasSize(1);
    } finally {
      discovering.shutdown().get();
    }
  }

  @Test
  void shouldAcceptBasicAuthCredentials() throws Exception {
    EventStoreDBClient authenticated =
        EventStoreDBClient.create(
            EventStoreDBConnectionString.parseOrThrow(
                "esdb://admin:changeit@127.0.0.1:" + fx.emulator.port() + "?tls=false"));
    try {
      String s = stream("cluster");
      authenticated
          .appendToStream(
              s,
              AppendToStreamOptions.get()
                  .expectedRevision(ExpectedRevision.noStream())
                  .authenticated("ops", "secret"),
              event("A"))
          .get(10, TimeUnit.SECONDS);
      assertThat(authenticated.readStream(s, ReadStreamOptions.get()).get().getEvents()).hasSize(1);
    } finally {
      authenticated.shutdown().get();
    }
  }

  @Test
  void shouldCountTheCpuOfItsOwnThreads() throws Exception {
    long before = fx.emulator.cpuNanos();
    String s = stream("cpu");
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    for (int i = 1; i < 20; i++) {
      fx.append(s, ExpectedRevision.expectedRevision(i - 1), event("A"));
    }
    assertThat(fx.emulator.cpuNanos()).isGreaterThan(before);
  }
}
