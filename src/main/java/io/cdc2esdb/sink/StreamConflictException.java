package io.cdc2esdb.sink;

import io.cdc2esdb.error.DeadLetterCode;
import io.cdc2esdb.error.DeadLetterException;

/**
 * Someone else wrote to a stream: it is not at the revision cdc2esdb expected, and what is there is
 * not cdc2esdb's own earlier write.
 */
public final class StreamConflictException extends DeadLetterException {
  private static final long serialVersionUID = 1L;

  private final String stream;
  private final long expectedRevision;
  private final long actualRevision;

  /**
   * @param expectedRevision the revision cdc2esdb expected ({@code -1}: no stream)
   * @param actualRevision the stream's revision on the server ({@code -1}: no stream)
   * @param why what the read-back found
   */
  public StreamConflictException(
      String stream, long expectedRevision, long actualRevision, String why) {
    super(
        DeadLetterCode.CONFLICT,
        "stream '"
            + stream
            + "' expected at revision "
            + expectedRevision
            + " but is at "
            + actualRevision
            + ": "
            + why);
    this.stream = stream;
    this.expectedRevision = expectedRevision;
    this.actualRevision = actualRevision;
  }

  public String stream() {
    return stream;
  }

  public long expectedRevision() {
    return expectedRevision;
  }

  public long actualRevision() {
    return actualRevision;
  }
}
