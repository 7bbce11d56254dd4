package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.proto.serverfeatures.ServerFeaturesGrpc;
import com.eventstore.dbclient.proto.serverfeatures.Serverfeatures.SupportedMethod;
import com.eventstore.dbclient.proto.serverfeatures.Serverfeatures.SupportedMethods;
import com.eventstore.dbclient.proto.shared.Shared;
import io.grpc.stub.StreamObserver;

/**
 * Tells the client which server it talks to ({@link ServerVersion#reported()}, 24.10 or later, so
 * version-gated behaviour is on) and which methods it offers: v1 {@code batchappend} (all the
 * versions played are 21.10 or later; unless turned off), no persistent subscriptions, and the v2
 * {@code appendsession} from 25.1 on (which is what {@code kurrentdb-client} looks for before it
 * allows {@code multiStreamAppend}).
 */
final class ServerFeaturesService extends ServerFeaturesGrpc.ServerFeaturesImplBase {

  static final String V2_STREAMS_SERVICE = "kurrentdb.protocol.v2.streams.streamsservice";

  private final ServerVersion version;
  private final boolean batchAppend;

  ServerFeaturesService(ServerVersion version, boolean batchAppend) {
    this.version = version;
    this.batchAppend = batchAppend;
  }

  @Override
  public void getSupportedMethods(Shared.Empty request, StreamObserver<SupportedMethods> response) {
    SupportedMethods.Builder methods =
        SupportedMethods.newBuilder().setEventStoreServerVersion(version.reported());
    for (String method : new String[] {"read", "append", "delete", "tombstone"}) {
      methods.addMethods(method("event_store.client.streams.streams", method));
    }
    if (batchAppend) {
      methods.addMethods(method("event_store.client.streams.streams", "batchappend"));
    }
    methods.addMethods(method("event_store.client.gossip.gossip", "read"));
    methods.addMethods(
        method("event_store.client.server_features.serverfeatures", "getsupportedmethods"));
    if (version.servesAppendSession()) {
      methods.addMethods(method(V2_STREAMS_SERVICE, "appendsession"));
    }
    response.onNext(methods.build());
    response.onCompleted();
  }

  private static SupportedMethod method(String service, String name) {
    return SupportedMethod.newBuilder().setServiceName(service).setMethodName(name).build();
  }
}
