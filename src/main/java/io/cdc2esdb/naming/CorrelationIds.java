package io.cdc2esdb.naming;

import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.SourcePosition;

/**
 * The {@code $correlationId} of an event: its database transaction, so that EventStoreDB's {@code
 * $by_correlation_id} projection gathers a whole transaction in {@code $bc-<id>}.
 *
 * <ul>
 *   <li>the Debezium transaction id (the GTID) when the change has a transaction block;
 *   <li>else the source GTID (connectors without transaction metadata still report it);
 *   <li>for snapshot rows, which belong to no transaction, {@code snapshot:<server>:<binlog
 *       file>:<pos>}: the same for every row of one snapshot run (they share the binlog position
 *       the snapshot was taken at) and different for the next run;
 *   <li>else {@code binlog:<server>:<file>:<pos>}, the row event's position.
 * </ul>
 */
public final class CorrelationIds {

  private CorrelationIds() {}

  public static String correlationId(ChangeEvent event) {
    if (event.transaction() != null) {
      return event.transaction().id();
    }
    SourcePosition s = event.source();
    if (s.readBySnapshot()) {
      return "snapshot:" + s.server() + ":" + s.file() + ":" + s.pos();
    }
    if (s.gtid() != null) {
      return s.gtid();
    }
    return "binlog:" + s.server() + ":" + s.file() + ":" + s.pos();
  }
}
