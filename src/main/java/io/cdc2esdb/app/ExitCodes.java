package io.cdc2esdb.app;

/** The exit codes of {@code run}, documented in the README and in {@code run --help}. */
final class ExitCodes {

  /** Stopped on request (SIGTERM, Ctrl-C). */
  static final int STOPPED = 0;

  /** Kafka Streams failed for good, or start-up failed for a reason not listed here. */
  static final int FAILED = 1;

  /** Bad configuration: the one line printed names the key. */
  static final int BAD_CONFIGURATION = 2;

  /** The Kafka cluster did not answer within {@code startup.timeout.ms}. */
  static final int KAFKA_UNREACHABLE = 3;

  /**
   * A topic cdc2esdb needs is missing: the transaction topic, or a dead-letter topic it could not
   * create.
   */
  static final int TOPIC_MISSING = 4;

  private ExitCodes() {}
}
