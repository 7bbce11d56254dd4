package io.cdc2esdb.dev.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A look into another JVM over JMX on loopback (the child runs {@link LoopbackJmxAgent}, see {@link
 * JavaProcess.Builder#jmx()}): heap in use, garbage-collection time, and any numeric MBean
 * attribute, such as Kafka Streams' metrics.
 */
public final class JvmProbe implements AutoCloseable {

  /** Collections so far and the time they took, summed over the JVM's collectors. */
  public record GcTotals(long count, long millis) {}

  private final JMXConnector connector;
  private final MBeanServerConnection connection;
  private final MemoryMXBean memory;
  private final List<GarbageCollectorMXBean> collectors;

  private JvmProbe(JMXConnector connector) throws IOException {
    this.connector = connector;
    this.connection = connector.getMBeanServerConnection();
    this.memory =
        ManagementFactory.newPlatformMXBeanProxy(
            connection, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
    this.collectors =
        ManagementFactory.getPlatformMXBeans(connection, GarbageCollectorMXBean.class);
  }

  /** Connects to the JMX agent on {@code 127.0.0.1:port}. */
  public static JvmProbe connect(String host, int port) {
    try {
      JMXServiceURL url =
          new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + host + ":" + port + "/jmxrmi");
      return new JvmProbe(JMXConnectorFactory.connect(url));
    } catch (IOException e) {
      throw new UncheckedIOException("no JMX agent on " + host + ":" + port, e);
    }
  }

  public long heapUsedBytes() {
    return memory.getHeapMemoryUsage().getUsed();
  }

  public long heapCommittedBytes() {
    return memory.getHeapMemoryUsage().getCommitted();
  }

  public GcTotals gc() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : collectors) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new GcTotals(count, millis);
  }

  /**
   * The sum of a numeric attribute over every MBean matching {@code pattern} (for example {@code
   * kafka.streams:type=stream-cdc2esdb-metrics,*}); 0 when none matches yet.
   */
  public double sum(String pattern, String attribute) {
    try {
      Set<ObjectName> names = connection.queryNames(new ObjectName(pattern), null);
      double total = 0;
      for (ObjectName name : names) {
        Object value;
        try {
          value = connection.getAttribute(name, attribute);
        } catch (JMException e) {
          continue; // this MBean has no such attribute, or went away meanwhile
        }
        if (value instanceof Number number && !Double.isNaN(number.doubleValue())) {
          total += number.doubleValue();
        }
      }
      return total;
    } catch (JMException e) {
      throw new IllegalArgumentException("bad MBean pattern " + pattern, e);
    } catch (IOException e) {
      throw new UncheckedIOException("JMX connection lost", e);
    }
  }

  @Override
  public void close() {
    try {
      connector.close();
    } catch (IOException e) {
      // the other JVM may be gone already: nothing to release then
    }
  }
}
