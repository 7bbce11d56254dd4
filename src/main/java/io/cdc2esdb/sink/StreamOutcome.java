package io.cdc2esdb.sink;

import java.util.List;

/**
 * What became of one stream's batch: the stream's last revision afterwards ({@code -1}: no stream)
 * and the events that were dead-lettered instead of written. Every other event of the batch is in
 * the stream (written now, or found there from an earlier attempt).
 */
public record StreamOutcome(String stream, long lastRevision, List<DeadLetter> deadLetters) {
  public StreamOutcome {
    deadLetters = List.copyOf(deadLetters);
  }
}
