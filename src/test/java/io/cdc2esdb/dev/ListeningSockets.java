package io.cdc2esdb.dev;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets a process listens on, read from Linux's /proc: a test can then prove that a
 * server bound nothing but loopback, whatever ports it chose.
 */
final class ListeningSockets {

  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  static boolean supported() {
    return Files.isDirectory(Path.of("/proc/self/fd")) && Files.exists(Path.of("/proc/net/tcp"));
  }

  /** Local addresses as {@code ip:port}. */
  static List<String> of(long pid) throws IOException {
    Set<String> inodes = socketInodes(pid);
    List<String> addresses = new ArrayList<>();
    collect(Path.of("/proc/net/tcp"), inodes, false, addresses);
    collect(Path.of("/proc/net/tcp6"), inodes, true, addresses);
    return addresses;
  }

  private static Set<String> socketInodes(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed while listing
        }
      }
    }
    return inodes;
  }

  private static void collect(Path table, Set<String> inodes, boolean v6, List<String> out)
      throws IOException {
    if (!Files.exists(table)) {
      return;
    }
    List<String> lines = Files.readAllLines(table);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f[3].equals(LISTEN) && inodes.contains(f[9])) {
        String[] local = f[1].split(":");
        int port = Integer.parseInt(local[1], 16);
        out.add((v6 ? ipv6(local[0]) : ipv4(local[0])) + ":" + port);
      }
    }
  }

  // Java binds dual-stack sockets, so an IPv4 bind shows as ::ffff:a.b.c.d in tcp6: give it back
  // as a.b.c.d. Any other IPv6 address stays in /proc's hex, in brackets.
  private static String ipv6(String hex) {
    if (hex.startsWith("0000000000000000FFFF0000")) {
      return ipv4(hex.substring(24));
    }
    return "[" + hex + "]";
  }

  // /proc writes an IPv4 address as one little-endian hex word.
  private static String ipv4(String hex) {
    long v = Long.parseLong(hex, 16);
    return (v & 0xff)
        + "."
        + ((v >> 8) & 0xff)
        + "."
        + ((v >> 16) & 0xff)
        + "."
        + ((v >> 24) & 0xff);
  }
}
