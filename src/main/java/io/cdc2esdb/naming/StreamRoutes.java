package io.cdc2esdb.naming;

import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.Operation;

/**
 * Which stream a change goes to: a row's own stream by its primary key, the table's stream for
 * truncates (and for rows of key-less tables when so configured), or none, for a key-less row that
 * must be dead-lettered. The topology's rekey step and {@code verify} both route through here, so
 * what {@code verify} expects is what the topology writes.
 */
public final class StreamRoutes {

  /** Where one change goes. */
  public sealed interface Route {}

  /** To this stream. */
  public record ToStream(String stream) implements Route {}

  /** Nowhere: the row has no primary key and key-less rows are dead-lettered. */
  public record MissingKey(String db, String table) implements Route {}

  private final StreamNaming naming;
  private final boolean keylessToTableStream;

  /**
   * @param keylessToTableStream true to write rows without a primary key to their table's stream,
   *     false to dead-letter them
   */
  public StreamRoutes(StreamNaming naming, boolean keylessToTableStream) {
    this.naming = naming;
    this.keylessToTableStream = keylessToTableStream;
  }

  public Route route(ChangeEvent event) {
    String db = event.source().db();
    String table = event.source().table();
    boolean keyless = event.key() == null || event.key().isEmpty();
    if (event.op() == Operation.TRUNCATE || (keyless && keylessToTableStream)) {
      return new ToStream(naming.tableStreamName(db, table));
    }
    if (keyless) {
      return new MissingKey(db, table);
    }
    return new ToStream(naming.streamName(db, table, event.key()));
  }

  public StreamNaming naming() {
    return naming;
  }
}
