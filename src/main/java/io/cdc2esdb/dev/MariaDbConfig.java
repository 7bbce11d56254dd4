package io.cdc2esdb.dev;

import java.nio.file.Path;

/**
 * The option file of a private MariaDB server: everything under one directory, TCP on loopback
 * only, and the binlog as Debezium needs it (row events with full before images, GTIDs).
 *
 * @param directory holds the option file, the data, the socket and the logs
 * @param serverId becomes the middle part of every GTID ({@code 0-<serverId>-<seq>})
 */
public record MariaDbConfig(Path directory, int port, int serverId) {

  // Unix socket paths are limited to 108 bytes by the kernel.
  private static final int MAX_SOCKET_PATH = 107;

  public MariaDbConfig {
    directory = directory.toAbsolutePath();
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (serverId <= 0) {
      throw new IllegalArgumentException("server_id must be positive: " + serverId);
    }
    if (directory.resolve("mysqld.sock").toString().length() > MAX_SOCKET_PATH) {
      throw new IllegalArgumentException("directory path too long for a Unix socket: " + directory);
    }
  }

  public Path file() {
    return directory.resolve("my.cnf");
  }

  public Path dataDir() {
    return directory.resolve("data");
  }

  public Path socket() {
    return directory.resolve("mysqld.sock");
  }

  public Path pidFile() {
    return directory.resolve("mysqld.pid");
  }

  public Path errorLog() {
    return directory.resolve("mariadbd.err");
  }

  /** The text of the option file. */
  public String render() {
    return String.join(
        "\n",
        "[mysqld]",
        "datadir=" + dataDir(),
        "socket=" + socket(),
        "pid-file=" + pidFile(),
        "log_error=" + errorLog(),
        "port=" + port,
        "bind-address=" + Loopback.HOST,
        // Hosts are matched as typed (127.0.0.1), and no DNS lookup delays a connection.
        "skip-name-resolve",
        "server_id=" + serverId,
        "log_bin=" + dataDir().resolve("mariadb-bin"),
        "binlog_format=ROW",
        "binlog_row_image=FULL",
        "gtid_domain_id=0",
        "gtid_strict_mode=ON",
        "log_slave_updates=ON",
        // Small enough for a laptop next to a broker and the app; this is not a benchmark server.
        "innodb_buffer_pool_size=128M",
        "performance_schema=OFF",
        "",
        "[client]",
        "socket=" + socket(),
        "port=" + port,
        "");
  }
}
