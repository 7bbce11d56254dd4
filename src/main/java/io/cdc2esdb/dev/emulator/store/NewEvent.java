package io.cdc2esdb.dev.emulator.store;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/** An event proposed for an append: what the client sent, before it has a place in the log. */
public record NewEvent(UUID id, String type, boolean json, byte[] data, byte[] metadata) {

  public NewEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(metadata, "metadata");
  }

  /** A JSON event with no custom metadata. */
  public static NewEvent json(UUID id, String type, String data) {
    return new NewEvent(id, type, true, data.getBytes(StandardCharsets.UTF_8), new byte[0]);
  }
}
