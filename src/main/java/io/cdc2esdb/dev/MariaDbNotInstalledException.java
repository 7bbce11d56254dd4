package io.cdc2esdb.dev;

import java.util.List;

/**
 * MariaDB's server programs are not on this machine. The message is one line that says how to
 * install them, so a command can print it as is and a test can skip (or, in CI, fail) with it.
 */
public final class MariaDbNotInstalledException extends RuntimeException {

  public static final String INSTALL_COMMAND =
      "apt-get install -y --no-install-recommends mariadb-server mariadb-client";

  private final List<String> missing;

  public MariaDbNotInstalledException(List<String> missing, List<String> searched) {
    super(
        "MariaDB is not installed ("
            + String.join(" and ", missing)
            + " not found in "
            + String.join(":", searched)
            + "); install it with: "
            + INSTALL_COMMAND);
    this.missing = List.copyOf(missing);
  }

  /** The programs that were looked for and not found. */
  public List<String> missing() {
    return missing;
  }
}
