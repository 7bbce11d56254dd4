package io.cdc2esdb.dev.proc;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets a process listens on, read from Linux's {@code /proc}: the socket inodes among
 * its open files, matched against the {@code LISTEN} rows of {@code net/tcp} and {@code net/tcp6}.
 */
final class ListeningSockets {

  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  /** The local addresses the process listens on. */
  static List<InetAddress> of(long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
      for (Path fd : fds) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          continue; // closed meanwhile
        }
        if (target.startsWith("socket:[")) {
          inodes.add(target.substring("socket:[".length(), target.length() - 1));
        }
      }
    }
    List<InetAddress> addresses = new ArrayList<>();
    for (String table : List.of("tcp", "tcp6")) {
      List<String> rows = Files.readAllLines(proc.resolve("net").resolve(table));
      for (String row : rows.subList(1, rows.size())) {
        String[] columns = row.trim().split("\\s+");
        if (columns[3].equals(LISTEN) && inodes.contains(columns[9])) {
          addresses.add(address(columns[1].substring(0, columns[1].indexOf(':'))));
        }
      }
    }
    return addresses;
  }

  /** {@code /proc/net/tcp*} prints an address as 32-bit words in host (little-endian) order. */
  private static InetAddress address(String hex) throws IOException {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = (word * 4 + i) * 2;
        bytes[word * 4 + 3 - i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    return InetAddress.getByAddress(bytes);
  }
}
