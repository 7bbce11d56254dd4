package io.cdc2esdb.dev;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Whether a connector has finished its snapshot and reads the binlog, from the streaming metrics
 * Debezium registers over JMX ({@code debezium.<connector>:type=connector-metrics,
 * context=streaming,server=<topic prefix>}). Changes made before that point are read by the
 * snapshot, not streamed, so a test or demo must wait for it before writing its workload.
 */
final class DebeziumStreamingProbe {

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final ObjectName pattern;

  DebeziumStreamingProbe(String topicPrefix) {
    try {
      this.pattern =
          new ObjectName(
              "debezium.*:type=connector-metrics,context=streaming,server=" + topicPrefix + ",*");
    } catch (JMException e) {
      throw new IllegalArgumentException("topic prefix unusable in a JMX name: " + topicPrefix, e);
    }
  }

  boolean streaming() {
    for (ObjectName name : server.queryNames(pattern, null)) {
      try {
        if (Boolean.TRUE.equals(server.getAttribute(name, "Connected"))) {
          return true;
        }
      } catch (JMException e) {
        // the connector is (un)registering its metrics: not streaming yet
      }
    }
    return false;
  }
}
