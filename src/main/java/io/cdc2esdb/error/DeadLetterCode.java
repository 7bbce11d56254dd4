package io.cdc2esdb.error;

/**
 * Every reason a change record goes to the dead-letter topic. The {@link #code()} is the stable
 * value of the {@code __cdc2esdb.error} header a consumer can switch on; the README's table of
 * codes is checked against this enumeration.
 */
public enum DeadLetterCode {
  MALFORMED_JSON("malformed-json", "the record's key or value is not valid JSON"),
  NOT_AN_OBJECT("not-an-object", "the value is JSON but not an object"),
  MISSING_FIELD(
      "missing-field", "a field the envelope needs (op, source, before/after) is missing"),
  UNKNOWN_OP("unknown-op", "the envelope's op is none of c, u, d, r, t"),
  KEY_NOT_AN_OBJECT("key-not-an-object", "the record key is not a JSON object of key columns"),
  MISSING_KEY(
      "missing-key",
      "a row of a table without a primary key, under missing.key.policy=dead-letter"),
  EVENT_TOO_LARGE("event-too-large", "the event is larger than esdb.max.append.bytes"),
  STREAM_DELETED("stream-deleted", "the target stream is tombstoned in EventStoreDB"),
  CONFLICT("conflict", "someone else wrote to the stream at the revision cdc2esdb expected"),
  REJECTED("rejected", "EventStoreDB refused the event for another reason it named");

  private final String code;
  private final String meaning;

  DeadLetterCode(String code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  /** The header value, e.g. {@code malformed-json}. */
  public String code() {
    return code;
  }

  /** What it means, for people (the README's table). */
  public String meaning() {
    return meaning;
  }
}
