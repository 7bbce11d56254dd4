package io.cdc2esdb.envelope;

import io.cdc2esdb.error.DeadLetterCode;
import io.cdc2esdb.error.DeadLetterException;

/**
 * A record that cannot be read as a Debezium change event. {@link #code()} names what is wrong
 * ({@link DeadLetterCode#MALFORMED_JSON}, {@link DeadLetterCode#MISSING_FIELD}, ...); the message
 * says it for people.
 */
public final class EnvelopeException extends DeadLetterException {
  private static final long serialVersionUID = 1L;

  public EnvelopeException(DeadLetterCode code, String message) {
    super(code, message);
  }

  public EnvelopeException(DeadLetterCode code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
