package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.proto.shared.Shared;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import com.google.protobuf.ByteString;
import io.cdc2esdb.dev.emulator.store.EventRecord;
import io.cdc2esdb.dev.emulator.store.ResolvedRecord;
import java.util.UUID;

/** Translations between the wire types of the client's protos and the store's records. */
final class Protos {

  static final Shared.Empty EMPTY = Shared.Empty.getDefaultInstance();
  static final String APPLICATION_JSON = "application/json";
  static final String APPLICATION_OCTET_STREAM = "application/octet-stream";

  private Protos() {}

  static UUID uuid(Shared.UUID wire) {
    return switch (wire.getValueCase()) {
      case STRUCTURED ->
          new UUID(
              wire.getStructured().getMostSignificantBits(),
              wire.getStructured().getLeastSignificantBits());
      case STRING -> UUID.fromString(wire.getString());
      case VALUE_NOT_SET -> throw new IllegalArgumentException("event id missing");
    };
  }

  static Shared.UUID uuid(UUID id, boolean structured) {
    if (!structured) {
      return Shared.UUID.newBuilder().setString(id.toString()).build();
    }
    return Shared.UUID
        .newBuilder()
        .setStructured(
            Shared.UUID
                .Structured
                .newBuilder()
                .setMostSignificantBits(id.getMostSignificantBits())
                .setLeastSignificantBits(id.getLeastSignificantBits()))
        .build();
  }

  static String streamName(Shared.StreamIdentifier id) {
    return id.getStreamName().toStringUtf8();
  }

  static Shared.StreamIdentifier streamIdentifier(String stream) {
    return Shared.StreamIdentifier.newBuilder()
        .setStreamName(ByteString.copyFromUtf8(stream))
        .build();
  }

  static ReadResp event(ResolvedRecord resolved, boolean structuredIds) {
    ReadResp.ReadEvent.Builder event =
        ReadResp.ReadEvent.newBuilder().setCommitPosition(resolved.original().position());
    if (resolved.event() != null) {
      event.setEvent(recorded(resolved.event(), structuredIds));
    }
    if (resolved.link() != null) {
      event.setLink(recorded(resolved.link(), structuredIds));
    }
    return ReadResp.newBuilder().setEvent(event).build();
  }

  private static ReadResp.ReadEvent.RecordedEvent recorded(EventRecord r, boolean structuredIds) {
    return ReadResp.ReadEvent.RecordedEvent.newBuilder()
        .setId(uuid(r.id(), structuredIds))
        .setStreamIdentifier(streamIdentifier(r.stream()))
        .setStreamRevision(r.revision())
        .setCommitPosition(r.position())
        .setPreparePosition(r.position())
        .putMetadata("type", r.type())
        .putMetadata("created", Long.toString(r.createdTicks()))
        .putMetadata("content-type", r.json() ? APPLICATION_JSON : APPLICATION_OCTET_STREAM)
        .setData(ByteString.copyFrom(r.data()))
        .setCustomMetadata(ByteString.copyFrom(r.metadata()))
        .build();
  }
}
