package io.cdc2esdb.processing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The one fault-injection point, for the fault suite only: halt the JVM right after EventStoreDB
 * acknowledged an append and before anything of it is recorded in Kafka (stream-positions, pending,
 * offsets), the moment that exactly-once in effect must survive. Off unless the JVM was started
 * with the system property {@value #HALT_AFTER_ACKS} (a count of acknowledged appends), which only
 * the dev fault runner sets; no configuration key reaches it.
 */
public final class FaultInjection {

  /** System property: halt after this many acknowledged appends. */
  public static final String HALT_AFTER_ACKS = "cdc2esdb.fault.halt-after-acks";

  /** The exit status of the halted JVM, so that the runner can tell it from a crash. */
  public static final int HALT_STATUS = 86;

  private static final long HALT_AT = Long.getLong(HALT_AFTER_ACKS, 0L);
  private static final AtomicLong ACKS = new AtomicLong();

  private FaultInjection() {}

  /** Called on the stream thread once an append is acknowledged, before it is recorded. */
  public static void afterAppendAcknowledged() {
    if (HALT_AT > 0 && ACKS.incrementAndGet() == HALT_AT) {
      System.err.println("fault injection: halting after acknowledged append #" + HALT_AT);
      System.err.flush();
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }
}
