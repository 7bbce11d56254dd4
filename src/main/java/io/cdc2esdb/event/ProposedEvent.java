package io.cdc2esdb.event;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * One event as it will be appended: a deterministic id, a type, JSON data and JSON metadata. The
 * {@code data} and {@code metadata} arrays are owned by the event: do not mutate them.
 *
 * @param metadataFields the fields {@code metadata} was written from, when the event was built from
 *     them (else {@code null}), so that a writer that needs the metadata as fields (v2 record
 *     properties) does not parse it again
 */
public record ProposedEvent(
    UUID id, String type, byte[] data, byte[] metadata, EventMetadata metadataFields) {

  /** An event known only by its bytes. */
  public ProposedEvent(UUID id, String type, byte[] data, byte[] metadata) {
    this(id, type, data, metadata, null);
  }

  /** EventStoreDB's default {@code MaxAppendSize}. */
  public static final long DEFAULT_MAX_APPEND_BYTES = 1_048_576;

  public ProposedEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(metadata, "metadata");
  }

  /** The bytes this event counts towards the server's append limit. */
  public long appendSize() {
    return (long) data.length + metadata.length + 2L * type.getBytes(StandardCharsets.UTF_8).length;
  }
}
