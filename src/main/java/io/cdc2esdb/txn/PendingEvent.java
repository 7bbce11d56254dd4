package io.cdc2esdb.txn;

import io.cdc2esdb.envelope.ChangeEvent;

/**
 * A change waiting in the {@code pending} buffer: its stream, the change, and when (wall-clock) it
 * was buffered, which bounds how long it may wait for its transaction's END.
 */
public record PendingEvent(String stream, ChangeEvent event, long bufferedAtMs) {}
