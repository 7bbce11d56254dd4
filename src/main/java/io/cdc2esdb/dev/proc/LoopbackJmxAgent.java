package io.cdc2esdb.dev.proc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.rmi.registry.LocateRegistry;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

/**
 * A Java agent that serves a child JVM's platform MBeans over JMX on 127.0.0.1 and nowhere else:
 * RMI registry and connector on the one port given as the agent's argument, no authentication. The
 * JDK's own agent ({@code -Dcom.sun.management.jmxremote.port}) would also open its local connector
 * on every interface.
 *
 * <p>It is loaded from a jar holding only this class ({@link #writeJar}), so the child's class path
 * stays what it was. It uses nothing but the JDK. The connector would keep the JVM alive after the
 * application ended, so a daemon thread stops it once no application thread is left.
 */
public final class LoopbackJmxAgent {

  private static final String HOST = "127.0.0.1";
  private static final String JAR_NAME = "loopback-jmx-agent.jar";

  private LoopbackJmxAgent() {}

  public static void premain(String port) throws IOException {
    System.setProperty("java.rmi.server.hostname", HOST);
    InetAddress loopback = InetAddress.getByName(HOST);
    // One factory instance for both, so that RMI shares the port between registry and connector.
    RMIServerSocketFactory sockets = p -> new ServerSocket(p, 50, loopback);
    int number = Integer.parseInt(port.trim());
    LocateRegistry.createRegistry(number, null, sockets);
    String address = HOST + ":" + number;
    JMXConnectorServer server =
        JMXConnectorServerFactory.newJMXConnectorServer(
            new JMXServiceURL(
                "service:jmx:rmi://" + address + "/jndi/rmi://" + address + "/jmxrmi"),
            Map.of(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets),
            ManagementFactory.getPlatformMBeanServer());
    server.start();
    Thread stopper = new Thread(() -> stopWhenApplicationEnded(server), "loopback-jmx-stopper");
    stopper.setDaemon(true);
    stopper.start();
  }

  private static void stopWhenApplicationEnded(JMXConnectorServer server) {
    try {
      while (applicationThreadsAlive()) {
        Thread.sleep(200);
      }
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // stopping is best effort: the JVM is on its way out
    }
  }

  /** Whether a non-daemon thread other than RMI's own and the JVM's exit waiter still runs. */
  private static boolean applicationThreadsAlive() {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      String name = thread.getName();
      if (thread.isAlive()
          && !thread.isDaemon()
          && !name.startsWith("RMI ")
          && !name.equals("DestroyJavaVM")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Writes the agent's jar into {@code dir}, replacing one an earlier build may have left, and
   * returns its path, for {@code -javaagent:<jar>=<port>}.
   */
  public static Path writeJar(Path dir) throws IOException {
    Path jar = dir.resolve(JAR_NAME);
    Files.createDirectories(dir);
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", LoopbackJmxAgent.class.getName());
    String entry = LoopbackJmxAgent.class.getName().replace('.', '/') + ".class";
    Path partial = Files.createTempFile(dir, JAR_NAME, ".part");
    try (OutputStream file = Files.newOutputStream(partial);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream bytes = LoopbackJmxAgent.class.getClassLoader().getResourceAsStream(entry)) {
      if (bytes == null) {
        throw new IOException("class file not found: " + entry);
      }
      out.putNextEntry(new JarEntry(entry));
      bytes.transferTo(out);
      out.closeEntry();
    }
    return Files.move(partial, jar, StandardCopyOption.REPLACE_EXISTING);
  }
}
