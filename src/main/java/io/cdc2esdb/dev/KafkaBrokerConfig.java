package io.cdc2esdb.dev;

import java.nio.file.Path;
import java.util.Properties;

/** The settings of the single-node embedded broker, kept apart so they can be read in one place. */
final class KafkaBrokerConfig {

  /**
   * The largest record batch the broker takes, and so the largest request the dev producers send: a
   * record of {@link EmbeddedKafka#MAX_RECORD_BYTES} plus room for its batch header and headers.
   * Debezium deployments that capture large rows raise Connect's producer and the broker to this
   * order; the broker's default (1 MiB) would refuse a 2 MB row at once.
   */
  static final int MAX_MESSAGE_BYTES = EmbeddedKafka.MAX_RECORD_BYTES + 256 * 1024;

  private KafkaBrokerConfig() {}

  static Properties properties(Path logDir, int port, int controllerPort) {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@" + Loopback.HOST + ":" + controllerPort);
    p.setProperty(
        "listeners",
        "PLAINTEXT://"
            + Loopback.HOST
            + ":"
            + port
            + ",CONTROLLER://"
            + Loopback.HOST
            + ":"
            + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://" + Loopback.HOST + ":" + port);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("log.dirs", logDir.toString());

    // One node: every internal topic has one replica. Few partitions keep start-up and the first
    // consumer group or transaction fast on a small machine.
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("transaction.state.log.num.partitions", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("default.replication.factor", "1");
    p.setProperty("min.insync.replicas", "1");
    p.setProperty("num.partitions", "1");
    p.setProperty("auto.create.topics.enable", "true");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
    p.setProperty("replica.fetch.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));

    // The cleaner's dedupe buffer defaults to 128 MiB of heap; compacted changelogs here are tiny.
    p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
    return p;
  }
}
