package io.cdc2esdb.sink;

import io.cdc2esdb.error.DeadLetterCode;
import io.cdc2esdb.error.DeadLetterException;
import io.cdc2esdb.event.ProposedEvent;

/** An event that could not be written, and why. */
public record DeadLetter(ProposedEvent event, DeadLetterException reason) {

  public DeadLetterCode code() {
    return reason.code();
  }
}
