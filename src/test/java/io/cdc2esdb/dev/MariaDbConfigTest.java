package io.cdc2esdb.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MariaDbConfigTest {

  private final MariaDbConfig config = new MariaDbConfig(Path.of("/tmp/db1"), 33061, 7);

  @Test
  void shouldKeepEveryFileOfTheServerInItsDirectory() {
    assertThat(config.render())
        .contains("datadir=/tmp/db1/data\n")
        .contains("socket=/tmp/db1/mysqld.sock\n")
        .contains("pid-file=/tmp/db1/mysqld.pid\n")
        .contains("log_error=/tmp/db1/mariadbd.err\n")
        .contains("log_bin=/tmp/db1/data/mariadb-bin\n");
  }

  @Test
  void shouldListenOnLoopbackOnlyOnItsPort() {
    assertThat(config.render())
        .contains("port=33061\n")
        .contains("bind-address=127.0.0.1\n")
        .contains("skip-name-resolve\n");
  }

  @Test
  void shouldWriteTheBinlogDebeziumNeeds() {
    assertThat(config.render())
        .startsWith("[mysqld]\n")
        .contains("server_id=7\n")
        .contains("binlog_format=ROW\n")
        .contains("binlog_row_image=FULL\n")
        .contains("gtid_domain_id=0\n")
        .contains("gtid_strict_mode=ON\n")
        .contains("log_slave_updates=ON\n");
  }

  @Test
  void shouldRefuseADirectoryTooDeepForAUnixSocket() {
    Path deep = Path.of("/tmp", "d".repeat(100));

    assertThatThrownBy(() -> new MariaDbConfig(deep, 3306, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long for a Unix socket");
  }
}
