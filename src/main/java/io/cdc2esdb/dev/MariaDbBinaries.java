package io.cdc2esdb.dev;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the MariaDB server programs are. Debian puts {@code mariadbd} in /usr/sbin, which is not on
 * every user's PATH, so the usual directories are searched after PATH.
 */
public record MariaDbBinaries(Path mariadbd, Path installDb) {

  static final String SERVER = "mariadbd";
  static final String INSTALL_DB = "mariadb-install-db";

  /**
   * @throws MariaDbNotInstalledException naming what is missing and how to install it
   */
  public static MariaDbBinaries locate() {
    return locate(defaultSearchPath());
  }

  static MariaDbBinaries locate(List<Path> searchPath) {
    Path server = find(SERVER, searchPath);
    Path installDb = find(INSTALL_DB, searchPath);
    if (server == null || installDb == null) {
      List<String> missing = new ArrayList<>();
      if (server == null) {
        missing.add(SERVER);
      }
      if (installDb == null) {
        missing.add(INSTALL_DB);
      }
      throw new MariaDbNotInstalledException(
          missing, searchPath.stream().map(Path::toString).toList());
    }
    return new MariaDbBinaries(server, installDb);
  }

  /** True when the server programs are here; for callers that choose rather than fail. */
  public static boolean installed() {
    try {
      locate();
      return true;
    } catch (MariaDbNotInstalledException e) {
      return false;
    }
  }

  static List<Path> defaultSearchPath() {
    Set<Path> dirs = new LinkedHashSet<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isBlank()) {
          dirs.add(Path.of(dir));
        }
      }
    }
    dirs.add(Path.of("/usr/sbin"));
    dirs.add(Path.of("/usr/bin"));
    return List.copyOf(dirs);
  }

  private static Path find(String program, List<Path> searchPath) {
    for (Path dir : searchPath) {
      Path candidate = dir.resolve(program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
