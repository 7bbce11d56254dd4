package io.cdc2esdb.sink;

import io.cdc2esdb.envelope.SourcePosition;

/**
 * What the {@code stream-positions} store keeps per stream.
 *
 * @param lastRevision the stream's last revision as of our last append ({@code -1}: no stream); the
 *     next append expects exactly this
 * @param lastSource the high-water mark: the source position of the last change handled (written or
 *     dead-lettered); changes at or below it are skipped as already handled
 * @param lastEventId the id of the last event written
 * @param lastTransaction the transaction of the last change handled
 * @param eventsWritten how many events cdc2esdb wrote to the stream
 * @param updatedAtMs wall-clock time of the last update
 */
public record StreamPosition(
    long lastRevision,
    SourcePosition lastSource,
    String lastEventId,
    String lastTransaction,
    long eventsWritten,
    long updatedAtMs) {

  /** The revision the next append must expect. */
  public long expectedRevision() {
    return lastRevision < 0 ? AppendRequest.NO_STREAM : lastRevision;
  }
}
