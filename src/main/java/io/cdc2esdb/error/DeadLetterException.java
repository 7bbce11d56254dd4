package io.cdc2esdb.error;

/**
 * Why one record cannot become an event: the record goes to the dead-letter topic with {@link
 * #code()}, this exception's class and its message, and the pipeline goes on. Subclasses carry what
 * a user needs to act on (the stream, sizes, revisions).
 *
 * <p>These are answers about data, not faults of the program, so they keep no stack trace.
 */
public abstract class DeadLetterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final DeadLetterCode code;

  protected DeadLetterException(DeadLetterCode code, String message, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
  }

  protected DeadLetterException(DeadLetterCode code, String message) {
    this(code, message, null);
  }

  public DeadLetterCode code() {
    return code;
  }
}
