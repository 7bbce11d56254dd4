package io.cdc2esdb.txn;

import io.cdc2esdb.envelope.ChangeEvent;

/**
 * A change released from the pending buffer, with its transaction's event count when its END was
 * seen ({@code null} otherwise: no transaction, or released by the wait bound).
 */
public record ReleasedEvent(long sequence, String stream, ChangeEvent event, Long eventCount) {}
