package io.cdc2esdb.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** Every embedded server listens on IPv4 loopback only, never on the machine's other interfaces. */
public final class Loopback {

  public static final String HOST = "127.0.0.1";

  private Loopback() {}

  public static InetAddress address() {
    try {
      return InetAddress.getByName(HOST);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A port that was free a moment ago. Another process may take it before the server binds it, so
   * callers that start servers retry with a new port when binding fails.
   */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, address())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    }
  }
}
