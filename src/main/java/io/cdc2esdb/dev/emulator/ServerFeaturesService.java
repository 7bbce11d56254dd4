package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.proto.serverfeatures.ServerFeaturesGrpc;
import com.eventstore.dbclient.proto.serverfeatures.Serverfeatures.SupportedMethod;
import com.eventstore.dbclient.proto.serverfeatures.Serverfeatures.SupportedMethods;
import com.eventstore.dbclient.proto.shared.Shared;
import io.grpc.stub.StreamObserver;

/**
 * Tells the client which server it talks to (a 24.10 version, so version-gated behaviour is on) and
 * which methods it offers: no BatchAppend, no persistent subscriptions.
 */
final class ServerFeaturesService extends ServerFeaturesGrpc.ServerFeaturesImplBase {

  static final String VERSION = "24.10.0";

  @Override
  public void getSupportedMethods(Shared.Empty request, StreamObserver<SupportedMethods> response) {
    SupportedMethods.Builder methods =
        SupportedMethods.newBuilder().setEventStoreServerVersion(VERSION);
    for (String method : new String[] {"read", "append", "delete", "tombstone"}) {
      methods.addMethods(method("event_store.client.streams.streams", method));
    }
    methods.addMethods(method("event_store.client.gossip.gossip", "read"));
    methods.addMethods(
        method("event_store.client.server_features.serverfeatures", "getsupportedmethods"));
    response.onNext(methods.build());
    response.onCompleted();
  }

  private static SupportedMethod method(String service, String name) {
    return SupportedMethod.newBuilder().setServiceName(service).setMethodName(name).build();
  }
}
