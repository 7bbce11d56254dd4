package io.cdc2esdb.sink;

import java.util.UUID;

/** An event as read back from a stream: enough to tell whether it is one of ours. */
public record StoredEvent(String stream, long revision, UUID id, String type) {}
