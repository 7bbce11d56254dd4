package io.cdc2esdb.txn;

/**
 * How the grouping processor buffers and releases.
 *
 * @param pendingStore the name of its own {@code pending} store
 * @param transactionsStore the name of the global {@code transactions} store it reads
 * @param maxWaitMs how long (wall-clock) a change may wait for its transaction's END
 * @param flushIntervalMs how often (wall-clock) released changes are appended
 * @param flushMaxEvents about the most events one flush takes (whole transactions)
 * @param maxPendingEvents above this many buffered, the input waits for EventStoreDB (bounded)
 */
public record GroupSettings(
    String pendingStore,
    String transactionsStore,
    long maxWaitMs,
    long flushIntervalMs,
    int flushMaxEvents,
    long maxPendingEvents) {}
