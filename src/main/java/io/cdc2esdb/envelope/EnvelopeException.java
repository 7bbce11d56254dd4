package io.cdc2esdb.envelope;

/**
 * A record that cannot be read as a Debezium change event. {@link #kind()} names what is wrong in a
 * stable, machine-readable way (it becomes the dead-letter {@code error} header); the message says
 * it for people.
 */
public final class EnvelopeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with a record. */
  public enum Kind {
    MALFORMED_JSON("malformed-json"),
    NOT_AN_OBJECT("not-an-object"),
    MISSING_FIELD("missing-field"),
    UNKNOWN_OP("unknown-op"),
    KEY_NOT_AN_OBJECT("key-not-an-object"),
    MISSING_KEY("missing-key");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private final Kind kind;

  public EnvelopeException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public EnvelopeException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
