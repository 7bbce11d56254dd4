package io.cdc2esdb.sink;

import java.util.UUID;

/**
 * An event read back with its content. For a link ({@code $ce-…}, {@code $bc-…}) read with links
 * resolved, this is the event the link points to: its own stream and revision.
 *
 * @param data the event's bytes as stored (JSON for everything cdc2esdb writes)
 * @param metadata the event's user metadata as stored, possibly empty
 */
public record ReadEvent(
    String stream, long revision, String type, UUID id, byte[] data, byte[] metadata) {}
